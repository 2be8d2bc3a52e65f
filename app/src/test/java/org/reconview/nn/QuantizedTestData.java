package org.reconview.nn;

import java.util.Random;
import java.util.SplittableRandom;
import org.reconview.io.SafeTensors;

/**
 * Test weights and inputs for the quantized QW-Net: He-uniform weights as {@link Weights#random} draws them, but with
 * non-trivial batch norm (gamma of both signs, beta, running mean and variance), kernel-prediction biases and
 * thresholds moved off their initial values, so that folding, c and every range matter.
 */
public final class QuantizedTestData {
    private QuantizedTestData() {
    }

    public static Weights weights(NetworkSpec spec, long seed) {
        Weights w = Weights.random(spec, seed);
        SplittableRandom rnd = new SplittableRandom(seed * 31 + 7);
        for (var e : spec.weightShapes().entrySet()) {
            String n = e.getKey();
            float[] v = w.floats(n);
            boolean changed = true;
            for (int i = 0; i < v.length; i++) {
                if (n.endsWith(".bn.gamma")) {
                    v[i] = (float) ((0.5 + rnd.nextDouble()) * (rnd.nextDouble() < 0.1 ? -1 : 1));
                } else if (n.endsWith(".bn.beta") || n.endsWith(".bn.mean")) {
                    v[i] = (float) ((rnd.nextDouble() - 0.5) * 0.6);
                } else if (n.endsWith(".bn.var")) {
                    v[i] = (float) (0.5 + 1.5 * rnd.nextDouble());
                } else if (n.endsWith(".bias")) {
                    v[i] = (float) ((rnd.nextDouble() - 0.5) * 0.4);
                } else if (n.endsWith(".t_l")) {
                    v[i] = (float) (NetworkSpec.INITIAL_T_L + (rnd.nextDouble() - 0.5) * 0.6);
                } else if (n.endsWith(".t_u")) {
                    v[i] = (float) (NetworkSpec.INITIAL_T_U + (rnd.nextDouble() - 0.5) * 0.6);
                } else {
                    changed = false;
                }
            }
            if (changed) {
                w = w.with(n, SafeTensors.Tensor.ofFloats(e.getValue(), v));
            }
        }
        return w;
    }

    /** A PQ-encoded RGB image: values uniform in [0, 1], smoothed a little so gradients are not all noise. */
    public static Tensor image(Random rnd, int h, int w) {
        Tensor t = new Tensor(3, h, w);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = rnd.nextFloat();
        }
        return t;
    }
}
