package org.reconview.train;

import org.reconview.nn.ActivationQuant;
import org.reconview.nn.Quantizer;
import org.reconview.nn.WeightQuant;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Simulated quantization for training (Thomas et al. 2020, section 5.1): TensorFlow graph fragments that compute
 * exactly the values of {@link ActivationQuant#fakeQuant} and of {@link WeightQuant}'s dequantized weights, with
 * straight-through gradients. Generic over the float type so that the gradient test can also run in float64.
 *
 * <h2>Activations: Q'(x; t_l, t_u), forward</h2>
 * l = -e^(t_l), u = e^(t_u), s = (u - l) / M (M = 2^b - 1), k = R(l / s) with R(v) = floor(v + 0.5) (the project's
 * rounding, {@link org.reconview.nn.Rounding#NEAREST_UP}), l_a = k s, u_a = l_a + M s (eqs. 5-6), and eq. 9:
 * <pre>
 *   Q'(x) = s R(x / s)  if l_a <= x <= u_a,     l_a  if x < l_a,     u_a  if x > u_a.
 * </pre>
 * Graph: x_c = min(max(x, l_a), u_a), Q' = s R_ste(x_c / s), with R_ste(v) = v + stopGradient(R(v) - v) (value R(v),
 * dR/dv = 1) and l_a = s R_ste(l / s). Every result is an integer multiple j s of the step with j in [k, k + M], as in
 * {@link ActivationQuant} (whose (code - z) s is the same product), so the values agree bit for bit whenever s and k
 * agree.
 *
 * <h2>Gradients (derivation, straight-through rule dR(v)/dv = 1)</h2>
 * For any parameter theta: ds, dl below are d/dtheta. With t_l: dl/dt_l = -e^(t_l) = l, ds/dt_l = e^(t_l) / M;
 * with t_u: dl/dt_u = 0, ds/dt_u = e^(t_u) / M = u / M.
 * <ul>
 * <li>inside: d[s R(x/s)] = ds R(x/s) + s (-x / s^2) ds = ds (R(x/s) - x/s), and dQ'/dx = 1;</li>
 * <li>below: d[s R(l/s)] = ds R(l/s) + s (dl / s - l ds / s^2) = ds (k - l/s) + dl, and dQ'/dx = 0;</li>
 * <li>above: d[l_a + M s] = ds (k - l/s + M) + dl, and dQ'/dx = 0.</li>
 * </ul>
 * Hence, with r = R(x/s) - x/s and r_l = k - l/s (both in [-1/2, 1/2]):
 * <pre>
 *   dQ'/dt_l = e^(t_l)/M * ( r      | r_l - M | r_l     )     (inside | below | above)
 *   dQ'/dt_u = u/M       * ( r      | r_l     | r_l + M )
 * </pre>
 * ({@link #thresholdGradients}). The case split is eq. 9's (x against l_a and u_a), not R(x/s) against k: an x in
 * [l_a - s/2, l_a) rounds to k either way but counts as "below" (gradient 0 for x, the l-term for t_l).
 *
 * <h2>How this differs from the printed Appendix A</h2>
 * Eq. 11 (t_u) is the same as above with floor for R. Eq. 10 (t_l) prints (1/M)(x/s - floor(x/s)),
 * (1/M)(l/s - floor(l/s) + M) and (1/M)(l/s - floor(l/s)): that is dQ'/dl (ds/dl = -1/M, dl/dl = 1), not dQ'/dt_l.
 * The chain-rule factor dl/dt_l = -e^(t_l) is missing, whereas eq. 11 does carry its factor du/dt_u = e^(t_u) = u.
 * Multiplying eq. 10 by -e^(t_l) gives the t_l row above. (And the bracket is round-to-nearest, not floor, as in the
 * forward pass; see {@link org.reconview.nn.Rounding}.)
 *
 * <h2>Weights</h2>
 * Per output channel symmetric, u_o = max|w_o| (not trained: stopGradient), s_o = 2 u_o / (2^b - 1), codes
 * clamp(R(w / s_o), -(2^(b-1) - 1), 2^(b-1) - 1) as {@link WeightQuant}; in the graph w_c = clip(w, -L s_o, L s_o)
 * with L = 2^(b-1) - 1 and Q'(w) = s_o R_ste(w_c / s_o): the gradient w.r.t. w is the clipped identity (1 where
 * |w| < L s_o, 0 beyond, i.e. for the extreme weights whose code is clamped).
 */
public final class SimQuant {
    private SimQuant() {
    }

    /** R_ste(v) = v + stopGradient(floor(v + 0.5) - v): value floor(v + 0.5), gradient 1. */
    public static <T extends TFloating> Operand<T> roundSte(Ops tf, Operand<T> v) {
        Operand<T> half = constant(tf, 0.5, v.type());
        Operand<T> r = tf.math.floor(tf.math.add(v, half));
        return tf.math.add(v, tf.stopGradient(tf.math.sub(r, v)));
    }

    /** The nudged range of one activation quantizer as graph values: s, l_a, u_a. */
    public record Range<T extends TFloating>(Operand<T> step, Operand<T> lo, Operand<T> hi) {
    }

    /** s, l_a = s R_ste(l / s), u_a = l_a + M s from log-space thresholds (any broadcastable shapes). */
    public static <T extends TFloating> Range<T> range(Ops tf, Operand<T> tl, Operand<T> tu, int bits) {
        Class<T> type = tl.type();
        Operand<T> l = tf.math.neg(tf.math.exp(tl));
        Operand<T> u = tf.math.exp(tu);
        Operand<T> m = divisor(tf, Quantizer.levels(bits), type);
        Operand<T> s = tf.math.realDiv(tf.math.sub(u, l), m);
        Operand<T> lo = tf.math.mul(s, roundSte(tf, tf.math.realDiv(l, s)));
        Operand<T> hi = tf.math.add(lo, tf.math.mul(m, s));
        return new Range<>(s, lo, hi);
    }

    /** Q'(x; t_l, t_u) with b-bit activations (eq. 9), straight-through gradients for x, t_l and t_u. */
    public static <T extends TFloating> Operand<T> activation(Ops tf, Operand<T> x, Operand<T> tl, Operand<T> tu,
            int bits) {
        Range<T> r = range(tf, tl, tu, bits);
        Operand<T> xc = tf.math.minimum(tf.math.maximum(x, r.lo()), r.hi());
        return tf.math.mul(r.step(), roundSte(tf, tf.math.realDiv(xc, r.step())));
    }

    /**
     * Per-output-channel symmetric weight fake quantization (b bits, u_o = max|w_o|, not trained). {@code w} is
     * HWIO: the output channel is the last axis, the max runs over the first three.
     */
    public static <T extends TFloating> Operand<T> weightsHwio(Ops tf, Operand<T> w, int bits) {
        Class<T> type = w.type();
        Operand<T> maxAbs = tf.stopGradient(tf.max(tf.math.abs(w), tf.constant(new int[] {0, 1, 2}),
                org.tensorflow.op.core.Max.keepDims(true)));
        return weightsWithThreshold(tf, w, maxAbs, bits, type);
    }

    /** Symmetric weight fake quantization with given thresholds u (broadcast against w). */
    static <T extends TFloating> Operand<T> weightsWithThreshold(Ops tf, Operand<T> w, Operand<T> u, int bits,
            Class<T> type) {
        Operand<T> s = tf.math.realDiv(tf.math.add(u, u), divisor(tf, Quantizer.levels(bits), type));
        Operand<T> limit = tf.math.mul(s, constant(tf, WeightQuant.codeLimit(bits), type));
        Operand<T> wc = tf.math.minimum(tf.math.maximum(w, tf.math.neg(limit)), limit);
        // An all-zero channel has s = 0: x / 0 would be NaN; divide by max(s, tiny) (the result is 0 either way).
        Operand<T> safe = tf.math.maximum(s, constant(tf, Float.MIN_NORMAL, type));
        return tf.math.mul(s, roundSte(tf, tf.math.realDiv(wc, safe)));
    }

    /**
     * The closed forms derived in the class comment: {dQ'/dx, dQ'/dt_l, dQ'/dt_u} at x, in double precision. The
     * caller passes the same s, l and k as the forward pass if it wants bit-level agreement; this evaluates them in
     * double from t_l, t_u.
     */
    public static double[] thresholdGradients(double x, double tl, double tu, int bits) {
        int m = Quantizer.levels(bits);
        double l = -Math.exp(tl);
        double u = Math.exp(tu);
        double s = (u - l) / m;
        double k = Math.floor(l / s + 0.5);
        double lo = k * s;
        double hi = lo + m * s;
        double dsTl = Math.exp(tl) / m;
        double dsTu = u / m;
        double rl = k - l / s;
        if (x < lo) {
            return new double[] {0, dsTl * (rl - m), dsTu * rl};
        }
        if (x > hi) {
            return new double[] {0, dsTl * rl, dsTu * (rl + m)};
        }
        double r = Math.floor(x / s + 0.5) - x / s;
        return new double[] {1, dsTl * r, dsTu * r};
    }

    /** The printed Appendix A eq. 10 (floor replaced by the forward rounding): dQ'/dl, see the class comment. */
    public static double paperEq10(double x, double tl, double tu, int bits) {
        int m = Quantizer.levels(bits);
        double l = -Math.exp(tl);
        double s = (Math.exp(tu) - l) / m;
        double k = Math.floor(l / s + 0.5);
        double lo = k * s;
        if (x < lo) {
            return (l / s - k + m) / m;
        }
        if (x > lo + m * s) {
            return (l / s - k) / m;
        }
        return (x / s - Math.floor(x / s + 0.5)) / m;
    }

    /**
     * A constant to divide by, hidden from Grappler: its constant folding rewrites x / c into x * (1 / c) for a
     * constant c, which differs from IEEE division in the last bit for about 60% of inputs (measured) and would move
     * s = (u - l) / M off the golden model's value. A PlaceholderWithDefault is not a constant to the optimizer.
     */
    static <T extends TFloating> Operand<T> divisor(Ops tf, double v, Class<T> type) {
        return tf.placeholderWithDefault(constant(tf, v, type), org.tensorflow.ndarray.Shape.scalar());
    }

    static <T extends TFloating> Operand<T> constant(Ops tf, double v, Class<T> type) {
        return tf.dtypes.cast(tf.constant(v), type);
    }
}
