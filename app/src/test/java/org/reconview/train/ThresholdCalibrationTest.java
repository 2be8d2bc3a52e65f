package org.reconview.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Weights;

/** Calibrated thresholds are the percentiles of the activations, computed here the plain way (a full sort). */
class ThresholdCalibrationTest {
    @Test
    void thresholdsAreTheLogOfThePercentiles() {
        NetworkSpec spec = NetworkSpec.qwnet();
        Map<String, List<String>> layers = ThresholdCalibration.quantizedLayers(spec);
        assertEquals(List.of("fe.input"), layers.get("fe.input"), "the 8-bit input range is the input concat's");
        assertTrue(layers.get("fe.dec0.concat").size() == 2, "a decoder concat range serves two convs: "
                + layers.get("fe.dec0.concat"));
        assertEquals(spec.quantRanges().size(), layers.size(), "every range is calibrated");
        SplittableRandom rnd = new SplittableRandom(5);
        Map<String, float[]> acts = new LinkedHashMap<>();
        for (List<String> ls : layers.values()) {
            for (String l : ls) {
                float[] v = new float[1000 + rnd.nextInt(500)];
                boolean input = l.equals("fe.input");
                for (int i = 0; i < v.length; i++) {
                    // ELU-like outputs (>= -1, long upper tail) or [0, 1] input data
                    v[i] = input ? (float) rnd.nextDouble() : (float) (Math.exp(rnd.nextGaussian()) - 1.2);
                }
                acts.put(l, v);
            }
        }
        Weights w = ThresholdCalibration.apply(Weights.random(spec, 0), spec, acts, 0.001, 0.999);
        for (Map.Entry<String, List<String>> e : layers.entrySet()) {
            int n = 0;
            for (String l : e.getValue()) {
                n += acts.get(l).length;
            }
            double[] all = new double[n];
            int at = 0;
            for (String l : e.getValue()) {
                for (float f : acts.get(l)) {
                    all[at++] = f;
                }
            }
            java.util.Arrays.sort(all);
            double hi = all[(int) Math.round(0.999 * (n - 1))];
            double lo = all[(int) Math.round(0.001 * (n - 1))];
            assertEquals(Math.log(hi), w.floats(e.getKey() + ".t_u")[0], 1e-6, e.getKey());
            double expectLow = lo < -1e-3 * hi ? -lo : 1e-3 * hi;
            assertEquals(Math.log(expectLow), w.floats(e.getKey() + ".t_l")[0], 1e-5, e.getKey());
        }
        assertTrue(Math.exp(w.floats("fe.input.t_u")[0]) < 1.0001, "the input's range fits its [0, 1] data");
        assertTrue(w.metadata().get("thresholds").startsWith("calibrated: percentiles 0.1 and 99.9"));
    }
}
