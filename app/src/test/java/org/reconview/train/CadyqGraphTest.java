package org.reconview.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.reconview.nn.CadyqInit;
import org.reconview.nn.CadyqModel;
import org.reconview.nn.CadyqSpec;
import org.reconview.nn.CadyqTestData;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Tensor;
import org.reconview.nn.Weights;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * CADyQ's training graph: its forward pass against the integer golden model ({@link CadyqModel}) with mixed widths,
 * its start (every tile at 4 bits) against QW-Net's simulated INT4, and the straight-through gradient of the hard/soft
 * choice against its closed form.
 */
@Tag("tensorflow")
class CadyqGraphTest {
    static final NetworkSpec NET = NetworkSpec.of(NetworkSpec.Kind.QWNET, 8, 8);
    static final CadyqSpec SPEC = CadyqSpec.of(NET, CadyqSpec.DEFAULT_CANDIDATES, 32);
    static final int H = 64;
    static final int W = 96;

    /** CADyQ weights whose selectors choose all three widths across tiles and layers, thresholds apart per width. */
    static Weights mixedWeights(long seed) {
        return CadyqTestData.mixed(SPEC, TrainTestSupport.randomWeights(NET, seed), seed);
    }

    /** The output and each selected conv's tile bits of one graph run, NHWC / [N, ty, tx]. */
    record Run(float[] output, Map<String, float[]> bits) {
    }

    static Run run(Weights weights, boolean cadyq, List<Tensor> ia, List<Tensor> iw) {
        try (Graph g = new Graph(); Session s = TfSupport.session(g, TrainTestSupport.THREADS)) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> pa = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, H, W, 3)));
            Placeholder<TFloat32> pw = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, H, W, 3)));
            ModelVariables vars = cadyq ? ModelVariables.create(tf, SPEC) : ModelVariables.create(tf, NET);
            NetworkGraph.Step step = new NetworkGraph(tf, vars).step(pa, pw,
                    cadyq ? NetworkGraph.Mode.CADYQ : NetworkGraph.Mode.SIMULATED_QUANT);
            vars.load(s, weights);
            List<Operand<TFloat32>> ops = new ArrayList<>();
            ops.add(step.output());
            List<String> names = new ArrayList<>(step.tileBits().keySet());
            names.forEach(n -> ops.add(step.tileBits().get(n)));
            try (TFloat32 a = TfSupport.nhwc(ia); TFloat32 b = TfSupport.nhwc(iw)) {
                List<float[]> v = TrainTestSupport.fetch(s, Map.of(pa, a, pw, b), ops);
                Map<String, float[]> bits = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    bits.put(names.get(i), v.get(i + 1));
                }
                return new Run(v.get(0), bits);
            }
        }
    }

    @Test
    void forwardEqualsTheIntegerModelWithMixedWidths() {
        Weights weights = mixedWeights(21);
        List<Tensor> ia = List.of(TrainTestSupport.randomImage(H, W, 1), TrainTestSupport.randomImage(H, W, 2));
        List<Tensor> iw = List.of(TrainTestSupport.randomImage(H, W, 3), TrainTestSupport.randomImage(H, W, 4));
        Run tfRun = run(weights, true, ia, iw);
        assertEquals(SPEC.selected().size(), tfRun.bits().size());
        CadyqModel model = new CadyqModel(SPEC, weights);
        int tiles = 0;
        int same = 0;
        int far = 0;
        int values = 0;
        java.util.Set<Integer> widths = new java.util.TreeSet<>();
        for (int n = 0; n < ia.size(); n++) {
            CadyqModel.Result r = model.runAll(ia.get(n), iw.get(n));
            for (Map.Entry<String, int[]> e : r.bits().entrySet()) {
                float[] t = tfRun.bits().get(e.getKey());
                int per = e.getValue().length;
                for (int i = 0; i < per; i++) {
                    tiles++;
                    widths.add(e.getValue()[i]);
                    same += t[n * per + i] == e.getValue()[i] ? 1 : 0;
                }
            }
            Tensor out = r.floats().get(NET.output());
            Tensor t = TrainTestSupport.chw(tfRun.output(), n, 3, H, W);
            for (int i = 0; i < out.data.length; i++) {
                values++;
                far += Math.abs(out.data[i] - t.data[i]) > 1e-4 ? 1 : 0;
            }
        }
        assertEquals(new java.util.TreeSet<>(SPEC.candidates()), widths, "all widths in use");
        assertTrue(same >= tiles * 0.98, same + " of " + tiles + " tile widths equal");
        assertTrue(far <= values / 50, far + " of " + values + " outputs differ by more than 1e-4");
        System.out.printf("CADyQ graph vs integer model: %d of %d tile widths equal, %d of %d outputs off by > 1e-4%n",
                same, tiles, far, values);
    }

    @Test
    void startsAsTheSimulatedInt4Network() {
        Weights q = TrainTestSupport.randomWeights(NET, 31);
        List<Tensor> ia = List.of(TrainTestSupport.randomImage(H, W, 5));
        List<Tensor> iw = List.of(TrainTestSupport.randomImage(H, W, 6));
        Run plain = run(q, false, ia, iw);
        Run cadyq = run(CadyqInit.fromQwnet(q, SPEC, 4), true, ia, iw);
        for (float[] b : cadyq.bits().values()) {
            for (float v : b) {
                assertEquals(4f, v);
            }
        }
        int far = 0;
        for (int i = 0; i < plain.output().length; i++) {
            far += Math.abs(plain.output()[i] - cadyq.output()[i]) > 1e-5 ? 1 : 0;
        }
        assertTrue(far <= plain.output().length / 1000, far + " outputs differ");
    }

    /**
     * y = sum_k m_k y_k with m the straight-through mask: forward y = y_argmax; d(sum g y)/d logit_j =
     * sum_k (g . y_k) p_k (delta_kj - p_j), the softmax Jacobian (closed form), on random logits and y_k.
     */
    @Test
    void straightThroughGradientIsTheSoftmaxJacobian() {
        int tiles = 6;
        int k = 3;
        SplittableRandom rnd = new SplittableRandom(5);
        float[] logits = new float[tiles * k];
        float[] ys = new float[tiles * k];
        float[] g = new float[tiles];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (rnd.nextGaussian() * 2);
            ys[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < tiles; i++) {
            g[i] = (float) rnd.nextGaussian();
        }
        try (Graph graph = new Graph(); Session s = TfSupport.session(graph, 1)) {
            Ops tf = Ops.create(graph);
            Placeholder<TFloat32> pl = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 2, 3, k)));
            Operand<TFloat32> mask = CadyqGraph.straightThrough(tf, pl, k);
            Operand<TFloat32> y = tf.sum(tf.math.mul(mask, tf.constant(reshape(ys, k))), tf.constant(3));
            Operand<TFloat32> loss = tf.sum(tf.math.mul(y, tf.constant(new float[][][] {{
                {g[0], g[1], g[2]}, {g[3], g[4], g[5]}}})), tf.constant(new int[] {0, 1, 2}));
            Output<?>[] grad = graph.addGradients(loss.asOutput(), new Output<?>[] {pl.asOutput()});
            try (TFloat32 in = TfSupport.tensor(logits, new long[] {1, 2, 3, k})) {
                Session.Runner r = s.runner().feed(pl, in).fetch(y).fetch(grad[0]);
                try (var res = r.run()) {
                    float[] yv = TfSupport.floats((TFloat32) res.get(0));
                    float[] gv = TfSupport.floats((TFloat32) res.get(1));
                    for (int t = 0; t < tiles; t++) {
                        int best = 0;
                        double sum = 0;
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < k; j++) {
                            max = Math.max(max, logits[t * k + j]);
                            if (logits[t * k + j] >= logits[t * k + best]) {
                                best = j;
                            }
                        }
                        double[] p = new double[k];
                        for (int j = 0; j < k; j++) {
                            p[j] = Math.exp(logits[t * k + j] - max);
                            sum += p[j];
                        }
                        for (int j = 0; j < k; j++) {
                            p[j] /= sum;
                        }
                        assertEquals(ys[t * k + best], yv[t], 1e-6, "forward is the hard choice, tile " + t);
                        for (int j = 0; j < k; j++) {
                            double cf = 0;
                            for (int m = 0; m < k; m++) {
                                cf += g[t] * ys[t * k + m] * p[m] * ((m == j ? 1 : 0) - p[j]);
                            }
                            assertEquals(cf, gv[t * k + j], 1e-5, "d/dlogit " + j + ", tile " + t);
                        }
                    }
                }
            }
        }
    }

    private static float[][][][] reshape(float[] v, int k) {
        float[][][][] out = new float[1][2][3][k];
        for (int i = 0; i < v.length; i++) {
            out[0][(i / k) / 3][(i / k) % 3][i % k] = v[i];
        }
        return out;
    }

    /** The bit loss's flatness weights against a plain-Java computation, and exponent 0 gives every tile weight 1. */
    @Test
    void flatnessWeightsFollowTheirClosedForm() {
        int n = 2;
        int ty = 3;
        int tx = 4;
        SplittableRandom rnd = new SplittableRandom(5);
        float[] grad = new float[n * ty * tx * 2];
        for (int i = 0; i < grad.length; i++) {
            grad[i] = (float) (rnd.nextDouble() * rnd.nextDouble() * 0.05);
        }
        for (float exponent : new float[] {0f, 1f, 1.5f}) {
            double mean = 0;
            double[] g = new double[n * ty * tx];
            for (int t = 0; t < g.length; t++) {
                g[t] = (grad[2 * t] + grad[2 * t + 1]) / 2.0;
                mean += g[t] / g.length;
            }
            double[] r = new double[g.length];
            double rMean = 0;
            for (int t = 0; t < g.length; t++) {
                r[t] = Math.pow(mean / (g[t] + CadyqGraph.FLATNESS_FLOOR * mean), exponent);
                rMean += r[t] / g.length;
            }
            float[] got;
            try (Graph graph = new Graph(); Session s = TfSupport.session(graph, TrainTestSupport.THREADS)) {
                Ops tf = Ops.create(graph);
                Operand<TFloat32> in = tf.constant(org.tensorflow.ndarray.NdArrays.wrap(Shape.of(n, ty, tx, 2),
                        org.tensorflow.ndarray.buffer.DataBuffers.of(grad, true, false)));
                got = TrainTestSupport.fetch(s, Map.of(), List.of(CadyqGraph.flatnessWeights(tf, in, exponent)))
                        .get(0);
            }
            assertEquals(g.length, got.length);
            for (int t = 0; t < g.length; t++) {
                assertEquals(r[t] / rMean, got[t], 1e-5, "exponent " + exponent + " tile " + t);
            }
            if (exponent > 0) {
                int flattest = 0;
                int steepest = 0;
                for (int t = 1; t < g.length; t++) {
                    flattest = g[t] < g[flattest] ? t : flattest;
                    steepest = g[t] > g[steepest] ? t : steepest;
                }
                assertTrue(got[flattest] > got[steepest], "a flat tile's bit must cost more than an edge tile's");
            }
        }
    }

    /**
     * Centred selector gradients: the logits keep their value (W f + b) and the gradient of sum(logits * R) is
     * R^T (f - mean f) for the weight and the column sums of R for the bias; without centring, R^T f.
     */
    @Test
    void centredSelectorGradientsKeepTheValueAndCentreTheFeatures() {
        int t = 6;
        int f = 4;
        int k = 3;
        SplittableRandom rnd = new SplittableRandom(9);
        float[] feat = new float[t * f];
        float[] w = new float[k * f];
        float[] b = new float[k];
        float[] r = new float[t * k];
        for (int i = 0; i < feat.length; i++) {
            feat[i] = (float) rnd.nextDouble(0.1, 1.0);
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextDouble(-1, 1);
        }
        for (int i = 0; i < k; i++) {
            b[i] = (float) rnd.nextDouble(-1, 1);
        }
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) rnd.nextDouble(-1, 1);
        }
        double[] mean = new double[f];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < f; j++) {
                mean[j] += feat[i * f + j] / (double) t;
            }
        }
        for (boolean centred : new boolean[] {false, true}) {
            try (Graph g = new Graph(); Session s = TfSupport.session(g, TrainTestSupport.THREADS)) {
                Ops tf = Ops.create(g);
                Operand<TFloat32> fo = tf.constant(Shape.of(t, f), org.tensorflow.ndarray.buffer.DataBuffers.of(feat));
                org.tensorflow.op.core.Variable<TFloat32> wv = tf.variable(
                        tf.constant(Shape.of(k, f), org.tensorflow.ndarray.buffer.DataBuffers.of(w)));
                org.tensorflow.op.core.Variable<TFloat32> bv = tf.variable(
                        tf.constant(Shape.of(k), org.tensorflow.ndarray.buffer.DataBuffers.of(b)));
                Operand<TFloat32> centre = centred ? tf.math.mean(fo, tf.constant(0),
                        org.tensorflow.op.math.Mean.keepDims(true)) : null;
                Operand<TFloat32> logits = CadyqGraph.selectorLogits(tf, fo, wv, bv, centre);
                Operand<TFloat32> loss = tf.reduceSum(tf.math.mul(logits,
                        tf.constant(Shape.of(t, k), org.tensorflow.ndarray.buffer.DataBuffers.of(r))),
                        tf.constant(new int[] {0, 1}));
                Output<?>[] grads = g.addGradients(loss.asOutput(), new Output<?>[] {wv.asOutput(), bv.asOutput()});
                s.initialize();
                @SuppressWarnings("unchecked")
                List<float[]> v = TrainTestSupport.fetch(s, Map.of(), List.of(logits,
                        (Operand<TFloat32>) (Operand<?>) grads[0], (Operand<TFloat32>) (Operand<?>) grads[1]));
                for (int i = 0; i < t; i++) {
                    for (int c = 0; c < k; c++) {
                        double z = b[c];
                        for (int j = 0; j < f; j++) {
                            z += w[c * f + j] * feat[i * f + j];
                        }
                        assertEquals(z, v.get(0)[i * k + c], 1e-5, "logit value, centred " + centred);
                    }
                }
                for (int c = 0; c < k; c++) {
                    double gb = 0;
                    for (int i = 0; i < t; i++) {
                        gb += r[i * k + c];
                    }
                    assertEquals(gb, v.get(2)[c], 1e-5, "bias gradient");
                    for (int j = 0; j < f; j++) {
                        double gw = 0;
                        for (int i = 0; i < t; i++) {
                            gw += r[i * k + c] * (feat[i * f + j] - (centred ? mean[j] : 0));
                        }
                        assertEquals(gw, v.get(1)[c * f + j], 1e-5, "weight gradient, centred " + centred);
                    }
                }
            }
        }
    }

    /**
     * The centring's compensation: after the weight changes, the bias moves by -(change) m, so the logits of the
     * centre m itself do not move (the centred bias c = b + W m is what the weight step leaves alone).
     */
    @Test
    void compensationKeepsTheCentresLogits() {
        int f = 5;
        int k = 3;
        SplittableRandom rnd = new SplittableRandom(11);
        float[] w = new float[k * f];
        float[] w2 = new float[k * f];
        float[] b = new float[k];
        float[] m = new float[f];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextDouble(-1, 1);
            w2[i] = w[i] + (float) rnd.nextDouble(-0.5, 0.5);
        }
        for (int i = 0; i < k; i++) {
            b[i] = (float) rnd.nextDouble(-1, 1);
        }
        for (int i = 0; i < f; i++) {
            m[i] = (float) rnd.nextDouble(0.1, 1);
        }
        try (Graph g = new Graph(); Session s = TfSupport.session(g, TrainTestSupport.THREADS)) {
            Ops tf = Ops.create(g);
            var wv = tf.variable(Shape.of(k, f), TFloat32.class);
            var bv = tf.variable(Shape.of(k), TFloat32.class);
            Operand<TFloat32> mean = tf.constant(Shape.of(1, f), org.tensorflow.ndarray.buffer.DataBuffers.of(m));
            CadyqGraph.Centring c = new CadyqGraph.Centring(wv, bv, tf.variable(Shape.of(1, f), TFloat32.class),
                    tf.variable(Shape.of(k, f), TFloat32.class), mean);
            var setW = tf.assign(wv, tf.constant(Shape.of(k, f), org.tensorflow.ndarray.buffer.DataBuffers.of(w)));
            var setW2 = tf.assign(wv, tf.constant(Shape.of(k, f), org.tensorflow.ndarray.buffer.DataBuffers.of(w2)));
            var setB = tf.assign(bv, tf.constant(Shape.of(k), org.tensorflow.ndarray.buffer.DataBuffers.of(b)));
            Operand<TFloat32> logits = CadyqGraph.selectorLogits(tf, mean, wv, bv, null);
            var compensate = c.compensate(tf);
            s.runner().addTarget(setW).addTarget(setB).run();
            var init = c.init(tf);
            Session.Runner r = s.runner();
            init.forEach(r::addTarget);
            r.run();
            float[] before = TrainTestSupport.fetch(s, Map.of(), List.of(logits)).get(0);
            s.runner().addTarget(setW2).run();
            float[] moved = TrainTestSupport.fetch(s, Map.of(), List.of(logits)).get(0);
            s.runner().addTarget(compensate).run();
            float[] after = TrainTestSupport.fetch(s, Map.of(), List.of(logits)).get(0);
            double shift = 0;
            for (int i = 0; i < k; i++) {
                assertEquals(before[i], after[i], 1e-5, "logit " + i + " of the centre after compensation");
                shift = Math.max(shift, Math.abs(moved[i] - before[i]));
            }
            assertTrue(shift > 0.05, "the weight change moved the centre's logits before compensation: " + shift);
        }
    }
}
