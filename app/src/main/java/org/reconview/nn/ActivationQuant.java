package org.reconview.nn;

/**
 * Per-layer affine activation quantizer of QW-Net (Thomas et al. 2020, section 5, eqs. 4-8): the nudged range
 * [lo, hi] = [l_a, u_a], the step s, the integer zero point z, and the b-bit signed code range [M_l, M_u] =
 * [-2^(b-1), 2^(b-1) - 1] ({@link #codeMin()}, {@link #codeMax()}) that an integer kernel needs.
 *
 * <p>Derivation (R = the {@link Rounding}; NEAREST_UP is floor(v + 0.5)), from thresholds l = -e^(t_l) < 0 < u =
 * e^(t_u):
 * <ol>
 * <li>s = (u - l) / M with M = M_u - M_l = 2^b - 1 (text under eq. 6).</li>
 * <li>eq. 5: l_a = s R(l / s). Write k = R(l / s): an integer in [-M, 0] because -M < l / s < 0; so l_a = k s.</li>
 * <li>eq. 6: u_a = l_a + s M = (k + M) s, still M steps wide, shifted by l_a - l, which is in [-s/2, s/2) for
 * NEAREST_UP and in (-s, 0] for FLOOR: the nudged range holds the original up to less than one step.</li>
 * <li>eq. 7: z = M_l - l_a / s = M_l - k, an integer in [M_l, M_u]; Q(x) = R(x / s) + z inside [l_a, u_a], M_l
 * below, M_u above. Then Q(l_a) = k + z = M_l and Q(u_a) = k + M + z = M_u: the grid endpoints are the code
 * endpoints, and all 2^b codes are reached.</li>
 * <li>eq. 8 (and eq. 4): Q'(x) = s (Q(x) - z). For x = 0: x / s = 0 exactly, R(0) = 0, Q(0) = z and Q'(0) =
 * s * 0 = 0.0 exactly, in float too, for any thresholds: zero padding stays zero.</li>
 * </ol>
 * Eq. 5's rounding is applied to l / s (a negative number), as printed. At an exact tie (l / s = -2.5) floor(v+0.5)
 * gives -2, so the range moves up; TensorFlow rounds the positive -l / s with std::round (half away from zero) and
 * gets 3, moving it down. {@code QuantTfAgreementTest} pins that case. Float evaluation mirrors TensorFlow's
 * {@code Nudge} where the definitions coincide: s = (u - l) / M, l / s, lo = k s and hi = (M + k) s each rounded
 * once in float (the last is eq. 6's l_a + s M evaluated as one product), so lo, hi and s are bit-identical to
 * TensorFlow's nudged_min, nudged_max and scale whenever the zero point agrees.
 *
 * @param lo l_a, the nudged lower end of the range (eq. 5), a multiple of scale, at most 0
 * @param hi u_a, the nudged upper end (eq. 6), at least 0
 * @param bits b, the activation bit width
 * @param zeroPoint z (eq. 7), the code of 0.0, in [codeMin, codeMax]
 * @param scale s, the step (eq. 4)
 * @param rounding R in eqs. 5 and 7
 */
public record ActivationQuant(float lo, float hi, int bits, int zeroPoint, float scale, Rounding rounding) {

    public ActivationQuant {
        Quantizer.checkBits(bits);
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("activation scale must be positive and finite, got " + scale);
        }
        if (zeroPoint < Quantizer.codeMin(bits) || zeroPoint > Quantizer.codeMax(bits)) {
            throw new IllegalArgumentException("zero point " + zeroPoint + " outside the " + bits + "-bit codes");
        }
        if (!(lo <= 0 && hi >= 0)) {
            throw new IllegalArgumentException("range [" + lo + ", " + hi + "] must contain 0");
        }
        if (rounding == null) {
            throw new IllegalArgumentException("rounding is null");
        }
    }

    /** From trained log-space thresholds: l = -e^(t_l), u = e^(t_u) (section 5.1), then eqs. 5-6. */
    public static ActivationQuant fromThresholds(double tl, double tu, int bits, Rounding rounding) {
        return fromRange(Quantizer.lowerThreshold(tl), Quantizer.upperThreshold(tu), bits, rounding);
    }

    /**
     * From an un-nudged range [l, u] with l <= 0 <= u and l < u (eqs. 5-6; see the class comment). Thresholds from
     * {@link #fromThresholds} always satisfy this; a range not containing 0 is refused (TensorFlow would shift it).
     */
    public static ActivationQuant fromRange(float l, float u, int bits, Rounding rounding) {
        if (!(l <= 0 && u >= 0 && l < u) || Float.isInfinite(l) || Float.isInfinite(u)) {
            throw new IllegalArgumentException("activation range [" + l + ", " + u + "] must be finite, contain 0"
                    + " and have l < u");
        }
        int m = Quantizer.levels(bits);
        float s = (u - l) / m;
        if (!(s > 0) || Float.isInfinite(s)) {
            throw new IllegalArgumentException("activation range [" + l + ", " + u + "] gives no usable step");
        }
        int k = Math.max(-m, Math.min(0, rounding.round(l / s))); // eq. 5: l_a = k s
        float lo = k * s;
        float hi = (m + k) * s; // eq. 6: u_a = l_a + s M
        int z = Quantizer.codeMin(bits) - k; // eq. 7: z = M_l - l_a / s
        return new ActivationQuant(lo, hi, bits, z, s, rounding);
    }

    /** M_l = -2^(b-1), the code of lo. */
    public int codeMin() {
        return Quantizer.codeMin(bits);
    }

    /** M_u = 2^(b-1) - 1, the code of hi. */
    public int codeMax() {
        return Quantizer.codeMax(bits);
    }

    /** M = 2^b - 1 steps. */
    public int levels() {
        return Quantizer.levels(bits);
    }

    /**
     * Q(x) of eq. 7: M_l at or below lo, M_u at or above hi (what eq. 7 gives at the ends in exact arithmetic), else
     * R(x / s) + z (x / s divided in float, then rounded exactly). NaN gives the zero point. The final clamp only
     * guards against x / s landing a float ulp outside the grid near the ends. Under {@link Rounding#FLOOR} an
     * interior grid point x = j s may divide to a hair below j and drop one code: the literal floor is fragile, one
     * more reason it is only an ablation.
     */
    public int code(float x) {
        if (x <= lo) {
            return codeMin();
        }
        if (x >= hi) {
            return codeMax();
        }
        if (x != x) {
            return zeroPoint;
        }
        int c = zeroPoint + rounding.round(x / scale);
        return Math.max(codeMin(), Math.min(codeMax(), c));
    }

    /** x = s (v - z), eq. 4. Exactly 0.0 for the zero point. */
    public float dequantize(int code) {
        return (code - zeroPoint) * scale;
    }

    /** Q'(x) = s (Q(x) - z), eq. 8: simulated quantization. */
    public float fakeQuant(float x) {
        return dequantize(code(x));
    }

    /** Q over an array. */
    public int[] codes(float[] x) {
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = code(x[i]);
        }
        return out;
    }

    /** Eq. 4 over an array. */
    public float[] dequantize(int[] codes) {
        float[] out = new float[codes.length];
        for (int i = 0; i < codes.length; i++) {
            out[i] = dequantize(codes[i]);
        }
        return out;
    }
}
