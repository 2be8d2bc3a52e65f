package org.reconview.nn;

/**
 * The quantizer of QW-Net (Thomas et al. 2020, section 5, equations 3-8), the one definition every path (Java golden
 * model, GLSL, CUDA, training graph) is checked against. Weights: per output channel, symmetric (eq. 3,
 * {@link WeightQuant}). Activations: per layer, affine with a zero point (eq. 4), from trained log-space thresholds
 * (section 5.1), with the range nudged so that 0.0 is a grid point (eqs. 5-6, {@link ActivationQuant}).
 *
 * <p>Conventions, as the paper writes them: a b-bit code lies in [M_l, M_u] = [-2^(b-1), 2^(b-1) - 1] (signed), and
 * M = M_u - M_l = 2^b - 1 is the number of steps between the 2^b codes (the paper prints "M = M_l + M_u", a typo:
 * with its own M_l, M_u that sum is -1; s = (u - l) / M only maps [l, u] onto [M_l, M_u] with the difference).
 * Rounding is {@link Rounding#NEAREST_UP} (floor(v + 0.5)) unless an ablation asks for {@link Rounding#FLOOR}.
 *
 * <p>Concatenated tensors (Fig. 4, decoder: upsampled features ++ encoder skip) must share one quantization range
 * so that the next convolution sees one (s, z) for its whole input: {@link #shared}.
 */
public final class Quantizer {
    /** Initial lower threshold variable: t_l = ln 1, so l = -1, the lower limit of ELU (section 5.1). */
    public static final double INIT_T_L = 0.0;
    /** Initial upper threshold variable: t_u = ln 3, so u = 3 (section 5.1). */
    public static final double INIT_T_U = Math.log(3.0);

    private Quantizer() {
    }

    /** M = M_u - M_l = 2^b - 1: steps between the 2^b codes of a b-bit integer. */
    public static int levels(int bits) {
        checkBits(bits);
        return (1 << bits) - 1;
    }

    /** M_l = -2^(b-1), the smallest b-bit code. */
    public static int codeMin(int bits) {
        checkBits(bits);
        return -(1 << (bits - 1));
    }

    /** M_u = 2^(b-1) - 1, the largest b-bit code. */
    public static int codeMax(int bits) {
        checkBits(bits);
        return (1 << (bits - 1)) - 1;
    }

    /** l = -e^(t_l) (section 5.1), rounded once to float. Always negative, so 0 lies inside [l, u]. */
    public static float lowerThreshold(double tl) {
        return (float) -Math.exp(tl);
    }

    /** u = e^(t_u) (section 5.1), rounded once to float. Always positive. */
    public static float upperThreshold(double tu) {
        return (float) Math.exp(tu);
    }

    /** The activation quantizer of one layer from its trained thresholds (eqs. 5-8). */
    public static ActivationQuant activation(double tl, double tu, int bits, Rounding rounding) {
        return ActivationQuant.fromThresholds(tl, tu, bits, rounding);
    }

    /**
     * One activation quantizer for two tensors that are concatenated (Fig. 4: "we ensure that they use the same
     * quantization range"). The shared range is the union of the two un-nudged ranges, [min(l_A, l_B), max(u_A,
     * u_B)], nudged once (eqs. 5-6), so both tensors get bit-identical (lo, hi, s, z). Because l = -e^(t_l) and
     * u = e^(t_u) are monotone in t, the union is simply (max(t_l), max(t_u)) in the trained variables. When the
     * training graph ties the two quantizers to one pair of variables (the paper's rule), the pairs are equal and
     * this is exactly {@link #activation} of that pair; the union only matters for thresholds trained apart.
     */
    public static ActivationQuant shared(double tlA, double tuA, double tlB, double tuB, int bits, Rounding rounding) {
        return ActivationQuant.fromThresholds(Math.max(tlA, tlB), Math.max(tuA, tuB), bits, rounding);
    }

    /** Per-output-channel symmetric weights with u = max|w_o| (section 5.1, last paragraph); OIHW layout. */
    public static WeightQuant weights(float[] weights, int outChannels, int bits, Rounding rounding) {
        return WeightQuant.quantize(weights, outChannels, bits, rounding);
    }

    static void checkBits(int bits) {
        if (bits < 2 || bits > 16) {
            throw new IllegalArgumentException("quantization bits must be in [2, 16], got " + bits);
        }
    }
}
