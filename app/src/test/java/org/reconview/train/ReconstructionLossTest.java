package org.reconview.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.reconview.io.FloatImage;
import org.reconview.recon.Warp;
import org.tensorflow.EagerSession;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The TF loss equals eqs. 1-2 computed directly in Java on the same images. */
@org.junit.jupiter.api.Tag("tensorflow")
class ReconstructionLossTest {
    @Test
    void equalsTheEquations() {
        int n = 3;
        int h = 11;
        int w = 14;
        Random rnd = new Random(4);
        List<FloatImage> o = new ArrayList<>();
        List<FloatImage> r = new ArrayList<>();
        List<FloatImage> m = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            o.add(random(rnd, w, h, 3, 1));
            r.add(random(rnd, w, h, 3, 1));
            m.add(random(rnd, w, h, 2, 4));
        }
        // Java: eq. 1 and eq. 2 (valid pixels only).
        double ls = 0;
        for (int k = 0; k < n; k++) {
            double sum = 0;
            for (int i = 0; i < o.get(k).data.length; i++) {
                sum += Math.abs(o.get(k).data[i] - r.get(k).data[i]);
            }
            ls += sum / o.get(k).data.length;
        }
        ls /= n;
        double lt = 0;
        long count = 0;
        for (int k = 1; k < n; k++) {
            boolean[] valid = new boolean[w * h];
            FloatImage phi = Warp.backward(o.get(k - 1), m.get(k), valid);
            FloatImage psi = Warp.backward(r.get(k - 1), m.get(k), null);
            for (int p = 0; p < w * h; p++) {
                if (!valid[p]) {
                    continue;
                }
                for (int c = 0; c < 3; c++) {
                    int i = p * 3 + c;
                    lt += Math.abs((o.get(k).data[i] - phi.data[i]) - (r.get(k).data[i] - psi.data[i]));
                    count++;
                }
            }
        }
        lt /= count;
        try (EagerSession s = EagerSession.create()) {
            Ops tf = Ops.create(s);
            ReconstructionLoss.Terms t = ReconstructionLoss.build(tf, tensors(tf, o, h, w), tensors(tf, r, h, w),
                    tensors(tf, m, h, w), 1, h, w);
            assertEquals(ls, scalar(t.spatial()), 1e-6);
            assertEquals(lt, scalar(t.temporal()), 1e-6);
            assertEquals(0.3 * ls + 0.7 * lt, scalar(t.total()), 1e-6);
        }
    }

    static float scalar(Operand<TFloat32> op) {
        try (TFloat32 t = (TFloat32) op.asTensor()) {
            return t.getFloat();
        }
    }

    static List<Operand<TFloat32>> tensors(Ops tf, List<FloatImage> images, int h, int w) {
        List<Operand<TFloat32>> out = new ArrayList<>();
        for (FloatImage img : images) {
            out.add(tf.reshape(tf.constant(img.data), tf.constant(new long[] {1, h, w, img.channels})));
        }
        return out;
    }

    static FloatImage random(Random rnd, int w, int h, int c, double scale) {
        FloatImage img = new FloatImage(w, h, c);
        for (int i = 0; i < img.data.length; i++) {
            img.data[i] = (float) (scale == 1 ? rnd.nextFloat() : rnd.nextGaussian() * scale);
        }
        return img;
    }
}
