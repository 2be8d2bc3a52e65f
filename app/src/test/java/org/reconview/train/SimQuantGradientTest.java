package org.reconview.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.reconview.nn.ActivationQuant;
import org.reconview.nn.Rounding;
import org.reconview.nn.WeightQuant;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * The simulated quantizer's gradients as TensorFlow computes them (Graph.addGradients through the straight-through
 * graph of {@link SimQuant}) against the closed forms derived in {@link SimQuant}'s Javadoc, on random inputs inside,
 * below and above the nudged range; the printed eq. 10 against both; the weight quantizer's straight-through gradient
 * against the clipped identity; and the float32 forward against {@link ActivationQuant} / {@link WeightQuant}.
 */
@org.junit.jupiter.api.Tag("tensorflow")
class SimQuantGradientTest {
    private static final int N = 6000;

    /** Per-element thresholds and inputs: index i has its own (t_l, t_u) so one run gives N local gradients. */
    private record Cases(double[] x, double[] tl, double[] tu, int[] where) {
    }

    /** where: 0 inside, 1 below, 2 above (a third each), away from rounding ties and range ends. */
    private static Cases cases(int bits, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[N];
        double[] tl = new double[N];
        double[] tu = new double[N];
        int[] where = new int[N];
        int m = (1 << bits) - 1;
        for (int i = 0; i < N; i++) {
            tl[i] = -2 + 3 * rnd.nextDouble();
            tu[i] = -1 + 3 * rnd.nextDouble();
            double l = -Math.exp(tl[i]);
            double s = (Math.exp(tu[i]) - l) / m;
            double k = Math.floor(l / s + 0.5);
            double lo = k * s;
            double hi = lo + m * s;
            where[i] = i % 3;
            while (true) {
                double v = switch (where[i]) {
                    case 0 -> lo + (hi - lo) * rnd.nextDouble();
                    case 1 -> lo - (hi - lo) * rnd.nextDouble();
                    default -> hi + (hi - lo) * rnd.nextDouble();
                };
                double frac = v / s - Math.floor(v / s);
                boolean nearTie = Math.abs(frac - 0.5) < 1e-3;
                boolean nearEnd = Math.abs(v - lo) < 1e-3 * s || Math.abs(v - hi) < 1e-3 * s;
                if (!nearTie && !nearEnd) {
                    x[i] = v;
                    break;
                }
            }
        }
        return new Cases(x, tl, tu, where);
    }

    /** {dQ'/dx, dQ'/dt_l, dQ'/dt_u} per element from TensorFlow, in the given float type. */
    private static <T extends TFloating> double[][] tfGradients(Cases c, int bits, Class<T> type) {
        try (Graph g = new Graph(); Session s = TfSupport.session(g, TrainTestSupport.THREADS)) {
            Ops tf = Ops.create(g);
            Placeholder<T> x = tf.placeholder(type, Placeholder.shape(Shape.of(N)));
            Placeholder<T> tl = tf.placeholder(type, Placeholder.shape(Shape.of(N)));
            Placeholder<T> tu = tf.placeholder(type, Placeholder.shape(Shape.of(N)));
            Operand<T> y = SimQuant.activation(tf, x, tl, tu, bits);
            Operand<T> loss = tf.sum(y, tf.constant(0));
            Output<?>[] grads = g.addGradients(loss.asOutput(), new Output<?>[] {x.asOutput(), tl.asOutput(),
                tu.asOutput()});
            try (var tx = tensor(c.x(), type); var ttl = tensor(c.tl(), type); var ttu = tensor(c.tu(), type)) {
                Session.Runner r = s.runner().feed(x, tx).feed(tl, ttl).feed(tu, ttu);
                for (Output<?> o : grads) {
                    r.fetch(o);
                }
                double[][] out = new double[3][N];
                try (var result = r.run()) {
                    for (int k = 0; k < 3; k++) {
                        out[k] = values(result.get(k));
                    }
                }
                return out;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends TFloating> T tensor(double[] v, Class<T> type) {
        if (type == TFloat64.class) {
            return (T) TFloat64.tensorOf(Shape.of(v.length), DataBuffers.of(v, true, false));
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return (T) TFloat32.tensorOf(Shape.of(v.length), DataBuffers.of(f, true, false));
    }

    private static double[] values(org.tensorflow.Tensor t) {
        double[] out = new double[N];
        if (t instanceof TFloat64 d) {
            for (int i = 0; i < N; i++) {
                out[i] = d.getDouble(i);
            }
        } else {
            TFloat32 f = (TFloat32) t;
            for (int i = 0; i < N; i++) {
                out[i] = f.getFloat(i);
            }
        }
        return out;
    }

    @Test
    void thresholdGradientsEqualTheClosedForms() {
        for (int bits : new int[] {4, 8}) {
            Cases c = cases(bits, 17 + bits);
            double[][] g = tfGradients(c, bits, TFloat64.class);
            int[] seen = new int[3];
            int nonZeroTl = 0;
            for (int i = 0; i < N; i++) {
                double[] cf = SimQuant.thresholdGradients(c.x()[i], c.tl()[i], c.tu()[i], bits);
                String at = "bits " + bits + " case " + c.where()[i] + " x=" + c.x()[i] + " t_l=" + c.tl()[i]
                        + " t_u=" + c.tu()[i];
                assertEquals(cf[0], g[0][i], 0.0, "dQ'/dx " + at);
                for (int k = 1; k < 3; k++) {
                    double scale = Math.abs(cf[k]);
                    assertEquals(cf[k], g[k][i], 1e-5 * scale + 1e-12, (k == 1 ? "dQ'/dt_l " : "dQ'/dt_u ") + at);
                }
                seen[c.where()[i]]++;
                if (Math.abs(cf[1]) > 1e-3) {
                    nonZeroTl++;
                }
            }
            assertTrue(seen[0] >= N / 4 && seen[1] >= N / 4 && seen[2] >= N / 4);
            assertTrue(nonZeroTl > N / 2, "the t_l gradients are mostly non-trivial");
        }
    }

    @Test
    void float32GradientsAgreeToFloatPrecision() {
        // In float32 the bracket R(x/s) - x/s loses digits (x/s is up to M in magnitude): agreement to ~1e-6 M of
        // the step derivative, not 1e-5 relative. The float64 test above is the tight one.
        int bits = 4;
        Cases c = cases(bits, 99);
        double[][] g = tfGradients(c, bits, TFloat32.class);
        for (int i = 0; i < N; i++) {
            double[] cf = SimQuant.thresholdGradients(c.x()[i], c.tl()[i], c.tu()[i], bits);
            double dsTl = Math.exp(c.tl()[i]) / 15;
            double dsTu = Math.exp(c.tu()[i]) / 15;
            assertEquals(cf[0], g[0][i], 0.0);
            assertEquals(cf[1], g[1][i], 2e-5 * 15 * dsTl + 1e-5 * Math.abs(cf[1]));
            assertEquals(cf[2], g[2][i], 2e-5 * 15 * dsTu + 1e-5 * Math.abs(cf[2]));
        }
    }

    @Test
    void printedEquation10IsTheDerivativeWithRespectToL() {
        // Eq. 10 as printed (floor read as the forward rounding) is dQ'/dl: times dl/dt_l = -e^(t_l) it is our
        // dQ'/dt_l, and by itself it is not what TensorFlow computes for t_l.
        int bits = 4;
        Cases c = cases(bits, 5);
        double[][] g = tfGradients(c, bits, TFloat64.class);
        int differs = 0;
        for (int i = 0; i < N; i++) {
            double eq10 = SimQuant.paperEq10(c.x()[i], c.tl()[i], c.tu()[i], bits);
            double ours = SimQuant.thresholdGradients(c.x()[i], c.tl()[i], c.tu()[i], bits)[1];
            assertEquals(ours, -Math.exp(c.tl()[i]) * eq10, 1e-12 + 1e-9 * Math.abs(ours));
            if (Math.abs(eq10 - g[1][i]) > 1e-3 * Math.abs(g[1][i]) + 1e-9) {
                differs++;
            }
        }
        assertTrue(differs > N * 9 / 10, "eq. 10 without the chain factor differs from TF on " + differs);
    }

    @Test
    void float32ForwardEqualsActivationQuant() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int bits : new int[] {4, 8}) {
            double[] x = new double[N];
            double[] tl = new double[N];
            double[] tu = new double[N];
            for (int i = 0; i < N; i++) {
                tl[i] = (float) (-2 + 3 * rnd.nextDouble());
                tu[i] = (float) (-1 + 3 * rnd.nextDouble());
                x[i] = (float) (-3 * Math.exp(tl[i]) + (3 * Math.exp(tu[i]) + 3 * Math.exp(tl[i])) * rnd.nextDouble());
            }
            try (Graph g = new Graph(); Session s = TfSupport.session(g, TrainTestSupport.THREADS)) {
                Ops tf = Ops.create(g);
                Operand<TFloat32> ctl = tf.constant(toFloat(tl));
                Operand<TFloat32> ctu = tf.constant(toFloat(tu));
                Operand<TFloat32> y = SimQuant.activation(tf, tf.constant(toFloat(x)), ctl, ctu, bits);
                int differ = 0;
                try (var r = s.runner().fetch(y).fetch(tf.math.exp(ctl)).fetch(tf.math.exp(ctu)).run()) {
                    TFloat32 out = (TFloat32) r.get(0);
                    TFloat32 el = (TFloat32) r.get(1);
                    TFloat32 eu = (TFloat32) r.get(2);
                    for (int i = 0; i < N; i++) {
                        // TensorFlow's float exp may differ from Java's correctly rounded one by an ulp: take l and
                        // u as TensorFlow computes them, then everything else must agree bit for bit.
                        ActivationQuant q = ActivationQuant.fromRange(-el.getFloat(i), eu.getFloat(i), bits,
                                Rounding.NEAREST_UP);
                        float ref = q.fakeQuant((float) x[i]);
                        if (ref != out.getFloat(i)) {
                            differ++;
                            assertEquals(ref, out.getFloat(i), q.scale() * 1.0001, "x=" + x[i]);
                        }
                    }
                }
                // Only exact rounding ties could differ (floor(v + 0.5) in float vs double): none expected.
                assertTrue(differ <= 2, differ + " of " + N + " differ");
            }
        }
    }

    @Test
    void weightGradientIsTheClippedIdentity() {
        SplittableRandom rnd = new SplittableRandom(8);
        int kh = 3;
        int kw = 3;
        int in = 5;
        int out = 6;
        int n = kh * kw * in * out;
        for (int bits : new int[] {4, 8}) {
            float[] w = new float[n];
            float[] c = new float[n];
            for (int i = 0; i < n; i++) {
                w[i] = (float) (rnd.nextDouble() * 2 - 1) * (1 + i % out);
                c[i] = (float) (rnd.nextDouble() * 2 - 1);
            }
            try (Graph g = new Graph(); Session s = TfSupport.session(g, TrainTestSupport.THREADS)) {
                Ops tf = Ops.create(g);
                Placeholder<TFloat32> pw = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(kh, kw, in, out)));
                Operand<TFloat32> q = SimQuant.weightsHwio(tf, pw, bits);
                Operand<TFloat32> loss = tf.sum(tf.math.mul(q, tf.reshape(tf.constant(c),
                        tf.constant(new int[] {kh, kw, in, out}))), tf.constant(new int[] {0, 1, 2, 3}));
                Output<?>[] grad = g.addGradients(loss.asOutput(), new Output<?>[] {pw.asOutput()});
                try (TFloat32 tw = TfSupport.tensor(w, kh, kw, in, out);
                     var r = s.runner().feed(pw, tw).fetch(q).fetch(grad[0]).run()) {
                    float[] qv = TfSupport.floats((TFloat32) r.get(0));
                    float[] gv = TfSupport.floats((TFloat32) r.get(1));
                    // WeightQuant on the same weights in OIHW order.
                    float[] oihw = new float[n];
                    for (int i = 0; i < n; i++) {
                        int o = i % out;
                        int ci = (i / out) % in;
                        int kx = (i / (out * in)) % kw;
                        int ky = i / (out * in * kw);
                        oihw[((o * in + ci) * kh + ky) * kw + kx] = w[i];
                    }
                    WeightQuant wq = WeightQuant.quantize(oihw, out, bits, Rounding.NEAREST_UP);
                    int clipped = 0;
                    for (int i = 0; i < n; i++) {
                        int o = i % out;
                        int ci = (i / out) % in;
                        int kx = (i / (out * in)) % kw;
                        int ky = i / (out * in * kw);
                        int j = ((o * in + ci) * kh + ky) * kw + kx;
                        assertEquals(wq.dequantize(j), qv[i], 0f, "forward, bits " + bits + " weight " + i);
                        float limit = wq.scales()[o] * WeightQuant.codeLimit(bits);
                        boolean inside = Math.abs(w[i]) < limit;
                        // (c s) / s in float: equal to c up to one rounding; exactly 0 where clipped.
                        assertEquals(inside ? c[i] : 0f, gv[i], inside ? 1e-6f * Math.abs(c[i]) : 0f,
                                "gradient, bits " + bits + " weight " + i);
                        if (!inside) {
                            clipped++;
                        }
                    }
                    assertTrue(clipped >= out, "each channel's extreme weight is clipped: " + clipped);
                }
            }
        }
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
