package org.reconview.nn.cpu;

import org.reconview.nn.LayerSpec;
import org.reconview.nn.QuantizedConv;
import org.reconview.nn.Tensor;

/**
 * The int32 accumulators of one quantized conv ({@link QuantizedConv#accumulate}, the golden definition) through
 * {@link SimdConv}, exactly: the codes are small integers, so every product and every partial sum of
 * sum_i u_i (v_i - z) is an integer float computes exactly while the worst case stays below 2^24 (checked per call on
 * the actual input codes; otherwise the golden integer loop runs). Shifting the activations by the zero point z turns
 * the zero-point padding into the SIMD conv's zero padding; z * sum_i u_i, a constant per output channel, is added back
 * in int32.
 */
public final class CpuIntegerConv {
    private static final long EXACT = 1L << 24;

    private final QuantizedConv conv;
    private final SimdConv simd;
    private final int[] zeroPointSum;
    private final long maxWeight;
    /** The shifted codes of the last input, kept between calls (one thread at a time). */
    private Tensor shifted;

    public CpuIntegerConv(QuantizedConv conv) {
        this.conv = conv;
        int[] u = conv.weights().codes();
        float[] w = new float[u.length];
        long max = 0;
        for (int i = 0; i < u.length; i++) {
            w[i] = u[i];
            max = Math.max(max, Math.abs((long) u[i]));
        }
        maxWeight = max;
        int out = conv.outChannels();
        int perOut = u.length / out;
        int z = conv.input().zeroPoint();
        zeroPointSum = new int[out];
        for (int o = 0; o < out; o++) {
            long sum = 0;
            for (int i = 0; i < perOut; i++) {
                sum += u[o * perOut + i];
            }
            zeroPointSum[o] = Math.toIntExact(z * sum);
        }
        simd = new SimdConv(conv.kernelSize(), conv.inChannels(), out, w, null, null, null, false);
    }

    /** sum_i u_i v_i per output channel and pixel (OHW, int32), as {@link QuantizedConv#accumulate}. */
    public int[] accumulate(int[] codes, int height, int width) {
        int z = conv.input().zeroPoint();
        if (shifted == null || shifted.height != height || shifted.width != width) {
            shifted = new Tensor(conv.inChannels(), height, width);
        }
        Tensor shifted = this.shifted;
        if (codes.length != shifted.data.length) {
            throw new IllegalArgumentException(codes.length + " codes for " + shifted);
        }
        int plane = height * width;
        int[] maxPerChannel = new int[conv.inChannels()];
        CpuPool.parallelFor(conv.inChannels(), i -> {
            int max = 0;
            for (int p = i * plane; p < (i + 1) * plane; p++) {
                int v = codes[p] - z;
                shifted.data[p] = v;
                max = Math.max(max, Math.abs(v));
            }
            maxPerChannel[i] = max;
        });
        long maxShifted = 0;
        for (int m : maxPerChannel) {
            maxShifted = Math.max(maxShifted, m);
        }
        long taps = (long) conv.kernelSize() * conv.kernelSize();
        if (conv.inChannels() * taps * maxWeight * maxShifted >= EXACT) {
            return conv.accumulate(codes, height, width);
        }
        float[] acc = simd.apply(shifted).data;
        int[] out = new int[acc.length];
        CpuPool.parallelFor(conv.outChannels(), o -> {
            for (int p = o * plane; p < (o + 1) * plane; p++) {
                out[p] = (int) acc[p] + zeroPointSum[o];
            }
        });
        return out;
    }

    /**
     * {@link QuantizedConv#outputCodes} over {@link CpuPool}'s threads, a channel each: the same float operations
     * in the same order (epilogue alpha acc + c, ELU through Math.expm1, the output quantizer), so the same codes.
     * It took longer than the SIMD accumulation on one core.
     */
    public static int[] outputCodes(QuantizedConv conv, int[] acc, int height, int width) {
        if (conv.output() == null) {
            throw new IllegalStateException(conv.layer().name() + " has an FP32 output");
        }
        boolean elu = conv.layer().activation() == LayerSpec.Activation.ELU;
        float[] alpha = conv.alpha();
        float[] c = conv.c();
        int plane = height * width;
        int[] out = new int[acc.length];
        CpuPool.parallelFor(conv.outChannels(), o -> {
            for (int p = o * plane; p < (o + 1) * plane; p++) {
                float product = alpha[o] * (float) acc[p];
                float v = product + c[o];
                if (elu) {
                    v = v > 0 ? v : (float) Math.expm1(v);
                }
                out[p] = conv.output().code(v);
            }
        });
        return out;
    }
}
