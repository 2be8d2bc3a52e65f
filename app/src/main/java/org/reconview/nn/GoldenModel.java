package org.reconview.nn;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The networks in plain Java, FP32: walks a {@link NetworkSpec}'s layers in order with {@link FloatOps}. Correct and
 * simple rather than fast; the reference for the GLSL passes and the CPU backend of last resort. Inputs are I_a and
 * I_w (PQ-encoded RGB, CHW) with sizes divisible by 2^(levels-1) (see {@link #PAD_MULTIPLE}); the output is RGB in
 * PQ space: the U-Net's direct prediction, or QW-Net's filtered image.
 */
public final class GoldenModel {
    /** Image sizes must be multiples of this (four 2x2 poolings); callers pad with edge replication and crop. */
    public static final int PAD_MULTIPLE = 1 << (NetworkSpec.LEVELS - 1);

    private final NetworkSpec spec;
    private final Weights weights;

    public GoldenModel(NetworkSpec spec, Weights weights) {
        this.spec = spec;
        this.weights = weights;
    }

    /** Runs the network; returns every tensor by name (the output is {@code spec.output()}). */
    public Map<String, Tensor> runAll(Tensor aliased, Tensor warped) {
        requirePadded(aliased.height, aliased.width);
        Map<String, Tensor> t = new HashMap<>();
        t.put(NetworkSpec.INPUT_ALIASED, aliased);
        t.put(NetworkSpec.INPUT_WARPED, warped);
        for (LayerSpec l : spec.layers()) {
            List<Tensor> in = l.inputs().stream().map(t::get).toList();
            t.put(l.name(), layer(l, in));
        }
        return t;
    }

    /** Refuses a size that is not a multiple of {@link #PAD_MULTIPLE} (every implementation's precondition). */
    public static void requirePadded(int height, int width) {
        if (height % PAD_MULTIPLE != 0 || width % PAD_MULTIPLE != 0) {
            throw new IllegalArgumentException(width + "x" + height + " not a multiple of " + PAD_MULTIPLE);
        }
    }

    public Tensor run(Tensor aliased, Tensor warped) {
        return runAll(aliased, warped).get(spec.output());
    }

    private Tensor layer(LayerSpec l, List<Tensor> in) {
        return l.op().isConv() ? conv(l, in.get(0)) : weightless(spec, l, in);
    }

    /**
     * The FP32 layers without weights (everything but the convolutions), one switch for every model that runs
     * them in float: this one, the quantized and CADyQ models for their FP32 tensors, and the CPU backend
     * ({@link org.reconview.nn.cpu.CpuNetwork}).
     */
    public static Tensor weightless(NetworkSpec spec, LayerSpec l, List<Tensor> in) {
        return switch (l.op()) {
            case GRADIENT_MAGNITUDE -> FloatOps.gradientMagnitude(in.get(0));
            case CONCAT -> {
                Tensor acc = in.get(0);
                for (int i = 1; i < in.size(); i++) {
                    acc = FloatOps.concat(acc, in.get(i));
                }
                yield acc;
            }
            case MAXPOOL2 -> FloatOps.maxPool2(in.get(0));
            case AVGPOOL2 -> FloatOps.avgPool2(in.get(0));
            case UPSAMPLE_NEAREST2 -> FloatOps.upsampleNearest2(in.get(0));
            case UPSAMPLE_BILINEAR2 -> FloatOps.upsampleBilinear2(in.get(0));
            case KERNEL_FILTER -> kernelFilter(spec.filterKind(l), in);
            case CONV3X3, CONV1X1 -> throw new IllegalArgumentException(l.name() + " has weights");
        };
    }

    /** A layer's input tensors by name, in order. */
    public static List<Tensor> inputs(LayerSpec l, Map<String, Tensor> tensors) {
        List<Tensor> in = new java.util.ArrayList<>(l.inputs().size());
        for (String s : l.inputs()) {
            in.add(tensors.get(s));
        }
        return in;
    }

    private Tensor conv(LayerSpec l, Tensor in) {
        float[] w = weights.floats(l.name() + ".weight");
        float[] bias = l.bias() ? weights.floats(l.name() + ".bias") : null;
        Tensor out = l.op() == LayerSpec.Op.CONV3X3 ? FloatOps.conv3x3(in, w, bias, l.outChannels())
                : FloatOps.conv1x1(in, w, bias, l.outChannels());
        if (l.batchNorm()) {
            String bn = l.name() + ".bn.";
            FloatOps.batchNorm(out, weights.floats(bn + "gamma"), weights.floats(bn + "beta"),
                    weights.floats(bn + "mean"), weights.floats(bn + "var"), NetworkSpec.BN_EPSILON);
        }
        return switch (l.activation()) {
            case ELU -> FloatOps.elu(out);
            case SOFTMAX -> FloatOps.softmaxChannels(out);
            case NONE -> out;
        };
    }

    /**
     * A kernel filter of the declared kind: kernels first, then the image(s), then the skip ({@link
     * NetworkSpec.FilterKind}: INPUT filters two images and sums them, DOWN/BOTTLENECK one, UP adds the skip weighted
     * by the tenth weight).
     */
    static Tensor kernelFilter(NetworkSpec.FilterKind kind, List<Tensor> in) {
        return kernelFilter(kind, in, FloatOps::filter3x3);
    }

    /** {@link FloatOps#filter3x3}'s signature, for a faster implementation of it (the CPU backend's). */
    public interface Filter3x3 {
        Tensor apply(Tensor image, Tensor kernels, int first);
    }

    /** {@link #kernelFilter(NetworkSpec.FilterKind, List)} with the 3x3 filtering done by {@code filter}. */
    public static Tensor kernelFilter(NetworkSpec.FilterKind kind, List<Tensor> in, Filter3x3 filter) {
        Tensor k = in.get(0);
        if (k.channels != kind.weights()) {
            throw new IllegalArgumentException(kind + " filter with " + k.channels + " weights");
        }
        Tensor filtered = filter.apply(in.get(1), k, 0);
        return switch (kind) {
            case INPUT -> FloatOps.add(filtered, filter.apply(in.get(2), k, 9));
            case DOWN, BOTTLENECK -> filtered;
            case UP -> FloatOps.addWeighted(filtered, in.get(2), k, 9);
        };
    }
}
