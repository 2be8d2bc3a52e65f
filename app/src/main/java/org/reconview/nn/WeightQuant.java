package org.reconview.nn;

/**
 * Per-output-channel symmetric weight quantization of QW-Net (Thomas et al. 2020, section 5: eq. 3, w = s_w u, and
 * the last paragraph of 5.1: "the same quantization functions Q and Q' ... symmetric range by setting l = -u ...
 * u [is] the maximum absolute value of the weights corresponding to a channel").
 *
 * <p>Scale. The paper applies its own Q with l = -u, so s_w = (u - l) / M = 2 max|w_o| / (2^b - 1), that is
 * max|w_o| / (2^(b-1) - 1/2): neither the max / (2^(b-1) - 1) of Krishnamoorthi's "narrow" symmetric scheme nor
 * Jain et al.'s power-of-two max / 2^(b-1). We follow the paper. Zero point: eq. 3 has none (symmetric), and it is
 * what eq. 5 gives in exact arithmetic: l / s = -M / 2 = -(2^(b-1) - 1/2) is a tie, which R maps to -(2^(b-1) - 1)
 * (NEAREST_UP) or -2^(b-1) (FLOOR); the paper's z = 0 needs the latter. We fix z = 0 by definition (eq. 3) rather
 * than trusting a float tie.
 *
 * <p>Codes. |w / s| <= 2^(b-1) - 1/2, so R(w / s) lies in [-(2^(b-1) - 1), 2^(b-1)] and eq. 7's clamp at M_u takes
 * +2^(b-1) (w = +max) to 2^(b-1) - 1. With NEAREST_UP, -max gives floor(-2^(b-1) + 1) = -(2^(b-1) - 1), so codes
 * are in [-(2^(b-1) - 1), 2^(b-1) - 1] (4-bit: [-7, 7], 8-bit: [-127, 127]) and |w - s u| <= s / 2 everywhere (the
 * two ends are the only points clipped, by exactly s / 2). We clamp to that symmetric interval in both roundings:
 * it guards the float rounding of w / s at the ends and keeps the code set closed under negation (BN folding with
 * gamma < 0 flips signs). An all-zero channel gets scale 0 and codes 0.
 *
 * <p>Layout: OIHW as the float weights come, codes[i] belongs to channel i / {@link #perChannel()}. The arrays are
 * shared, not copied: treat them as read-only.
 *
 * @param outChannels O
 * @param bits b, the weight bit width
 * @param scales s_w per output channel (eq. 3)
 * @param codes integer weights u, OIHW
 * @param rounding R of eq. 7
 */
public record WeightQuant(int outChannels, int bits, float[] scales, int[] codes, Rounding rounding) {

    public WeightQuant {
        Quantizer.checkBits(bits);
        if (outChannels <= 0 || scales.length != outChannels || codes.length % outChannels != 0) {
            throw new IllegalArgumentException("weights: " + codes.length + " codes and " + scales.length
                    + " scales do not split into " + outChannels + " output channels");
        }
        int limit = codeLimit(bits);
        for (int c : codes) {
            if (c < -limit || c > limit) {
                throw new IllegalArgumentException("weight code " + c + " outside [" + -limit + ", " + limit + "]");
            }
        }
        for (float s : scales) {
            if (!(s >= 0) || Float.isInfinite(s)) {
                throw new IllegalArgumentException("weight scale must be finite and non-negative, got " + s);
            }
        }
    }

    /** 2^(b-1) - 1, the largest magnitude of a weight code. */
    public static int codeLimit(int bits) {
        return Quantizer.codeMax(bits);
    }

    /** s_w = (u - (-u)) / M = 2u / (2^b - 1) for threshold u (eq. 5's s with l = -u), in float. */
    public static float scaleFor(float threshold, int bits) {
        return (threshold + threshold) / Quantizer.levels(bits);
    }

    /** max|w_o| per output channel: the paper's weight thresholds u_o. */
    public static float[] maxAbsPerChannel(float[] weights, int outChannels) {
        int per = perChannel(weights.length, outChannels);
        float[] u = new float[outChannels];
        for (int o = 0; o < outChannels; o++) {
            float m = 0;
            for (int i = o * per; i < (o + 1) * per; i++) {
                float a = Math.abs(weights[i]);
                if (!(a <= Float.MAX_VALUE)) {
                    throw new IllegalArgumentException("weight " + i + " is not finite: " + weights[i]);
                }
                m = Math.max(m, a);
            }
            u[o] = m;
        }
        return u;
    }

    /** Quantize OIHW weights with u_o = max|w_o| (section 5.1). */
    public static WeightQuant quantize(float[] weights, int outChannels, int bits, Rounding rounding) {
        return quantize(weights, outChannels, maxAbsPerChannel(weights, outChannels), bits, rounding);
    }

    /**
     * Quantize OIHW weights with given per-channel thresholds u_o (l_o = -u_o). Normally u_o = max|w_o|; BN folding
     * passes |lambda_o| u_o ({@link BatchNormFolding#scaleWeightThresholds}).
     */
    public static WeightQuant quantize(float[] weights, int outChannels, float[] thresholds, int bits,
            Rounding rounding) {
        int per = perChannel(weights.length, outChannels);
        if (thresholds.length != outChannels) {
            throw new IllegalArgumentException(thresholds.length + " thresholds for " + outChannels + " channels");
        }
        int limit = codeLimit(bits);
        float[] scales = new float[outChannels];
        int[] codes = new int[weights.length];
        for (int o = 0; o < outChannels; o++) {
            float s = scaleFor(thresholds[o], bits);
            scales[o] = s;
            if (s == 0) {
                continue;
            }
            for (int i = o * per; i < (o + 1) * per; i++) {
                int c = rounding.round(weights[i] / s);
                codes[i] = Math.max(-limit, Math.min(limit, c));
            }
        }
        return new WeightQuant(outChannels, bits, scales, codes, rounding);
    }

    /** Weights per output channel (I * H * W). */
    public int perChannel() {
        return codes.length / outChannels;
    }

    /** w = s_w u (eq. 3) for element i. */
    public float dequantize(int i) {
        return scales[i / perChannel()] * codes[i];
    }

    /** Eq. 3 over all weights, OIHW. */
    public float[] dequantize() {
        float[] w = new float[codes.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = dequantize(i);
        }
        return w;
    }

    /** Sum of the integer weights of each output channel's kernel: the sum(u_i) of section 5's bias c. */
    public long[] codeSums() {
        int per = perChannel();
        long[] sums = new long[outChannels];
        for (int i = 0; i < codes.length; i++) {
            sums[i / per] += codes[i];
        }
        return sums;
    }

    private static int perChannel(int length, int outChannels) {
        if (outChannels <= 0 || length == 0 || length % outChannels != 0) {
            throw new IllegalArgumentException(length + " weights do not split into " + outChannels
                    + " output channels");
        }
        return length / outChannels;
    }
}
