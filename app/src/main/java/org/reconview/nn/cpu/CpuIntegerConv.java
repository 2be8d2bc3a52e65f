package org.reconview.nn.cpu;

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
    private final int[][] thresholds;
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
        thresholds = thresholds(conv);
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
     * {@link QuantizedConv#outputCodes}, the same codes: the golden per-element function acc -> code (epilogue
     * alpha acc + c in float, ELU through Math.expm1, the output quantizer) is monotone in acc where alpha > 0, so each
     * output channel's codes change at a few accumulator values, found once by binary search on that very function;
     * a code is then the count of thresholds at or below its accumulator (a scalar expm1 and a division per output
     * took longer than the SIMD accumulation). Channels with alpha <= 0 evaluate the function itself
     * ({@link QuantizedConv#outputCode}).
     */
    public int[] outputCodes(int[] acc, int height, int width) {
        if (conv.output() == null) {
            throw new IllegalStateException(conv.layer().name() + " has an FP32 output");
        }
        int plane = height * width;
        int[] out = new int[acc.length];
        int codeMin = conv.output().codeMin();
        CpuPool.parallelFor(conv.outChannels(), o -> {
            int[] th = thresholds[o];
            for (int p = o * plane; p < (o + 1) * plane; p++) {
                if (th == null) {
                    out[p] = conv.outputCode(o, acc[p]);
                } else {
                    int a = acc[p];
                    int k = 0;
                    while (k < th.length && a >= th[k]) {
                        k++;
                    }
                    out[p] = codeMin + k;
                }
            }
        });
        return out;
    }

    /** Per output channel, the least accumulator giving each code above the lowest (null: alpha <= 0). */
    private static int[][] thresholds(QuantizedConv conv) {
        int[][] th = new int[conv.outChannels()][];
        if (conv.output() == null) {
            return th;
        }
        int codeMin = conv.output().codeMin();
        int codeMax = conv.output().codeMax();
        for (int o = 0; o < th.length; o++) {
            if (!(conv.alpha()[o] > 0)) {
                continue;
            }
            th[o] = new int[codeMax - codeMin];
            for (int k = 0; k < th[o].length; k++) {
                int target = codeMin + k + 1;
                long lo = (long) Integer.MIN_VALUE - 1;   // below every accumulator: reaches no code
                long hi = (long) Integer.MAX_VALUE + 1;   // above every accumulator: reaches every code
                while (hi - lo > 1) {
                    long mid = (lo + hi) >> 1;
                    if (conv.outputCode(o, (int) mid) >= target) {
                        hi = mid;
                    } else {
                        lo = mid;
                    }
                }
                if (hi > Integer.MAX_VALUE) {   // no accumulator reaches this code or any above it
                    th[o] = java.util.Arrays.copyOf(th[o], k);
                    break;
                }
                th[o][k] = (int) hi;
            }
        }
        return th;
    }
}
