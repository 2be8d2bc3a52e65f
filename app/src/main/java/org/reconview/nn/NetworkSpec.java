package org.reconview.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.reconview.nn.LayerSpec.Activation;
import org.reconview.nn.LayerSpec.Op;
import org.reconview.nn.LayerSpec.Stage;

/**
 * The one description of the two networks (Thomas et al. 2020, "A Reduced-Precision Network for Image
 * Reconstruction", section 3, Figure 3, section 5): an immutable, ordered list of {@link LayerSpec}s from which the CPU
 * golden model, the GLSL passes, the CUDA kernels and the TensorFlow training graph are all built, plus the parameter
 * tensors a weights file must hold ({@link #weightShapes()}, the safetensors names).
 * <p>
 * <b>Feature extractor U_e</b> (both networks; names {@code fe.*}). Inputs {@code i_a} (aliased frame) and {@code i_w}
 * (warped previous output), PQ-encoded RGB at scale 0. {@code fe.grad_a}, {@code fe.grad_w}: gradient magnitude of each
 * one's grayscale; {@code fe.input} concatenates [i_a, i_w, grad_a, grad_w] = 8 channels. Five levels with
 * c_k = base + k * step channels (32, 64, 96, 128, 160 for QW-Net; 24 ... 120 for QW-Net-R): encoder blocks
 * {@code fe.enc0..3} of two 3x3 convs (BN, ELU) then 2x2 max pool; the bottleneck {@code fe.bottleneck} (two convs, no
 * pool) at scale 4. Decoder blocks {@code fe.dec3..0}: 2x2 nearest upsample of the level below, concat
 * [upsampled, skip = encoder block's second conv], 1x1 conv back to c_k (BN, ELU), one 3x3 conv (BN, ELU). The first
 * conv, {@code fe.enc0.conv0}, is the "input conv" of Table 1.
 * <p>
 * <b>Filter network U_f</b> (QW-Net; names {@code fn.*}, section 3.2). The decoder output at scale k (the bottleneck's
 * second conv at scale 4, {@code fe.deck.conv1} below) feeds two 1x1 kernel-prediction convs with softmax at that
 * scale, one for the downsampling side and one for the upsampling side (one at the bottleneck). Input filter
 * {@code fn.in} (scale 0): 18 weights, a 3x3 kernel on I_a and one on I_w, summed, softmax over all 18; then 2x2
 * average pool. Downsampling filters {@code fn.down1..3}: 9 weights on the pooled image, then 2x2 average pool.
 * Bottleneck filter {@code fn.bottleneck} (scale 4): 9 weights, no pool. Upsampling filters {@code fn.up3..0}:
 * bilinear 2x upsample of the coarser result, then 10 weights: 9 for its 3x3 neighbourhood and 1 for the skip, which is
 * the same scale's downsampling-side filter output before pooling ({@code fn.in} at scale 0); softmax over the 10, so
 * the result is a convex combination. One kernel set serves R, G and B. {@code fn.up0} is QW-Net's output.
 * <p>
 * <b>U-Net</b> (names {@code fe.*} and {@code out}): the same feature extractor plus a 1x1 conv (with bias, no
 * activation) from {@code fe.dec0.conv1} to RGB: direct prediction (section 6). All FP32.
 * <p>
 * <b>Precision</b> (section 5; QW-Net only, U-Net is FP32 throughout): {@code fe.input} is quantized to 8 bits (one
 * range over all 8 channels); the input conv has 8-bit weights; every other feature-extractor conv 4-bit weights; every
 * feature-extractor conv output is a 4-bit activation. Weights are per-output-channel symmetric, activations per-layer
 * affine from trained thresholds {@code RANGE.t_l}, {@code RANGE.t_u} (l = -e^t_l, u = e^t_u). Tensors that are
 * concatenated share one range (Figure 4): the encoder block's second conv and the conv whose output is upsampled into
 * the same decoder concat both use range {@code fe.deck.concat}. Max pooling and nearest upsampling keep their input's
 * range. Kernel-prediction convs read the 4-bit decoder outputs with 8-bit weights and write FP32 (no quantization);
 * all filtering is FP32. Convolutions followed by batch norm have no bias of their own; BN is folded for inference
 * with epsilon {@link #BN_EPSILON}.
 */
public final class NetworkSpec {
    /** Batch-norm epsilon (TensorFlow/Keras default): sigma = sqrt(var + BN_EPSILON). */
    public static final float BN_EPSILON = 1e-3f;
    /** Encoder blocks plus the bottleneck: levels 0..4, scales 0..4. */
    public static final int LEVELS = 5;
    /** Channels of the feature extractor's input: I_a, I_w (RGB each) and their two gradient magnitudes. */
    public static final int INPUT_CHANNELS = 8;
    /** Network input tensors (PQ-encoded RGB, scale 0). */
    public static final String INPUT_ALIASED = "i_a";
    public static final String INPUT_WARPED = "i_w";
    /** Initial log-space activation thresholds (section 5.1): t_l = ln 1, t_u = ln 3. */
    public static final float INITIAL_T_L = 0f;
    public static final float INITIAL_T_U = (float) Math.log(3.0);

    public enum Kind { UNET, QWNET }

    /** Numeric formats of Table 1. */
    public enum Precision {
        INT4(4), INT8(8), FP32(32);

        private final int bits;

        Precision(int bits) {
            this.bits = bits;
        }

        public int bits() {
            return bits;
        }

        public boolean isInteger() {
            return this != FP32;
        }
    }

    /** A tensor of the network: channels x (H / 2^scale) x (W / 2^scale); range is null unless quantized. */
    public record TensorSpec(String name, int channels, int scale, Precision precision, String range) {
    }

    /** Where a filter stage sits in the filter network (section 3.2). */
    /**
     * What a filter-network stage computes from its kernels (paper section 3.2), declared when the network is built
     * and read by every implementation (golden, GLSL, TensorFlow, initialisation) instead of inferred from a kernel
     * count: INPUT filters I_a and I_w with 9 weights each and sums them (18), DOWN and BOTTLENECK filter one image
     * (9), UP filters the upsampled image and adds the skip image scaled by a tenth weight (10).
     */
    public enum FilterKind {
        INPUT(18, 2, false), DOWN(9, 1, false), BOTTLENECK(9, 1, false), UP(10, 1, true);

        private final int weights;
        private final int images;
        private final boolean skip;

        FilterKind(int weights, int images, boolean skip) {
            this.weights = weights;
            this.images = images;
            this.skip = skip;
        }

        /** Kernel weights per pixel: 9 per filtered image, plus one for the skip. */
        public int weights() {
            return weights;
        }

        /** Images filtered (and summed). */
        public int images() {
            return images;
        }

        /** Whether a skip image is added, scaled by the last weight. */
        public boolean skip() {
            return skip;
        }
    }

    /**
     * One stage of the filter network, a view of the {@code fn.*} layers: the kernel-prediction layer, the filter
     * layer, the images it filters (after upsampling for UP stages), its skip image (UP only) and what follows.
     *
     * @param kernelWeights 18 (input), 9 (down, bottleneck) or 10 (up: 9 + 1 for the skip)
     * @param pooledOutput  the average-pooled output (INPUT and DOWN), else null
     * @param upsampled     the bilinear upsampling layer feeding it (UP), else null
     */
    public record FilterStage(String name, FilterKind kind, int scale, int kernelWeights, String kernels,
                              List<String> images, String skip, String pooledOutput, String upsampled) {
    }

    private final Kind kind;
    private final int baseWidth;
    private final int widthStep;
    private final List<LayerSpec> layers;
    private final Map<String, TensorSpec> tensors;
    private final Map<String, FilterKind> filterKinds;
    private final String output;

    private NetworkSpec(Kind kind, int baseWidth, int widthStep) {
        if (baseWidth <= 0 || widthStep < 0) {
            throw new IllegalArgumentException("bad widths " + baseWidth + "/" + widthStep);
        }
        this.kind = kind;
        this.baseWidth = baseWidth;
        this.widthStep = widthStep;
        Builder b = new Builder(kind == Kind.QWNET);
        buildFeatureExtractor(b);
        if (kind == Kind.UNET) {
            b.conv("out", Op.CONV1X1, decoderOutput(0), 3, Activation.NONE, false, true, Precision.FP32,
                    Precision.FP32, null, Stage.OUTPUT_LAYER);
            output = "out";
        } else {
            buildFilterNetwork(b);
            output = "fn.up0";
        }
        this.layers = List.copyOf(b.layers);
        this.tensors = Collections.unmodifiableMap(b.tensors);
        this.filterKinds = Collections.unmodifiableMap(b.filterKinds);
    }

    /**
     * The kind of a {@link Op#KERNEL_FILTER} layer, as the network declares it.
     *
     * @throws IllegalArgumentException for a layer that is not one of this network's kernel filters
     */
    public FilterKind filterKind(LayerSpec filter) {
        FilterKind k = filterKinds.get(filter.name());
        if (k == null) {
            throw new IllegalArgumentException(filter.name() + " is not a kernel filter of " + variant());
        }
        return k;
    }

    /** QW-Net: base width 32, step 32 (32, 64, 96, 128, 160 channels). */
    public static NetworkSpec qwnet() {
        return new NetworkSpec(Kind.QWNET, 32, 32);
    }

    /** QW-Net-R, the reduced variant: base width 24, step 24. */
    public static NetworkSpec qwnetR() {
        return new NetworkSpec(Kind.QWNET, 24, 24);
    }

    /** The direct-prediction U-Net baseline with QW-Net's feature extractor (32, 64, 96, 128, 160). */
    public static NetworkSpec unet() {
        return new NetworkSpec(Kind.UNET, 32, 32);
    }

    public static NetworkSpec of(Kind kind, int baseWidth, int widthStep) {
        return new NetworkSpec(kind, baseWidth, widthStep);
    }

    /**
     * By variant name: {@code unet}, {@code qwnet}, {@code qwnet-r}, or {@code unet-B-S} / {@code qwnet-B-S} for base
     * width B and step S (what {@link #variant()} prints).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static NetworkSpec byVariant(String variant) {
        String v = variant.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "unet":
                return unet();
            case "qwnet":
                return qwnet();
            case "qwnet-r":
                return qwnetR();
            default:
                String[] p = v.split("-");
                if (p.length == 3 && (p[0].equals("unet") || p[0].equals("qwnet"))) {
                    try {
                        return of(p[0].equals("unet") ? Kind.UNET : Kind.QWNET, Integer.parseInt(p[1]),
                                Integer.parseInt(p[2]));
                    } catch (IllegalArgumentException e) {
                        // fall through to the message below
                    }
                }
                throw new IllegalArgumentException("unknown network variant '" + variant
                        + "' (expected unet, qwnet, qwnet-r, or unet-B-S / qwnet-B-S with base width B and step S)");
        }
    }

    public Kind kind() {
        return kind;
    }

    /** {@code unet}, {@code qwnet}, {@code qwnet-r}, or {@code KIND-B-S} for other widths. */
    public String variant() {
        String k = architecture();
        if (baseWidth == 32 && widthStep == 32) {
            return k;
        }
        if (kind == Kind.QWNET && baseWidth == 24 && widthStep == 24) {
            return "qwnet-r";
        }
        return k + "-" + baseWidth + "-" + widthStep;
    }

    /** {@code unet} or {@code qwnet}. */
    public String architecture() {
        return kind == Kind.UNET ? "unet" : "qwnet";
    }

    public int baseWidth() {
        return baseWidth;
    }

    public int widthStep() {
        return widthStep;
    }

    /** Feature-extractor channels at level (= scale) 0..4: base + level * step. */
    public int channels(int level) {
        if (level < 0 || level >= LEVELS) {
            throw new IllegalArgumentException("level " + level);
        }
        return baseWidth + level * widthStep;
    }

    /** The layers in evaluation order. */
    public List<LayerSpec> layers() {
        return layers;
    }

    public LayerSpec layer(String name) {
        for (LayerSpec l : layers) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("no layer '" + name + "' in " + variant());
    }

    /** Every tensor (the two inputs, then each layer's output), in order. */
    public Map<String, TensorSpec> tensors() {
        return tensors;
    }

    public TensorSpec tensor(String name) {
        TensorSpec t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor '" + name + "' in " + variant());
        }
        return t;
    }

    /** The network's inputs: {@code i_a}, {@code i_w}. */
    public List<TensorSpec> inputs() {
        return List.of(tensors.get(INPUT_ALIASED), tensors.get(INPUT_WARPED));
    }

    /** The name of the output tensor (3 channels, scale 0, PQ-encoded RGB). */
    public String output() {
        return output;
    }

    /** The decoder's output at a level: {@code fe.deck.conv1}, or the bottleneck's second conv at level 4. */
    public static String decoderOutput(int level) {
        return level == LEVELS - 1 ? "fe.bottleneck.conv1" : "fe.dec" + level + ".conv1";
    }

    /** Activation quantization ranges in order of first use (empty for U-Net). */
    public List<String> quantRanges() {
        Set<String> r = new LinkedHashSet<>();
        for (TensorSpec t : tensors.values()) {
            if (t.range() != null) {
                r.add(t.range());
            }
        }
        return List.copyOf(r);
    }

    /** The precision of a quantization range (INT8 for the input, INT4 elsewhere). */
    public Precision rangePrecision(String range) {
        for (TensorSpec t : tensors.values()) {
            if (range.equals(t.range())) {
                return t.precision();
            }
        }
        throw new IllegalArgumentException("no range '" + range + "'");
    }

    /**
     * Every parameter tensor by safetensors name with its shape, in layer order: for each conv {@code NAME.weight}
     * [out][in][kh][kw], {@code NAME.bias} [out] (convs without BN), {@code NAME.bn.gamma}, {@code .bn.beta},
     * {@code .bn.mean}, {@code .bn.var} [out] (convs with BN); then for QW-Net the log-space activation thresholds
     * {@code RANGE.t_l}, {@code RANGE.t_u} [1] of each {@link #quantRanges() range}. All FP32 in a file.
     */
    public Map<String, int[]> weightShapes() {
        Map<String, int[]> m = new LinkedHashMap<>();
        for (LayerSpec l : layers) {
            if (!l.op().isConv()) {
                continue;
            }
            m.put(l.name() + ".weight", l.weightShape());
            if (l.bias()) {
                m.put(l.name() + ".bias", new int[] {l.outChannels()});
            }
            if (l.batchNorm()) {
                for (String p : new String[] {"gamma", "beta", "mean", "var"}) {
                    m.put(l.name() + ".bn." + p, new int[] {l.outChannels()});
                }
            }
        }
        for (String r : quantRanges()) {
            m.put(r + ".t_l", new int[] {1});
            m.put(r + ".t_u", new int[] {1});
        }
        return Collections.unmodifiableMap(m);
    }

    /** Total number of values over {@link #weightShapes()} (BN statistics and thresholds included). */
    public long parameterCount() {
        long n = 0;
        for (int[] s : weightShapes().values()) {
            long k = 1;
            for (int d : s) {
                k *= d;
            }
            n += k;
        }
        return n;
    }

    /** The filter network's stages in evaluation order (empty for U-Net). */
    public List<FilterStage> filterStages() {
        List<FilterStage> out = new ArrayList<>();
        for (LayerSpec l : layers) {
            if (l.op() != Op.KERNEL_FILTER) {
                continue;
            }
            String n = l.name();
            FilterKind fk = filterKind(l);
            String kernels = l.inputs().get(0);
            int weights = tensor(kernels).channels();
            List<String> images = fk == FilterKind.INPUT ? l.inputs().subList(1, 3) : l.inputs().subList(1, 2);
            String skip = fk == FilterKind.UP ? l.inputs().get(2) : null;
            String pooled = fk == FilterKind.INPUT || fk == FilterKind.DOWN ? n + ".pool" : null;
            String up = fk == FilterKind.UP ? n + ".upsample" : null;
            out.add(new FilterStage(n, fk, l.scale(), weights, kernels, images, skip, pooled, up));
        }
        return List.copyOf(out);
    }

    /**
     * What a weights file records about the architecture: {@code architecture}, {@code variant}, {@code base_width},
     * {@code width_step}, {@code quantization} (a one-line description of the precisions above).
     */
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("architecture", architecture());
        m.put("variant", variant());
        m.put("base_width", Integer.toString(baseWidth));
        m.put("width_step", Integer.toString(widthStep));
        m.put("quantization", kind == Kind.UNET ? "none (fp32)"
                : "feature extractor: int4 weights (per-channel symmetric) and int4 activations (per-layer affine,"
                + " log-space thresholds t_l/t_u, shared across concatenations); input conv: int8 weights and int8"
                + " inputs; kernel prediction: int8 weights, fp32 outputs; filtering: fp32");
        return m;
    }

    /**
     * The spec a weights file's metadata describes ({@code architecture}, {@code base_width}, {@code width_step}).
     *
     * @throws IllegalArgumentException naming the missing or bad key
     */
    public static NetworkSpec fromMetadata(Map<String, String> metadata) {
        String arch = metadata.get("architecture");
        if (arch == null) {
            throw new IllegalArgumentException("metadata has no 'architecture' (unet or qwnet)");
        }
        Kind k;
        if (arch.equals("unet")) {
            k = Kind.UNET;
        } else if (arch.equals("qwnet")) {
            k = Kind.QWNET;
        } else {
            throw new IllegalArgumentException("metadata 'architecture' is '" + arch + "', expected unet or qwnet");
        }
        return of(k, intKey(metadata, "base_width"), intKey(metadata, "width_step"));
    }

    private static int intKey(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("metadata has no '" + key + "'");
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metadata '" + key + "' is '" + v + "', not an integer");
        }
    }

    @Override
    public String toString() {
        return variant() + " (" + layers.size() + " layers, " + parameterCount() + " parameters)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkSpec s && s.kind == kind && s.baseWidth == baseWidth && s.widthStep == widthStep;
    }

    @Override
    public int hashCode() {
        return (kind.hashCode() * 31 + baseWidth) * 31 + widthStep;
    }

    // ---- construction ----

    private void buildFeatureExtractor(Builder b) {
        boolean q = b.quantized;
        Precision w4 = q ? Precision.INT4 : Precision.FP32;
        b.tensors.put(INPUT_ALIASED, new TensorSpec(INPUT_ALIASED, 3, 0, Precision.FP32, null));
        b.tensors.put(INPUT_WARPED, new TensorSpec(INPUT_WARPED, 3, 0, Precision.FP32, null));
        b.simple("fe.grad_a", Op.GRADIENT_MAGNITUDE, List.of(INPUT_ALIASED), 1, 0, Precision.FP32, null,
                Stage.PREPROCESS);
        b.simple("fe.grad_w", Op.GRADIENT_MAGNITUDE, List.of(INPUT_WARPED), 1, 0, Precision.FP32, null,
                Stage.PREPROCESS);
        b.simple("fe.input", Op.CONCAT, List.of(INPUT_ALIASED, INPUT_WARPED, "fe.grad_a", "fe.grad_w"),
                INPUT_CHANNELS, 0, q ? Precision.INT8 : Precision.FP32, q ? "fe.input" : null, Stage.PREPROCESS);
        String prev = "fe.input";
        for (int k = 0; k < LEVELS - 1; k++) {
            String blk = "fe.enc" + k;
            boolean first = k == 0;
            b.conv(blk + ".conv0", Op.CONV3X3, prev, channels(k), Activation.ELU, true, false,
                    first && q ? Precision.INT8 : w4, first && q ? Precision.INT8 : w4, q ? blk + ".conv0" : null,
                    first ? Stage.INPUT_CONV : Stage.ENCODER);
            b.conv(blk + ".conv1", Op.CONV3X3, blk + ".conv0", channels(k), Activation.ELU, true, false, w4, w4,
                    q ? "fe.dec" + k + ".concat" : null, Stage.ENCODER);
            b.same(blk + ".pool", Op.MAXPOOL2, blk + ".conv1", k + 1, Stage.ENCODER);
            prev = blk + ".pool";
        }
        int top = LEVELS - 1;
        b.conv("fe.bottleneck.conv0", Op.CONV3X3, prev, channels(top), Activation.ELU, true, false, w4, w4,
                q ? "fe.bottleneck.conv0" : null, Stage.ENCODER);
        b.conv("fe.bottleneck.conv1", Op.CONV3X3, "fe.bottleneck.conv0", channels(top), Activation.ELU, true, false,
                w4, w4, q ? "fe.dec" + (top - 1) + ".concat" : null, Stage.ENCODER);
        for (int k = top - 1; k >= 0; k--) {
            String blk = "fe.dec" + k;
            b.same(blk + ".up", Op.UPSAMPLE_NEAREST2, decoderOutput(k + 1), k, Stage.DECODER);
            b.simple(blk + ".concat", Op.CONCAT, List.of(blk + ".up", "fe.enc" + k + ".conv1"),
                    channels(k + 1) + channels(k), k, w4, q ? blk + ".concat" : null, Stage.DECODER);
            b.conv(blk + ".conv0", Op.CONV1X1, blk + ".concat", channels(k), Activation.ELU, true, false, w4, w4,
                    q ? blk + ".conv0" : null, Stage.DECODER);
            String outRange = k > 0 ? "fe.dec" + (k - 1) + ".concat" : blk + ".conv1";
            b.conv(blk + ".conv1", Op.CONV3X3, blk + ".conv0", channels(k), Activation.ELU, true, false, w4, w4,
                    q ? outRange : null, Stage.DECODER);
        }
    }

    private void buildFilterNetwork(Builder b) {
        // Input filter at scale 0: 18 weights over I_a and I_w, then average pool.
        b.kernels("fn.in.kernels", decoderOutput(0), FilterKind.INPUT.weights());
        b.filter("fn.in", FilterKind.INPUT, List.of("fn.in.kernels", INPUT_ALIASED, INPUT_WARPED), 0);
        b.same("fn.in.pool", Op.AVGPOOL2, "fn.in", 1, Stage.FILTER);
        String prev = "fn.in.pool";
        for (int k = 1; k < LEVELS - 1; k++) {
            String n = "fn.down" + k;
            b.kernels(n + ".kernels", decoderOutput(k), FilterKind.DOWN.weights());
            b.filter(n, FilterKind.DOWN, List.of(n + ".kernels", prev), k);
            b.same(n + ".pool", Op.AVGPOOL2, n, k + 1, Stage.FILTER);
            prev = n + ".pool";
        }
        int top = LEVELS - 1;
        b.kernels("fn.bottleneck.kernels", decoderOutput(top), FilterKind.BOTTLENECK.weights());
        b.filter("fn.bottleneck", FilterKind.BOTTLENECK, List.of("fn.bottleneck.kernels", prev), top);
        String below = "fn.bottleneck";
        for (int k = top - 1; k >= 0; k--) {
            String n = "fn.up" + k;
            b.kernels(n + ".kernels", decoderOutput(k), FilterKind.UP.weights());
            b.same(n + ".upsample", Op.UPSAMPLE_BILINEAR2, below, k, Stage.FILTER);
            b.filter(n, FilterKind.UP, List.of(n + ".kernels", n + ".upsample", k == 0 ? "fn.in" : "fn.down" + k), k);
            below = n;
        }
    }

    /** Accumulates layers and their output tensors, checking inputs as it goes. */
    private static final class Builder {
        final boolean quantized;
        final List<LayerSpec> layers = new ArrayList<>();
        final Map<String, TensorSpec> tensors = new LinkedHashMap<>();
        final Map<String, FilterKind> filterKinds = new LinkedHashMap<>();

        Builder(boolean quantized) {
            this.quantized = quantized;
        }

        TensorSpec in(String name) {
            TensorSpec t = tensors.get(name);
            if (t == null) {
                throw new IllegalStateException("layer input '" + name + "' not defined yet");
            }
            return t;
        }

        void add(LayerSpec l) {
            if (tensors.containsKey(l.name())) {
                throw new IllegalStateException("duplicate tensor " + l.name());
            }
            layers.add(l);
            tensors.put(l.name(), new TensorSpec(l.name(), l.outChannels(), l.scale(), l.outputPrecision(),
                    l.range()));
        }

        void conv(String name, Op op, String input, int out, Activation act, boolean bn, boolean bias,
                  Precision weights, Precision compute, String range, Stage stage) {
            TensorSpec i = in(input);
            Precision outP = range == null ? Precision.FP32 : Precision.INT4;
            add(new LayerSpec(name, op, List.of(input), i.channels(), out, i.scale(), act, bn, bias, weights,
                    compute, outP, range, stage));
        }

        /** A parameter-free layer with the given output channels, scale, precision and range. */
        void simple(String name, Op op, List<String> inputs, int out, int scale, Precision outP, String range,
                    Stage stage) {
            int inCh = 0;
            for (String s : inputs) {
                inCh += in(s).channels();
            }
            add(new LayerSpec(name, op, inputs, inCh, out, scale, Activation.NONE, false, false, null,
                    Precision.FP32, outP, range, stage));
        }

        /** Pooling or upsampling: channels, precision and range of the input, at a new scale. */
        void same(String name, Op op, String input, int scale, Stage stage) {
            TensorSpec i = in(input);
            Precision compute = i.precision().isInteger() ? i.precision() : Precision.FP32;
            add(new LayerSpec(name, op, List.of(input), i.channels(), i.channels(), scale, Activation.NONE, false,
                    false, null, compute, i.precision(), i.range(), stage));
        }

        void kernels(String name, String decoder, int weights) {
            TensorSpec i = in(decoder);
            add(new LayerSpec(name, Op.CONV1X1, List.of(decoder), i.channels(), weights, i.scale(),
                    Activation.SOFTMAX, false, true, Precision.INT8, Precision.INT8, Precision.FP32, null,
                    Stage.KERNEL_PREDICTION));
        }

        void filter(String name, FilterKind kind, List<String> inputs, int scale) {
            for (String s : inputs) {
                if (in(s).scale() != scale) {
                    throw new IllegalStateException(name + ": input " + s + " at another scale");
                }
            }
            if (in(inputs.get(0)).channels() != kind.weights()
                    || inputs.size() != 1 + kind.images() + (kind.skip() ? 1 : 0)) {
                throw new IllegalStateException(name + ": a " + kind + " filter takes " + kind.weights()
                        + " kernel weights and " + kind.images() + " image(s)" + (kind.skip() ? " and a skip" : ""));
            }
            filterKinds.put(name, kind);
            add(new LayerSpec(name, Op.KERNEL_FILTER, inputs, 3, 3, scale, Activation.NONE, false, false, null,
                    Precision.FP32, Precision.FP32, null, Stage.FILTER));
        }
    }
}
