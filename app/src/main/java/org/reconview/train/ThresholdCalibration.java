package org.reconview.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reconview.io.SafeTensors;
import org.reconview.nn.LayerSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Weights;

/**
 * Activation thresholds from measured ranges, before simulated-quantization fine-tuning (section 5.1 trains them
 * from ln 1 and ln 3; started there, a 4-bit range wastes levels and the 8-bit input, whose data lies in [0, 1],
 * half its codes). For each range: the values the range quantizes (the FP32 outputs of the convs and the input
 * concat that carry it), their {@code lowPercentile} and {@code highPercentile} (nearest rank), u = the high one,
 * l = the low one where it is below zero, else a small negative bound (the grid must hold zero, eq. 7), and
 * t_l = ln(-l), t_u = ln u.
 */
public final class ThresholdCalibration {
    /** l = -max(-p_low, FLOOR_FRACTION * u): ranges of non-negative data keep a sliver below zero. */
    public static final double FLOOR_FRACTION = 1e-3;

    private ThresholdCalibration() {
    }

    /** The layers whose outputs each range quantizes, by range. */
    public static Map<String, List<String>> quantizedLayers(NetworkSpec spec) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (LayerSpec l : spec.layers()) {
            if (l.range() == null) {
                continue;
            }
            boolean conv = l.op().isConv();
            boolean inputConcat = l.op() == LayerSpec.Op.CONCAT && spec.tensor(l.inputs().get(0)).range() == null;
            if (conv || inputConcat) {
                out.computeIfAbsent(l.range(), k -> new ArrayList<>()).add(l.name());
            }
        }
        return out;
    }

    /** The arrays one after another in one array. */
    static float[] concat(List<float[]> parts) {
        float[] all = new float[parts.stream().mapToInt(a -> a.length).sum()];
        int at = 0;
        for (float[] a : parts) {
            System.arraycopy(a, 0, all, at, a.length);
            at += a.length;
        }
        return all;
    }

    /** The nearest-rank q-quantile (q in [0, 1]) of {@code values}: the sorted value at round(q (n - 1)). */
    public static double percentile(float[] values, double q) {
        float[] s = values.clone();
        Arrays.sort(s);
        int i = (int) Math.round(q * (s.length - 1));
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }

    /** {l, u} of one range's values. */
    public static double[] range(float[] values, double low, double high) {
        double u = Math.max(percentile(values, high), 1e-6);
        double l = Math.min(percentile(values, low), -FLOOR_FRACTION * u);
        return new double[] {l, u};
    }

    /**
     * The weights with every range's thresholds set from {@code activations} (layer name to all its values), and
     * a metadata line naming the percentiles.
     */
    public static Weights apply(Weights w, NetworkSpec spec, Map<String, float[]> activations, double low,
            double high) {
        Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>(w.tensors());
        for (Map.Entry<String, List<String>> e : quantizedLayers(spec).entrySet()) {
            double[] lu = range(concat(e.getValue().stream().map(activations::get).toList()), low, high);
            t.put(e.getKey() + ".t_l", SafeTensors.Tensor.ofFloats(new int[] {1}, new float[] {(float) Math.log(-lu[0])}));
            t.put(e.getKey() + ".t_u", SafeTensors.Tensor.ofFloats(new int[] {1}, new float[] {(float) Math.log(lu[1])}));
        }
        Map<String, String> meta = new LinkedHashMap<>(w.metadata());
        meta.put("thresholds", "calibrated: percentiles " + Math.round(low * 1e5) / 1e3 + " and "
                + Math.round(high * 1e5) / 1e3 + " of the FP32 activations on training crops");
        return new Weights(t, meta, w.source());
    }
}
