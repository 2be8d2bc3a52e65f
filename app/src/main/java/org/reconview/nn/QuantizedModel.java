package org.reconview.nn;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reconview.nn.LayerSpec.Activation;

/**
 * QW-Net with its integer feature extractor, in plain Java (Thomas et al. 2020, section 5, Figure 4): the golden model
 * of the INT4 path, which the GLSL passes (and later CUDA) must reproduce: integer results exactly, float epilogues to
 * within one quantization level on under 0.1% of elements.
 * <ul>
 * <li>{@code fe.grad_a}, {@code fe.grad_w} in FP32 ({@link FloatOps}); {@code fe.input} (8 channels) quantized to
 * 8 bits with its range.</li>
 * <li>Each feature-extractor conv: int32 accumulation of code products with zero-point padding, then
 * y = alpha acc + c, ELU and requantization to the output range's codes ({@link QuantizedConv}).</li>
 * <li>Max pooling and nearest upsampling on codes: Q is monotone, so max and copy commute with it.</li>
 * <li>Concatenation of codes: the concatenated tensors share one range (Figure 4), so no rescaling; checked.</li>
 * <li>Kernel-prediction convs: 8-bit weights on the decoder's 4-bit codes, FP32 output alpha acc + c, softmax.</li>
 * <li>The filter network in FP32, with the golden model's own operations ({@link GoldenModel#kernelFilter},
 * {@link FloatOps}).</li>
 * </ul>
 * Activation quantizers come from the {@code RANGE.t_l}, {@code RANGE.t_u} tensors of the weights
 * ({@link ActivationQuant#fromThresholds}) with the bits of {@link NetworkSpec#rangePrecision}; rounding is
 * {@link Rounding#NEAREST_UP} throughout. Sizes must be multiples of {@link GoldenModel#PAD_MULTIPLE}.
 */
public final class QuantizedModel {
    private final NetworkSpec spec;
    private final Map<String, ActivationQuant> ranges = new LinkedHashMap<>();
    private final Map<String, QuantizedConv> convs = new LinkedHashMap<>();

    /**
     * Every tensor of one run. Quantized tensors (the feature extractor from {@code fe.input} on) are in
     * {@link #codes} (CHW, signed codes in [M_l, M_u] of their range); FP32 tensors (inputs, gradients, kernels,
     * filter network) in {@link #floats}; each conv's int32 accumulators sum(u v) in {@link #accumulators} (OHW).
     */
    public record Result(int height, int width, Map<String, int[]> codes, Map<String, int[]> accumulators,
                         Map<String, Tensor> floats) {
        /** Height of a tensor at a scale. */
        public int height(int scale) {
            return height >> scale;
        }

        public int width(int scale) {
            return width >> scale;
        }
    }

    public QuantizedModel(NetworkSpec spec, Weights weights) {
        if (spec.kind() != NetworkSpec.Kind.QWNET) {
            throw new IllegalArgumentException("the quantized model is QW-Net's, not " + spec.variant() + "'s");
        }
        this.spec = spec;
        for (String r : spec.quantRanges()) {
            ranges.put(r, ActivationQuant.fromThresholds(weights.floats(r + ".t_l")[0], weights.floats(r + ".t_u")[0],
                    spec.rangePrecision(r).bits(), Rounding.NEAREST_UP));
        }
        for (LayerSpec l : spec.layers()) {
            if (l.op().isConv()) {
                ActivationQuant in = tensorQuant(l.inputs().get(0));
                if (in == null) {
                    throw new IllegalStateException(l.name() + ": integer conv on an FP32 input");
                }
                convs.put(l.name(), QuantizedConv.of(l, weights, in, l.range() == null ? null : range(l.range())));
            }
        }
    }

    public NetworkSpec spec() {
        return spec;
    }

    /** The activation quantizer of a range by name. */
    public ActivationQuant range(String name) {
        ActivationQuant q = ranges.get(name);
        if (q == null) {
            throw new IllegalArgumentException("no range '" + name + "'");
        }
        return q;
    }

    /** All ranges in order of first use. */
    public Map<String, ActivationQuant> ranges() {
        return Collections.unmodifiableMap(ranges);
    }

    /** The quantizer of a tensor, or null for an FP32 tensor. */
    public ActivationQuant tensorQuant(String tensor) {
        String r = spec.tensor(tensor).range();
        return r == null ? null : range(r);
    }

    /** The integer form of a conv layer. */
    public QuantizedConv conv(String layer) {
        QuantizedConv c = convs.get(layer);
        if (c == null) {
            throw new IllegalArgumentException("no conv '" + layer + "'");
        }
        return c;
    }

    /** Every conv in evaluation order. */
    public Map<String, QuantizedConv> convs() {
        return Collections.unmodifiableMap(convs);
    }

    /** The output image (PQ-encoded RGB, scale 0). */
    public Tensor run(Tensor aliased, Tensor warped) {
        return runAll(aliased, warped).floats().get(spec.output());
    }

    /** Runs the network on I_a and I_w (PQ-encoded RGB, CHW); returns every tensor. */
    public Result runAll(Tensor aliased, Tensor warped) {
        return runAll(aliased, warped, new ConvArithmetic() {
        }, FloatOps::filter3x3);
    }

    /**
     * How a conv's int32 accumulators and output codes are computed: by default {@link QuantizedConv}'s golden code;
     * a faster implementation must give the same integers.
     */
    public interface ConvArithmetic {
        default int[] accumulate(QuantizedConv conv, int[] codes, int height, int width) {
            return conv.accumulate(codes, height, width);
        }

        default int[] outputCodes(QuantizedConv conv, int[] acc, int height, int width) {
            return conv.outputCodes(acc, height, width);
        }
    }

    /**
     * {@link #runAll(Tensor, Tensor)} with the convs' integer arithmetic and the kernel filters' 3x3 filtering computed
     * by the given implementations (the CPU backend's); everything else is this golden code.
     */
    public Result runAll(Tensor aliased, Tensor warped, ConvArithmetic arithmetic, GoldenModel.Filter3x3 filter) {
        int h = aliased.height;
        int w = aliased.width;
        if (h % GoldenModel.PAD_MULTIPLE != 0 || w % GoldenModel.PAD_MULTIPLE != 0) {
            throw new IllegalArgumentException("input " + aliased + " not a multiple of " + GoldenModel.PAD_MULTIPLE);
        }
        Map<String, int[]> codes = new HashMap<>();
        Map<String, int[]> acc = new HashMap<>();
        Map<String, Tensor> floats = new HashMap<>();
        floats.put(NetworkSpec.INPUT_ALIASED, aliased);
        floats.put(NetworkSpec.INPUT_WARPED, warped);
        for (LayerSpec l : spec.layers()) {
            int lh = h >> l.scale();
            int lw = w >> l.scale();
            String n = l.name();
            switch (l.op()) {
                case GRADIENT_MAGNITUDE, AVGPOOL2, UPSAMPLE_BILINEAR2 ->
                        floats.put(n, GoldenModel.weightless(spec, l, GoldenModel.inputs(l, floats)));
                case KERNEL_FILTER -> floats.put(n, GoldenModel.kernelFilter(spec.filterKind(l),
                        GoldenModel.inputs(l, floats), filter));
                case CONCAT -> concat(l, codes, floats);
                case CONV3X3, CONV1X1 -> {
                    QuantizedConv c = conv(n);
                    int[] a = arithmetic.accumulate(c, codes.get(l.inputs().get(0)), lh, lw);
                    acc.put(n, a);
                    if (c.output() != null) {
                        codes.put(n, arithmetic.outputCodes(c, a, lh, lw));
                    } else {
                        Tensor y = c.epilogue(a, lh, lw);
                        floats.put(n, l.activation() == Activation.SOFTMAX ? FloatOps.softmaxChannels(y) : y);
                    }
                }
                case MAXPOOL2 -> codes.put(n, maxPool2(codes.get(l.inputs().get(0)), l.outChannels(), lh, lw));
                case UPSAMPLE_NEAREST2 -> codes.put(n, upsampleNearest2(codes.get(l.inputs().get(0)),
                        l.outChannels(), lh, lw));
            }
        }
        return new Result(h, w, Collections.unmodifiableMap(codes), Collections.unmodifiableMap(acc),
                Collections.unmodifiableMap(floats));
    }

    /**
     * {@code fe.input}: FP32 tensors concatenated, then quantized to its range. Decoder concats: codes of one shared
     * range concatenated as they are (refused if an input's range differs: that would need rescaling).
     */
    private void concat(LayerSpec l, Map<String, int[]> codes, Map<String, Tensor> floats) {
        ActivationQuant out = tensorQuant(l.name());
        if (spec.tensor(l.inputs().get(0)).range() == null) {
            Tensor t = floats.get(l.inputs().get(0));
            for (int i = 1; i < l.inputs().size(); i++) {
                t = FloatOps.concat(t, floats.get(l.inputs().get(i)));
            }
            codes.put(l.name(), out.codes(t.data));
            return;
        }
        int total = 0;
        for (String s : l.inputs()) {
            if (!l.range().equals(spec.tensor(s).range())) {
                throw new IllegalStateException(l.name() + ": input " + s + " has range " + spec.tensor(s).range()
                        + ", not the shared " + l.range());
            }
            total += codes.get(s).length;
        }
        int[] c = new int[total];
        int at = 0;
        for (String s : l.inputs()) {
            int[] part = codes.get(s);
            System.arraycopy(part, 0, c, at, part.length);
            at += part.length;
        }
        codes.put(l.name(), c);
    }

    /** 2x2 max pooling of codes (CHW) to an output of {@code h x w}: max commutes with the monotone Q. */
    public static int[] maxPool2(int[] in, int channels, int h, int w) {
        int[] out = new int[channels * h * w];
        int ih = 2 * h;
        int iw = 2 * w;
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int b = (c * ih + 2 * y) * iw + 2 * x;
                    out[(c * h + y) * w + x] = Math.max(Math.max(in[b], in[b + 1]),
                            Math.max(in[b + iw], in[b + iw + 1]));
                }
            }
        }
        return out;
    }

    /** 2x nearest upsampling of codes (CHW) to an output of {@code h x w}. */
    public static int[] upsampleNearest2(int[] in, int channels, int h, int w) {
        int[] out = new int[channels * h * w];
        int ih = h / 2;
        int iw = w / 2;
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[(c * h + y) * w + x] = in[(c * ih + y / 2) * iw + x / 2];
                }
            }
        }
        return out;
    }

    /** A quantized tensor of a result as floats, x = s (v - z) (eq. 4). */
    public Tensor dequantized(Result r, String tensor) {
        NetworkSpec.TensorSpec t = spec.tensor(tensor);
        ActivationQuant q = tensorQuant(tensor);
        if (q == null) {
            throw new IllegalArgumentException(tensor + " is FP32");
        }
        return new Tensor(t.channels(), r.height(t.scale()), r.width(t.scale()), q.dequantize(r.codes().get(tensor)));
    }
}
