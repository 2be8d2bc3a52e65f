package org.reconview.nn.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.reconview.nn.GoldenModel;
import org.reconview.nn.LayerSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.QuantizedConv;
import org.reconview.nn.QuantizedModel;
import org.reconview.nn.gl.Int4Conv;
import org.reconview.nn.gl.Int4Tensor;

/**
 * QW-Net's integer feature extractor and kernel-prediction convs on a {@link CudaDevice}, with the tensor-core kernels
 * of {@code kernels/int4_mma.cu}: from the 8-bit codes of {@code fe.input} (packed as {@link Int4Tensor}, what the GLSL
 * input quantization writes) to the softmaxed FP32 kernels {@code fn.*.kernels} (CHW, what the GLSL filter network
 * reads). Golden: {@link QuantizedModel}, whose codes, accumulators and kernels this reproduces.
 * <p>
 * The plan follows the {@link NetworkSpec}: one launch a conv. A 2x2 max pool is fused into the conv that feeds it
 * (second output); a decoder's nearest upsample and concat are fused into the conv that reads the concat (it gathers
 * the coarser tensor at (y/2, x/2) for the first word groups and the skip tensor for the rest), so neither is stored.
 * Weights are arranged once in the kernels' fragment order ({@link #fragmentsInt4}, {@link #fragmentsInput},
 * {@link #fragmentsS8}) and uploaded with the epilogue constants alpha and c.
 */
public final class CudaInt4Extractor implements AutoCloseable {
    /** Threads a block (32 x 4 warps) and the pixel tile and channel chunk of a block (kernels/int4_mma.cu). */
    static final int TILE_W = 16;
    static final int TILE_H = 8;
    static final int CHUNK = 32;
    /** sizeof(ConvParams) in the kernels. */
    static final int PARAMS_SIZE = 104;

    /** How 4-bit x 4-bit products run: native s4 MMA, or unpacked to s8 MMA (for sm_89 and newer). */
    public enum Int4Path {
        S4, S8;

        /** The path for a compute capability (S8 from sm_89 on), unless {@code reconview.cuda.int4Path} says. */
        public static Int4Path forDevice(int computeCapability) {
            String forced = System.getProperty("reconview.cuda.int4Path");
            if (forced != null && !forced.isBlank()) {
                return valueOf(forced.trim().toUpperCase(Locale.ROOT));
            }
            return computeCapability >= 89 ? S8 : S4;
        }
    }

    private enum Kind { INPUT, INT4, PREDICTION }

    /** One conv launch: its inputs and outputs by tensor name, and its weights on the device. */
    private record Step(QuantizedConv conv, Kind kind, String src0, boolean upsample0, String src1, String pooled,
                        int groups0, int groups1, int kSteps, long weights, long epilogue) {
        String output() {
            return conv.layer().name();
        }
    }

    private final QuantizedModel model;
    private final NetworkSpec spec;
    private final CudaDevice device;
    private final Int4Path path;
    private final List<Step> steps = new ArrayList<>();
    private final Map<String, Long> tensors = new LinkedHashMap<>();
    private final Map<String, Long> debug = new HashMap<>();
    private boolean recordAccumulators;
    private int height;
    private int width;

    public CudaInt4Extractor(QuantizedModel model, CudaDevice device) {
        this(model, device, Int4Path.forDevice(device.computeCapability()));
    }

    public CudaInt4Extractor(QuantizedModel model, CudaDevice device, Int4Path path) {
        this.model = model;
        this.spec = model.spec();
        this.device = device;
        this.path = path;
        try {
            plan();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public Int4Path path() {
        return path;
    }

    /** The conv layers this runs, in order (the feature extractor's and the kernel predictions). */
    public List<String> convs() {
        return steps.stream().map(Step::output).toList();
    }

    /** The FP32 outputs: the kernel-prediction layers {@code fn.*.kernels}. */
    public List<String> floatOutputs() {
        return steps.stream().filter(s -> s.kind == Kind.PREDICTION).map(Step::output).toList();
    }

    private void plan() {
        Map<String, String> poolOf = new HashMap<>();
        for (LayerSpec l : spec.layers()) {
            if (l.op() == LayerSpec.Op.MAXPOOL2) {
                if (poolOf.put(l.inputs().get(0), l.name()) != null) {
                    throw new IllegalArgumentException(l.inputs().get(0) + " feeds two max pools");
                }
            }
        }
        for (LayerSpec l : spec.layers()) {
            if (!l.op().isConv()) {
                continue;
            }
            QuantizedConv c = model.conv(l.name());
            String in = l.inputs().get(0);
            NetworkSpec.TensorSpec inSpec = spec.tensor(in);
            Kind kind = c.output() == null ? Kind.PREDICTION : inSpec.precision().bits() == 8 ? Kind.INPUT : Kind.INT4;
            String src0 = in;
            String src1 = null;
            boolean up = false;
            LayerSpec producer = producer(in);
            if (producer != null && producer.op() == LayerSpec.Op.CONCAT && inSpec.precision().bits() == 4) {
                if (producer.inputs().size() != 2) {
                    throw new IllegalArgumentException(in + ": only two-part concats are fused");
                }
                src0 = producer.inputs().get(0);
                src1 = producer.inputs().get(1);
                LayerSpec upsample = producer(src0);
                if (upsample != null && upsample.op() == LayerSpec.Op.UPSAMPLE_NEAREST2) {
                    src0 = upsample.inputs().get(0);
                    up = true;
                }
            }
            int groups0 = wordGroups(src0);
            int groups1 = src1 == null ? 0 : wordGroups(src1);
            long weights;
            int kSteps;
            switch (kind) {
                case INPUT -> {
                    if (c.inChannels() != 8 || c.kernelSize() != 3) {
                        throw new IllegalArgumentException(l.name() + ": the input conv is 3x3 on 8 channels");
                    }
                    kSteps = 3;
                    weights = upload(fragmentsInput(c));
                }
                case PREDICTION -> {
                    if (c.kernelSize() != 1 || c.outChannels() > CHUNK) {
                        throw new IllegalArgumentException(l.name() + ": kernel prediction is 1x1 to at most "
                                + CHUNK + " channels");
                    }
                    kSteps = (c.inChannels() + 31) / 32;
                    weights = upload(fragmentsS8(c));
                }
                default -> {
                    kSteps = (groups0 + groups1 + 3) / 4;
                    weights = upload(path == Int4Path.S4 ? fragmentsInt4(c) : fragmentsS8(c));
                }
            }
            float[] e = new float[2 * c.outChannels()];
            System.arraycopy(c.alpha(), 0, e, 0, c.outChannels());
            System.arraycopy(c.c(), 0, e, c.outChannels(), c.outChannels());
            long epilogue = upload(e);
            steps.add(new Step(c, kind, src0, up, src1, poolOf.get(l.name()), groups0, groups1, kSteps, weights,
                    epilogue));
        }
    }

    /** Words a pixel of a packed tensor: its channels over the codes a word (8 of 4 bits, 4 of 8 bits). */
    private int wordGroups(String tensor) {
        NetworkSpec.TensorSpec t = spec.tensor(tensor);
        return t.channels() / (32 / t.precision().bits());
    }

    private LayerSpec producer(String tensor) {
        for (LayerSpec l : spec.layers()) {
            if (l.name().equals(tensor)) {
                return l;
            }
        }
        return null;
    }

    /**
     * 4-bit weights as the INT4 kernels read them: rows of 32 words, row ((n * taps + tap) * kSteps + ks) for n-tile n
     * (8 output channels) over whole 32-channel chunks; lane l of a row holds output channel 8n + l / 4, input word
     * group 4 ks + l % 4 (8 channels, channel 8 group + i in bits 4i..), tap {@code tap}. Zero past the real channels.
     */
    public static int[] fragmentsInt4(QuantizedConv c) {
        int out = c.outChannels();
        int in = c.inChannels();
        int taps = c.kernelSize() * c.kernelSize();
        int kSteps = (in / 8 + 3) / 4;
        int nTiles = (out + CHUNK - 1) / CHUNK * (CHUNK / 8);
        int[] codes = c.weights().codes();
        int[] rows = new int[nTiles * taps * kSteps * 32];
        for (int n = 0; n < nTiles; n++) {
            for (int tap = 0; tap < taps; tap++) {
                for (int ks = 0; ks < kSteps; ks++) {
                    int row = ((n * taps + tap) * kSteps + ks) * 32;
                    for (int lane = 0; lane < 32; lane++) {
                        int o = 8 * n + lane / 4;
                        int group = 4 * ks + lane % 4;
                        int word = 0;
                        for (int i = 0; i < 8; i++) {
                            int ch = 8 * group + i;
                            if (o < out && ch < in) {
                                word |= (codes[(o * in + ch) * taps + tap] & 0xF) << (4 * i);
                            }
                        }
                        rows[row + lane] = word;
                    }
                }
            }
        }
        return rows;
    }

    /**
     * The input conv's 8-bit weights: per n-tile and k-step of 4 taps two rows of 32 words, row
     * ((n * 3 + ks) * 2 + r); lane l = 4 g + t holds output channel 8n + g, tap 4 ks + 2r + t / 2, input channels
     * 4 (t % 2) .. + 3 (byte i = channel 4 (t % 2) + i). Taps 9-11 are zero.
     */
    public static int[] fragmentsInput(QuantizedConv c) {
        int out = c.outChannels();
        int in = c.inChannels();
        int nTiles = (out + CHUNK - 1) / CHUNK * (CHUNK / 8);
        int[] codes = c.weights().codes();
        int[] rows = new int[nTiles * 3 * 2 * 32];
        for (int n = 0; n < nTiles; n++) {
            for (int ks = 0; ks < 3; ks++) {
                for (int r = 0; r < 2; r++) {
                    for (int lane = 0; lane < 32; lane++) {
                        int o = 8 * n + lane / 4;
                        int t = lane % 4;
                        int tap = 4 * ks + 2 * r + t / 2;
                        int word = 0;
                        for (int i = 0; i < 4; i++) {
                            int ch = 4 * (t % 2) + i;
                            if (o < out && tap < 9 && ch < in) {
                                word |= (codes[(o * in + ch) * 9 + tap] & 0xFF) << (8 * i);
                            }
                        }
                        rows[((n * 3 + ks) * 2 + r) * 32 + lane] = word;
                    }
                }
            }
        }
        return rows;
    }

    /**
     * Weights as 8-bit s8 fragments, for the kernel predictions (8-bit weights, 1x1) and for the 4-bit convs on the s8
     * path (4-bit codes widened once here rather than in the inner loop): per n-tile (over whole 32-channel chunks),
     * tap and k-step of 32 input channels two rows, row (((n * taps + tap) * kSteps + ks) * 2 + r); lane l = 4 g + t
     * holds output channel 8n + g and input channels 32 ks + 16 r + 4t .. + 3, one byte each.
     */
    public static int[] fragmentsS8(QuantizedConv c) {
        int out = c.outChannels();
        int in = c.inChannels();
        int taps = c.kernelSize() * c.kernelSize();
        int kSteps = (in + 31) / 32;
        int nTiles = (out + CHUNK - 1) / CHUNK * (CHUNK / 8);
        int[] codes = c.weights().codes();
        int[] rows = new int[nTiles * taps * kSteps * 2 * 32];
        for (int n = 0; n < nTiles; n++) {
            for (int tap = 0; tap < taps; tap++) {
                for (int ks = 0; ks < kSteps; ks++) {
                    for (int r = 0; r < 2; r++) {
                        int row = (((n * taps + tap) * kSteps + ks) * 2 + r) * 32;
                        for (int lane = 0; lane < 32; lane++) {
                            int o = 8 * n + lane / 4;
                            int word = 0;
                            for (int i = 0; i < 4; i++) {
                                int ch = 32 * ks + 16 * r + 4 * (lane % 4) + i;
                                if (o < out && ch < in) {
                                    word |= (codes[(o * in + ch) * taps + tap] & 0xFF) << (8 * i);
                                }
                            }
                            rows[row + lane] = word;
                        }
                    }
                }
            }
        }
        return rows;
    }

    /** Makes {@link #run} also write every conv's int32 accumulators (for tests). */
    public void recordAccumulators(boolean on) {
        recordAccumulators = on;
        if (height > 0) {
            allocateDebug();
        }
    }

    /** Allocates the feature maps for a padded input size (a multiple of {@link GoldenModel#PAD_MULTIPLE}). */
    public void allocate(int paddedHeight, int paddedWidth) {
        if (paddedHeight == height && paddedWidth == width) {
            return;
        }
        GoldenModel.requirePadded(paddedHeight, paddedWidth);
        freeTensors();
        height = paddedHeight;
        width = paddedWidth;
        for (Step s : steps) {
            LayerSpec l = s.conv.layer();
            tensors.put(s.output(), device.alloc(bytes(l.name())));
            if (s.pooled != null) {
                tensors.put(s.pooled, device.alloc(bytes(s.pooled)));
            }
        }
        allocateDebug();
    }

    private long bytes(String tensor) {
        NetworkSpec.TensorSpec t = spec.tensor(tensor);
        long plane = (long) (height >> t.scale()) * (width >> t.scale());
        return t.range() == null ? 4L * t.channels() * plane : 4L * (t.channels() / (32 / t.precision().bits())) * plane;
    }

    private void allocateDebug() {
        debug.values().forEach(device::free);
        debug.clear();
        if (!recordAccumulators || height == 0) {
            return;
        }
        for (Step s : steps) {
            LayerSpec l = s.conv.layer();
            debug.put(l.name(), device.alloc(4L * l.outChannels() * (height >> l.scale()) * (width >> l.scale())));
        }
    }

    /**
     * Runs every conv on the device: from {@code inputCodes} (the address of {@code fe.input}'s packed 8-bit codes)
     * to the kernel predictions, each written to the address {@code floatOutputs} gives for its name or, where it
     * gives none, to a buffer of this extractor's ({@link #floats}). Issued on the device's stream; returns without
     * waiting.
     */
    public void run(long inputCodes, Map<String, Long> floatOutputs) {
        if (height == 0) {
            throw new IllegalStateException("allocate() first");
        }
        for (Step s : steps) {
            launch(s, inputCodes, floatOutputs);
        }
    }

    /** One conv alone (benchmarks): inputs must hold what earlier convs or an upload left there. */
    public void runOne(String conv, long inputCodes) {
        for (Step s : steps) {
            if (s.output().equals(conv)) {
                launch(s, inputCodes, Map.of());
                return;
            }
        }
        throw new IllegalArgumentException("no conv '" + conv + "'");
    }

    private void launch(Step s, long inputCodes, Map<String, Long> floatOutputs) {
        LayerSpec l = s.conv.layer();
        int h = height >> l.scale();
        int w = width >> l.scale();
        long dst = s.kind == Kind.PREDICTION ? floatOutputs.getOrDefault(l.name(), tensors.get(l.name()))
                : tensors.get(l.name());
        var out = s.conv.output();
        KernelParams p = new KernelParams()
                .ptr(address(s.src0, inputCodes))
                .ptr(s.src1 == null ? 0 : address(s.src1, inputCodes))
                .ptr(s.weights)
                .ptr(s.epilogue)
                .ptr(dst)
                .ptr(s.pooled == null ? 0 : tensors.get(s.pooled))
                .ptr(debug.getOrDefault(l.name(), 0L))
                .i32(h).i32(w)
                .i32(s.groups0).i32(s.groups1).i32(s.upsample0 ? 1 : 0).i32(s.kSteps).i32(l.outChannels())
                .u32(Int4Conv.padWord(s.conv))
                .f32(out == null ? 0 : out.lo()).f32(out == null ? 0 : out.hi())
                .f32(out == null ? 1 : out.scale()).i32(out == null ? 0 : out.zeroPoint());
        if (p.size() != PARAMS_SIZE) {
            throw new IllegalStateException("ConvParams is " + PARAMS_SIZE + " bytes, built " + p.size());
        }
        String kernel = switch (s.kind) {
            case INPUT -> "int8_input_conv3";
            case PREDICTION -> "int4_kernel_prediction";
            case INT4 -> "int4_conv" + s.conv.kernelSize() + "_" + path.name().toLowerCase(Locale.ROOT);
        };
        int chunks = s.kind == Kind.PREDICTION ? 1 : (l.outChannels() + CHUNK - 1) / CHUNK;
        device.launch(kernel, new CudaDevice.Dim3((w + TILE_W - 1) / TILE_W, (h + TILE_H - 1) / TILE_H, chunks),
                new CudaDevice.Dim3(32, 4, 1), p.bytes());
    }

    private long address(String tensor, long inputCodes) {
        Long a = tensors.get(tensor);
        if (a != null) {
            return a;
        }
        if (spec.tensor(tensor).precision().bits() == 8) {
            return inputCodes;
        }
        throw new IllegalStateException("tensor " + tensor + " is not on the device");
    }

    /** The device address of a stored tensor (a conv's output, a fused pool's), for traces and debugging. */
    long address(String tensor) {
        Long a = tensors.get(tensor);
        if (a == null) {
            throw new IllegalArgumentException(tensor + " is not stored on the device");
        }
        return a;
    }

    /** The device address of a conv's recorded accumulators. */
    long accumulatorAddress(String conv) {
        Long a = debug.get(conv);
        if (a == null) {
            throw new IllegalStateException("accumulators of " + conv + " not recorded");
        }
        return a;
    }

    /** The stored tensors: conv outputs and fused pools, in plan order. */
    List<String> storedTensors() {
        return List.copyOf(tensors.keySet());
    }

    /** The signed codes (CHW) of a stored 4-bit tensor: a conv output or a max pool's. Waits for the device. */
    public int[] codes(String tensor) {
        NetworkSpec.TensorSpec t = spec.tensor(tensor);
        Long a = tensors.get(tensor);
        if (a == null || t.range() == null) {
            throw new IllegalArgumentException(tensor + " is not a stored code tensor");
        }
        int h = height >> t.scale();
        int w = width >> t.scale();
        return Int4Tensor.unpack(downloadInts(a, t.channels() / 8 * h * w), t.channels(), h, w, 4);
    }

    /** A kernel prediction kept in this extractor's own buffer (CHW). Waits for the device. */
    public float[] floats(String tensor) {
        NetworkSpec.TensorSpec t = spec.tensor(tensor);
        int n = t.channels() * (height >> t.scale()) * (width >> t.scale());
        ByteBuffer b = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        device.download(tensors.get(tensor), b);
        float[] out = new float[n];
        b.asFloatBuffer().get(out);
        return out;
    }

    /** A conv's int32 accumulators of the last run (OHW), when {@link #recordAccumulators} is on. */
    public int[] accumulators(String conv) {
        Long a = debug.get(conv);
        if (a == null) {
            throw new IllegalStateException("accumulators of " + conv + " not recorded");
        }
        LayerSpec l = spec.layer(conv);
        return downloadInts(a, l.outChannels() * (height >> l.scale()) * (width >> l.scale()));
    }

    private int[] downloadInts(long address, int n) {
        ByteBuffer b = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        device.download(address, b);
        int[] out = new int[n];
        b.asIntBuffer().get(out);
        return out;
    }

    private long upload(int[] data) {
        ByteBuffer b = ByteBuffer.allocateDirect(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(data);
        return upload(b);
    }

    private long upload(float[] data) {
        ByteBuffer b = ByteBuffer.allocateDirect(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        return upload(b);
    }

    private long upload(ByteBuffer b) {
        long a = device.alloc(b.capacity());
        device.upload(a, b);
        return a;
    }

    private void freeTensors() {
        tensors.values().forEach(device::free);
        tensors.clear();
        debug.values().forEach(device::free);
        debug.clear();
        height = 0;
        width = 0;
    }

    @Override
    public void close() {
        freeTensors();
        for (Step s : steps) {
            device.free(s.weights);
            device.free(s.epilogue);
        }
        steps.clear();
    }
}
