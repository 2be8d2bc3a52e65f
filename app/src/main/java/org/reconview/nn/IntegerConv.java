package org.reconview.nn;

/**
 * The integer convolution of QW-Net (Thomas et al. 2020, section 5), plain-Java reference for the GLSL and CUDA
 * kernels: int32 accumulation of code products, then one float MAC per output, y = alpha * sum(u v) + c.
 *
 * <p>Derivation, in the paper's naming (eq. 3: w = s_w u, u = integer weights; eq. 4: x = s_x (v - z), v =
 * activation codes with the zero point z of {@link ActivationQuant}, codes signed in [M_l, M_u]). For output
 * channel o at one pixel, summing over its kernel's C * k * k taps i:
 * <pre>
 *   y = sum_i w_i x_i + b_o = sum_i s_w,o u_i s_x (v_i - z) + b_o
 *     = s_w,o s_x (sum_i u_i v_i - z sum_i u_i) + b_o
 *     = alpha_o sum_i u_i v_i + c_o,   alpha_o = s_x s_w,o,   c_o = b_o - alpha_o z sum_i u_i.
 * </pre>
 * c_o is one float per output channel, precomputed, because sum_i u_i runs over the whole kernel at every pixel.
 * That holds at the borders only if padding is zero in the real domain: a padded tap must have x = 0, i.e. code
 * v = z (not code 0), so that it adds u_i (z - z) = 0 after the correction. Padding with code 0 would need a
 * per-pixel correction. {@code IntegerConvTest} checks the integer path against the float convolution of the
 * dequantized tensors, borders included.
 *
 * <p>Accumulator bound: |u| <= 2^(bw-1) - 1 and |v| <= 2^(ba-1) in the signed-code sum above, and 0 <= v - M_l <=
 * 2^ba - 1 if a kernel accumulates unsigned (nibble-packed) codes instead; {@link #accumulatorBound} takes the larger,
 * C k^2 (2^(bw-1) - 1)(2^ba - 1). The network's largest layer, 160 input channels, 3x3, 4-bit weights and
 * activations: 160 * 9 * 7 * 15 = 151 200 (signed codes: 160 * 9 * 7 * 8 = 80 640), far inside int32; the 8-bit input
 * convolution (8 channels): 8 * 9 * 127 * 255 = 2 331 720. The float epilogue converts the accumulator to float
 * exactly while it stays below 2^24.
 *
 * <p>Layouts: activations CHW, weights OIHW, outputs OHW; stride 1, "same" padding k / 2 (k = 1 or 3).
 */
public final class IntegerConv {

    private IntegerConv() {
    }

    /**
     * Largest |accumulator| of a convolution with C input channels and a k x k kernel, covering both the signed-code
     * sum and the unsigned-code sum (see the class comment).
     */
    public static long accumulatorBound(int inChannels, int kernelSize, int weightBits, int actBits) {
        long maxU = WeightQuant.codeLimit(weightBits);
        long maxV = Quantizer.levels(actBits); // >= 2^(ba-1), the signed-code magnitude
        return (long) inChannels * kernelSize * kernelSize * maxU * maxV;
    }

    /**
     * sum_i u_i v_i for every output channel and pixel, in int32 (OHW). Padded taps use {@code padCode}, which must
     * be the zero point for the result to match {@link #conv}'s bias c. Refuses inputs whose worst case could
     * overflow int32.
     */
    public static int[] accumulate(int[] act, int channels, int height, int width, int padCode, int[] weightCodes,
            int outChannels, int kernelSize) {
        int[] out = new int[outChannels * height * width];
        accumulate(act, channels, height, width, padCode, weightCodes, outChannels, kernelSize, 0, 0, width, height,
                out);
        return out;
    }

    /**
     * {@link #accumulate} for the output pixels of one rectangle [x0, x1) x [y0, y1) only, written into {@code out}
     * (OHW, the whole image's size); the taps still read the whole input (a tile's halo lies in its neighbours).
     * Output channels run in parallel for large rectangles: integer sums, so the result does not depend on it.
     */
    public static void accumulate(int[] act, int channels, int height, int width, int padCode, int[] weightCodes,
            int outChannels, int kernelSize, int x0, int y0, int x1, int y1, int[] out) {
        checkShapes(act.length, channels, height, width, weightCodes.length, outChannels, kernelSize);
        if (out.length != outChannels * height * width || x0 < 0 || y0 < 0 || x1 > width || y1 > height) {
            throw new IllegalArgumentException("output rectangle or array does not fit " + outChannels + "x" + height
                    + "x" + width);
        }
        int pad = kernelSize / 2;
        int taps = kernelSize * kernelSize;
        int plane = height * width;
        long maxV = Math.abs((long) padCode); // over the inputs the rectangle reads
        for (int c = 0; c < channels; c++) {
            for (int y = Math.max(0, y0 - pad); y < Math.min(height, y1 + pad); y++) {
                for (int x = Math.max(0, x0 - pad); x < Math.min(width, x1 + pad); x++) {
                    maxV = Math.max(maxV, Math.abs((long) act[c * plane + y * width + x]));
                }
            }
        }
        long maxU = 0;
        for (int u : weightCodes) {
            maxU = Math.max(maxU, Math.abs((long) u));
        }
        long bound = (long) channels * kernelSize * kernelSize * maxU * maxV;
        if (bound > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("int32 accumulator could overflow: bound " + bound);
        }
        java.util.stream.IntStream channelsOut = java.util.stream.IntStream.range(0, outChannels);
        long work = (long) outChannels * (x1 - x0) * (y1 - y0) * channels * taps;
        (work > 4_000_000 ? channelsOut.parallel() : channelsOut).forEach(o -> {
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    int acc = 0;
                    for (int c = 0; c < channels; c++) {
                        int wBase = (o * channels + c) * taps;
                        for (int ky = 0; ky < kernelSize; ky++) {
                            int sy = y + ky - pad;
                            for (int kx = 0; kx < kernelSize; kx++) {
                                int sx = x + kx - pad;
                                int v = sy < 0 || sy >= height || sx < 0 || sx >= width
                                        ? padCode : act[c * plane + sy * width + sx];
                                acc += weightCodes[wBase + ky * kernelSize + kx] * v;
                            }
                        }
                    }
                    out[o * plane + y * width + x] = acc;
                }
            }
        });
    }

    /** alpha_o = s_x s_w,o (section 5). */
    public static float[] alpha(ActivationQuant act, WeightQuant weights) {
        float[] a = new float[weights.outChannels()];
        for (int o = 0; o < a.length; o++) {
            a[o] = act.scale() * weights.scales()[o];
        }
        return a;
    }

    /** c_o = b_o - alpha_o z sum_i u_i (section 5), computed in double, rounded once; bias may be null (zeros). */
    public static float[] biasTerm(ActivationQuant act, WeightQuant weights, float[] bias) {
        float[] a = alpha(act, weights);
        long[] sums = weights.codeSums();
        float[] c = new float[a.length];
        for (int o = 0; o < c.length; o++) {
            double b = bias == null ? 0 : bias[o];
            c[o] = (float) (b - (double) a[o] * act.zeroPoint() * sums[o]);
        }
        return c;
    }

    /**
     * The integer convolution: int32 {@link #accumulate} with zero-point padding, then y = alpha_o acc + c_o in
     * float. {@code act} holds codes of {@code actQuant}; the result is OHW float (before ELU and re-quantization).
     */
    public static float[] conv(int[] act, int channels, int height, int width, ActivationQuant actQuant,
            WeightQuant weights, float[] bias, int kernelSize) {
        int[] acc = accumulate(act, channels, height, width, actQuant.zeroPoint(), weights.codes(),
                weights.outChannels(), kernelSize);
        float[] a = alpha(actQuant, weights);
        float[] c = biasTerm(actQuant, weights, bias);
        int plane = height * width;
        float[] y = new float[acc.length];
        for (int i = 0; i < y.length; i++) {
            int o = i / plane;
            y[i] = a[o] * (float) acc[i] + c[o];
        }
        return y;
    }

    /** 3x3, pad 1. */
    public static float[] conv3x3(int[] act, int channels, int height, int width, ActivationQuant actQuant,
            WeightQuant weights, float[] bias) {
        return conv(act, channels, height, width, actQuant, weights, bias, 3);
    }

    /** 1x1. */
    public static float[] conv1x1(int[] act, int channels, int height, int width, ActivationQuant actQuant,
            WeightQuant weights, float[] bias) {
        return conv(act, channels, height, width, actQuant, weights, bias, 1);
    }

    /**
     * Float-domain reference: the same convolution on real values (e.g. dequantized activations and weights), zero
     * padding, double accumulation; bias may be null. Returns OHW.
     */
    public static double[] referenceConv(float[] x, int channels, int height, int width, float[] weights,
            int outChannels, float[] bias, int kernelSize) {
        checkShapes(x.length, channels, height, width, weights.length, outChannels, kernelSize);
        int pad = kernelSize / 2;
        int taps = kernelSize * kernelSize;
        int plane = height * width;
        double[] out = new double[outChannels * plane];
        for (int o = 0; o < outChannels; o++) {
            for (int y = 0; y < height; y++) {
                for (int xx = 0; xx < width; xx++) {
                    double acc = bias == null ? 0 : bias[o];
                    for (int c = 0; c < channels; c++) {
                        int wBase = (o * channels + c) * taps;
                        for (int ky = 0; ky < kernelSize; ky++) {
                            int sy = y + ky - pad;
                            if (sy < 0 || sy >= height) {
                                continue;
                            }
                            for (int kx = 0; kx < kernelSize; kx++) {
                                int sx = xx + kx - pad;
                                if (sx < 0 || sx >= width) {
                                    continue;
                                }
                                acc += (double) weights[wBase + ky * kernelSize + kx] * x[c * plane + sy * width + sx];
                            }
                        }
                    }
                    out[o * plane + y * width + xx] = acc;
                }
            }
        }
        return out;
    }

    private static void checkShapes(int actLength, int channels, int height, int width, int weightLength,
            int outChannels, int kernelSize) {
        if (kernelSize < 1 || kernelSize % 2 == 0) {
            throw new IllegalArgumentException("kernel size must be odd and positive, got " + kernelSize);
        }
        if (channels <= 0 || height <= 0 || width <= 0 || actLength != channels * height * width) {
            throw new IllegalArgumentException("activations: " + actLength + " values for " + channels + "x" + height
                    + "x" + width);
        }
        if (outChannels <= 0 || weightLength != outChannels * channels * kernelSize * kernelSize) {
            throw new IllegalArgumentException("weights: " + weightLength + " values for " + outChannels + "x"
                    + channels + "x" + kernelSize + "x" + kernelSize);
        }
    }
}
