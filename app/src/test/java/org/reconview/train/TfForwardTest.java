package org.reconview.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.reconview.nn.GoldenModel;
import org.reconview.nn.MacCount;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Tensor;
import org.reconview.nn.Weights;

/** bench's TensorFlow peer times the real network: its output is the golden model's, its rate follows from the MACs. */
@Tag("tensorflow")
class TfForwardTest {
    @Test
    void theTimedForwardIsTheNetwork() {
        int w = 48;
        int h = 32;
        Random r = new Random(3);
        float[] a = new float[w * h * 3];
        float[] b = new float[w * h * 3];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat();
            b[i] = r.nextFloat();
        }
        for (NetworkSpec spec : new NetworkSpec[] {NetworkSpec.qwnet(), NetworkSpec.unet()}) {
            float[] tf = TfForward.output(spec, false, w, h, a, b);
            Tensor golden = new GoldenModel(spec, Weights.random(spec, 1)).run(chw(a, w, h), chw(b, w, h));
            double worst = 0;
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < w * h; p++) {
                    worst = Math.max(worst, Math.abs(tf[p * 3 + c] - golden.data[c * w * h + p]));
                }
            }
            assertTrue(worst < 1e-4, spec.variant() + ": TF forward differs from the golden model by " + worst);
        }
    }

    @Test
    void theRateIsTheMacsOverTheTime() {
        Map<String, Double> t = TfForward.time(NetworkSpec.qwnet(), true, 32, 32, 2, 1);
        assertTrue(t.get("ms") > 0, t.toString());
        assertEquals(2 * MacCount.of(NetworkSpec.qwnet()).total() * 32 * 32 / (t.get("ms") / 1e3) / 1e9,
                t.get("gops"), 1e-9 * t.get("gops"));
    }

    static Tensor chw(float[] nhwc, int w, int h) {
        Tensor t = new Tensor(3, h, w);
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < w * h; p++) {
                t.data[c * w * h + p] = nhwc[p * 3 + c];
            }
        }
        return t;
    }
}
