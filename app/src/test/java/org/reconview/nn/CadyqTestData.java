package org.reconview.nn;

import java.util.SplittableRandom;
import org.reconview.io.SafeTensors;

/** CADyQ test weights whose selectors pick different widths across tiles and layers, thresholds apart per width. */
public final class CadyqTestData {
    private CadyqTestData() {
    }

    public static Weights mixed(CadyqSpec spec, long seed) {
        return mixed(spec, QuantizedTestData.weights(spec.base(), seed), seed);
    }

    /** The same from given QW-Net weights (e.g. the training tests' own random weights). */
    public static Weights mixed(CadyqSpec spec, Weights qwnet, long seed) {
        Weights c = CadyqInit.fromQwnet(qwnet, spec, 4);
        SplittableRandom rnd = new SplittableRandom(seed * 7 + 11);
        for (LayerSpec l : spec.selected()) {
            String wn = CadyqSpec.selectorWeight(l.name());
            float[] w = new float[c.floats(wn).length];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (rnd.nextGaussian() * 20);
            }
            c = c.with(wn, SafeTensors.Tensor.ofFloats(c.tensor(wn).shape(), w));
        }
        for (String r : spec.selectedRanges()) {
            for (int b : spec.candidates()) {
                if (b == 4) {
                    continue;
                }
                String tu = CadyqSpec.threshold(r, b, "t_u");
                float v = c.floats(tu)[0] + (float) (rnd.nextDouble() - 0.5);
                c = c.with(tu, SafeTensors.Tensor.ofFloats(new int[] {1}, new float[] {v}));
            }
        }
        return c;
    }
}
