package org.reconview.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.reconview.io.SafeTensors;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Tensor;
import org.reconview.nn.Weights;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/** Shared fixtures for the training tests: random weights with non-trivial BN and thresholds, random PQ images. */
final class TrainTestSupport {
    /** Threads for TensorFlow in tests (the suite's budget is 2 cores). */
    static final int THREADS = 2;

    private TrainTestSupport() {
    }

    /**
     * He-uniform weights (Weights.random) with BN statistics and affine parameters drawn away from the identity, and
     * thresholds drawn around their initial values, so that BN inference and the ranges are really exercised.
     */
    static Weights randomWeights(NetworkSpec spec, long seed) {
        Weights w = Weights.random(spec, seed);
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>(w.tensors());
        for (Map.Entry<String, int[]> e : spec.weightShapes().entrySet()) {
            String n = e.getKey();
            float[] v = w.floats(n);
            double lo;
            double hi;
            if (n.endsWith(".bn.gamma") || n.endsWith(".bn.var")) {
                lo = 0.6;
                hi = 1.4;
            } else if (n.endsWith(".bn.beta") || n.endsWith(".bn.mean") || n.endsWith(".bias")) {
                lo = -0.2;
                hi = 0.2;
            } else if (n.endsWith(".t_l")) {
                lo = -0.5;
                hi = 0.3;
            } else if (n.endsWith(".t_u")) {
                lo = 0.6;
                hi = 1.6;
            } else {
                continue;
            }
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
            }
            t.put(n, SafeTensors.Tensor.ofFloats(e.getValue(), v));
        }
        return new Weights(t, w.metadata(), w.source());
    }

    /** A PQ-encoded RGB image: a smooth random field plus per-pixel noise, values in [0, 1]. */
    static Tensor randomImage(int h, int w, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Tensor t = new Tensor(3, h, w);
        for (int c = 0; c < 3; c++) {
            double fx = 0.1 + 0.4 * rnd.nextDouble();
            double fy = 0.1 + 0.4 * rnd.nextDouble();
            double ph = 6.28 * rnd.nextDouble();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = 0.5 + 0.3 * Math.sin(fx * x + fy * y + ph) + 0.2 * (rnd.nextDouble() - 0.5);
                    t.set(c, y, x, (float) Math.min(1, Math.max(0, v)));
                }
            }
        }
        return t;
    }

    /** Fetches operands in one run; returns their values row-major. */
    static List<float[]> fetch(Session s, Map<Operand<TFloat32>, TFloat32> feeds, List<Operand<TFloat32>> ops) {
        Session.Runner r = s.runner();
        feeds.forEach(r::feed);
        ops.forEach(r::fetch);
        List<float[]> out = new ArrayList<>();
        try (var result = r.run()) {
            for (int i = 0; i < ops.size(); i++) {
                out.add(TfSupport.floats((TFloat32) result.get(i)));
            }
        }
        return out;
    }

    /** Image n of an NHWC array as a CHW tensor. */
    static Tensor chw(float[] nhwc, int n, int c, int h, int w) {
        Tensor t = new Tensor(c, h, w);
        int base = n * h * w * c;
        for (int ch = 0; ch < c; ch++) {
            for (int p = 0; p < h * w; p++) {
                t.data[ch * h * w + p] = nhwc[base + p * c + ch];
            }
        }
        return t;
    }
}
