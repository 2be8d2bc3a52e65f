package org.reconview.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.reconview.io.SafeTensors;

/**
 * The starting point of CADyQ training: a trained QW-Net's weights plus selectors that always choose one width and
 * per-width thresholds copied from each range's trained ones. Started at 4 bits from the INT4 model, the CADyQ model
 * computes exactly what INT4 QW-Net computes ({@code CadyqModelTest}); training then moves the selectors and the
 * thresholds of the other widths.
 */
public final class CadyqInit {
    /** The selector bias of the starting width; the others get 0 and all selector weights 0. */
    public static final float START_LOGIT = 1f;

    private CadyqInit() {
    }

    /**
     * CADyQ weights from QW-Net {@code qwnet} weights (validated against {@code spec.base()}); every tile starts at
     * {@code startBits}, which must be a candidate.
     */
    public static Weights fromQwnet(Weights qwnet, CadyqSpec spec, int startBits) {
        qwnet.validate(spec.base());
        int start = spec.candidateIndex(startBits);
        Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>(qwnet.tensors());
        int k = spec.candidates().size();
        for (LayerSpec l : spec.selected()) {
            t.put(CadyqSpec.selectorWeight(l.name()),
                    SafeTensors.Tensor.ofFloats(new int[] {k, spec.features(l)}, new float[k * spec.features(l)]));
            float[] bias = new float[k];
            bias[start] = START_LOGIT;
            t.put(CadyqSpec.selectorBias(l.name()), SafeTensors.Tensor.ofFloats(new int[] {k}, bias));
        }
        for (String r : spec.selectedRanges()) {
            for (int b : spec.candidates()) {
                t.put(CadyqSpec.threshold(r, b, "t_l"), qwnet.tensor(r + ".t_l"));
                t.put(CadyqSpec.threshold(r, b, "t_u"), qwnet.tensor(r + ".t_u"));
            }
        }
        Map<String, String> meta = new LinkedHashMap<>(qwnet.metadata());
        meta.putAll(spec.metadata());
        meta.put("cadyq_init", "from " + qwnet.source() + ": every tile at " + startBits
                + " bits, per-width thresholds copied from the trained ones");
        return new Weights(t, meta, qwnet.source() + " (CADyQ init)");
    }
}
