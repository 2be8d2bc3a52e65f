package org.reconview.nn.gl;

import org.reconview.nn.BitOps;
import static org.lwjgl.opengl.GL45C.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reconview.nn.GoldenModel;
import org.reconview.nn.LayerSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.QuantizedModel;
import org.reconview.nn.Weights;

/**
 * QW-Net on the GPU with its integer feature extractor (section 5): the golden {@link QuantizedModel} as compute
 * passes. FP32 gradients ({@link GpuOps}), the 8-channel input quantized to packed 8-bit codes, every
 * feature-extractor conv an {@link Int4Ops#conv integer conv} with its epilogue fused (alpha, c, ELU, requantize,
 * pack), max pooling and nearest upsampling on packed codes, concatenation by buffer copies (channel groups of 8 stay
 * aligned); kernel prediction as integer dot products with FP32 output written CHW, which is what the FP32 softmax and
 * filter passes of {@link GpuOps} read, so no conversion pass stands between the two networks.
 */
public final class Int4Network implements InferenceNetwork {
    /** Name of the FP32 staging tensor that {@code fe.input} is quantized from. */
    private static final String INPUT_FLOAT = "fe.input.fp32";
    private final QuantizedModel model;
    private final NetworkSpec spec;
    private final GpuOps ops;
    private final Int4Ops int4 = new Int4Ops();
    private final Map<String, Int4Conv> convs = new LinkedHashMap<>();
    private final Map<String, GpuTensor> floats = new HashMap<>();
    private final Map<String, Int4Tensor> codes = new HashMap<>();
    private final Map<String, Integer> debugAcc = new HashMap<>();
    private final Offload offload;
    /** The quantized network input ({@code fe.input}): what an offload reads. */
    private String networkInputCodes;
    private boolean recordAccumulators;
    private int height;
    private int width;

    /**
     * Where the integer convs run when not in these GLSL passes (the CUDA backend): from {@code fe.input}'s packed
     * 8-bit codes to the softmaxed kernel predictions {@code fn.*.kernels}, on the same GL buffers, so the GLSL passes
     * before (gradients, input quantization) and after (the filter network) stay as they are.
     */
    public interface Offload extends AutoCloseable {
        /** Binds the GL buffers of a new size: the input codes and the kernel-prediction tensors by layer name. */
        void allocate(int paddedHeight, int paddedWidth, Int4Tensor input, Map<String, GpuTensor> kernels);

        /** Runs the convs, ordered after the GL work issued before and before the GL work issued after. */
        void run();

        /** Where it runs, in a few words ("CUDA on NVIDIA H100 (sm_90), s8 MMA"). */
        String description();

        @Override
        void close();
    }

    public Int4Network(NetworkSpec spec, Weights weights, GpuOps ops) {
        this(new QuantizedModel(spec, weights), ops);
    }

    public Int4Network(QuantizedModel model, GpuOps ops) {
        this(model, ops, null);
    }

    /** With {@code offload} non-null, the integer convs run there instead of in GLSL; this network owns it. */
    public Int4Network(QuantizedModel model, GpuOps ops, Offload offload) {
        this.model = model;
        this.spec = model.spec();
        this.ops = ops;
        this.offload = offload;
        if (offload == null) {
            for (var e : model.convs().entrySet()) {
                convs.put(e.getKey(), new Int4Conv(e.getValue()));
            }
        }
    }

    @Override
    public String arithmetic() {
        return "INT4 feature extractor" + (offload == null ? "" : " (" + offload.description() + ")")
                + ", FP32 filter network";
    }

    @Override
    public NetworkSpec spec() {
        return spec;
    }

    public QuantizedModel model() {
        return model;
    }

    /** Tests: the integer convs read their inputs as SSBOs, as for tensors over GL_MAX_TEXTURE_BUFFER_SIZE. */
    void forceSsboInput(boolean on) {
        int4.forceSsboInput = on;
    }

    /** Makes {@link #run} also write every conv's int32 accumulators (for tests; costs a buffer per conv). */
    public void recordAccumulators(boolean on) {
        recordAccumulators = on;
        if (height > 0) {
            allocateDebug();
        }
    }

    /** Allocates every tensor for a padded input size (a multiple of {@link GoldenModel#PAD_MULTIPLE}). */
    public void allocate(int paddedHeight, int paddedWidth) {
        if (paddedHeight == height && paddedWidth == width) {
            return;
        }
        GoldenModel.requirePadded(paddedHeight, paddedWidth);
        freeTensors();
        height = paddedHeight;
        width = paddedWidth;
        for (NetworkSpec.TensorSpec in : spec.inputs()) {
            floats.put(in.name(), new GpuTensor(in.channels(), height, width));
        }
        for (LayerSpec l : spec.layers()) {
            int h = height >> l.scale();
            int w = width >> l.scale();
            NetworkSpec.TensorSpec t = spec.tensor(l.name());
            if (t.range() == null) {
                floats.put(l.name(), new GpuTensor(l.outChannels(), h, w));
            } else {
                boolean networkInput = l.op() == LayerSpec.Op.CONCAT && spec.tensor(l.inputs().get(0)).range() == null;
                if (offload == null || networkInput) {
                    codes.put(l.name(), new Int4Tensor(l.outChannels(), h, w, t.precision().bits()));
                }
                if (networkInput) {
                    floats.put(INPUT_FLOAT, new GpuTensor(l.outChannels(), h, w));
                    networkInputCodes = l.name();
                }
            }
        }
        if (offload != null) {
            Map<String, GpuTensor> kernels = new LinkedHashMap<>();
            for (LayerSpec l : spec.layers()) {
                if (l.op().isConv() && spec.tensor(l.name()).range() == null) {
                    kernels.put(l.name(), floats.get(l.name()));
                }
            }
            offload.allocate(height, width, codes.get(networkInputCodes), kernels);
        }
        allocateDebug();
    }

    private void allocateDebug() {
        debugAcc.values().forEach(id -> glDeleteBuffers(id));
        debugAcc.clear();
        if (!recordAccumulators || offload != null) {
            return;
        }
        for (Int4Conv c : convs.values()) {
            LayerSpec l = c.conv.layer();
            int n = l.outChannels() * (height >> l.scale()) * (width >> l.scale());
            debugAcc.put(l.name(), Int4Tensor.createBuffer(new int[n]));
        }
    }

    /** An FP32 tensor (inputs {@code i_a}, {@code i_w}, gradients, kernels, filter network), or null. */
    public GpuTensor tensor(String name) {
        return floats.get(name);
    }

    /** A quantized feature map (packed codes), or null. */
    public Int4Tensor codes(String name) {
        return codes.get(name);
    }

    /** The int32 accumulators of a conv's last run (OHW), when {@link #recordAccumulators} is on. */
    public int[] accumulators(String conv) {
        Integer id = debugAcc.get(conv);
        if (id == null) {
            throw new IllegalStateException("accumulators of " + conv + " not recorded");
        }
        LayerSpec l = spec.layer(conv);
        return Int4Tensor.readBuffer(id, l.outChannels() * (height >> l.scale()) * (width >> l.scale()));
    }

    @Override
    public GpuTensor output() {
        return floats.get(spec.output());
    }

    @Override
    public BitOps.Frame cost() {
        return BitOps.fixed(spec(), height, width);
    }

    /** Runs every layer on the current inputs ({@code i_a}, {@code i_w}); the result is {@link #output()}. */
    @Override
    public GpuTensor run() {
        steps().forEach(Runnable::run);
        return output();
    }

    /**
     * An integer MAC of the packed path costs about this fraction of an FP32 one on llvmpipe (`bench --what nn`:
     * QW-Net INT4 against FP32 at 256x256), for {@link #steps(long)}.
     */
    static final double MAC_COST = 0.4;

    /**
     * One step per layer, the integer convs cut into row bands; with an offload, its integer convs are one step
     * where the first of them was (it stays whole).
     */
    @Override
    public List<Runnable> steps(long macsPerStep) {
        long own = macsPerStep == Long.MAX_VALUE ? macsPerStep : (long) (macsPerStep / MAC_COST);
        List<Runnable> steps = new ArrayList<>();
        boolean offloaded = false;
        for (LayerSpec l : spec.layers()) {
            String n = l.name();
            if (offload != null && codes.get(n) == null && (l.op().isConv() || spec.tensor(n).range() != null)) {
                if (!offloaded) {
                    steps.add(offload::run);
                    offloaded = true;
                }
                continue;
            }
            if (l.op().isConv()) {
                Int4Conv c = convs.get(n);
                Int4Tensor in = codes.get(l.inputs().get(0));
                int dbg = debugAcc.getOrDefault(n, 0);
                if (c.output() != null) {
                    Int4Tensor out = codes.get(n);
                    steps.addAll(RowBand.steps(RowBand.forWork(out.height, out.width, l.weightCount(), own), null,
                            band -> int4.conv(in, c, out, dbg, band), null));
                } else {
                    GpuTensor out = floats.get(n);
                    steps.addAll(RowBand.steps(RowBand.forWork(out.height, out.width, l.weightCount(), own), null,
                            band -> int4.convFloat(in, c, out, dbg, band), () -> ops.softmax(out)));
                }
                continue;
            }
            steps.add(() -> runLayer(l));
        }
        return steps;
    }

    /**
     * Runs only the FP32 filter network (filters, average pools, bilinear upsamples) on the kernel predictions already
     * in place: for benchmarks that time it apart from the feature extractor.
     */
    public void runFilterNetwork() {
        for (LayerSpec l : spec.layers()) {
            switch (l.op()) {
                case KERNEL_FILTER, AVGPOOL2, UPSAMPLE_BILINEAR2 -> runLayer(l);
                default -> {
                }
            }
        }
    }

    private void runLayer(LayerSpec l) {
        String n = l.name();
        switch (l.op()) {
            case GRADIENT_MAGNITUDE -> ops.gradientMagnitude(floats.get(l.inputs().get(0)), floats.get(n));
            case CONCAT -> {
                if (codes.get(l.inputs().get(0)) == null) {
                    GpuTensor staging = floats.get(INPUT_FLOAT);
                    ops.concat(floatInputs(l), staging);
                    int4.quantize(staging, model.tensorQuant(n), codes.get(n));
                } else {
                    List<Int4Tensor> in = new ArrayList<>();
                    for (String s : l.inputs()) {
                        in.add(codes.get(s));
                    }
                    int4.concat(in, codes.get(n));
                }
            }
            case CONV3X3, CONV1X1 -> throw new AssertionError("convs are steps of their own");
            case MAXPOOL2 -> int4.maxPool(codes.get(l.inputs().get(0)), codes.get(n));
            case UPSAMPLE_NEAREST2 -> int4.upsampleNearest(codes.get(l.inputs().get(0)), codes.get(n));
            case AVGPOOL2 -> ops.resample(floats.get(l.inputs().get(0)), GpuOps.Resample.AVG_POOL, floats.get(n));
            case UPSAMPLE_BILINEAR2 -> ops.resample(floats.get(l.inputs().get(0)), GpuOps.Resample.BILINEAR_UP,
                    floats.get(n));
            case KERNEL_FILTER -> ops.kernelFilter(spec.filterKind(l), floatInputs(l), floats.get(n));
        }
    }

    private List<GpuTensor> floatInputs(LayerSpec l) {
        List<GpuTensor> in = new ArrayList<>();
        for (String s : l.inputs()) {
            in.add(floats.get(s));
        }
        return in;
    }

    private void freeTensors() {
        floats.values().forEach(GpuTensor::close);
        floats.clear();
        codes.values().forEach(Int4Tensor::close);
        codes.clear();
        debugAcc.values().forEach(id -> glDeleteBuffers(id));
        debugAcc.clear();
    }

    @Override
    public void close() {
        freeTensors();
        convs.values().forEach(Int4Conv::close);
        int4.close();
        if (offload != null) {
            offload.close();
        }
    }
}
