package org.reconview.nn.gl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reconview.gl.StorageBuffer;
import org.reconview.nn.BitOps;
import org.reconview.nn.CadyqModel;
import org.reconview.nn.CadyqSpec;
import org.reconview.nn.LayerSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Weights;

/**
 * CADyQ QW-Net in GLSL (golden: {@link CadyqModel}): the feature extractor's float carriers as FP32 tensors, the
 * tile gradients of I_a once per frame, then per selected conv its selector on the GPU ({@link GpuBitSelector}) and
 * the mixed-width integer conv ({@link CadyqConvPass}); the input conv and the kernel-prediction convs at their fixed
 * widths with the same pass; pooling, upsampling, concatenation and the FP32 filter network as {@link GpuNetwork}
 * runs them. The bit map follows the content every frame without leaving the GPU; {@link #cost} reads it back
 * (a few hundred ints) for the accounting.
 */
public final class CadyqNetwork implements InferenceNetwork {
    private final CadyqSpec spec;
    private final CadyqModel model;
    private final GpuOps ops;
    private final GpuBitSelector selector = new GpuBitSelector();
    private final Map<String, CadyqConvPass> passes = new LinkedHashMap<>();
    private final Map<String, StorageBuffer> selectors = new HashMap<>();
    private final Map<String, GpuTensor> tensors = new HashMap<>();
    private final Map<String, StorageBuffer> bits = new LinkedHashMap<>();
    private StorageBuffer gradients;
    /** The last run's bit map once read back (cost, the viewer's map and eval all ask for it), null until asked. */
    private Map<String, int[]> lastBitMap;
    private StorageBuffer features;
    private int height;
    private int width;

    public CadyqNetwork(CadyqSpec spec, Weights weights, GpuOps ops) {
        this.spec = spec;
        this.model = new CadyqModel(spec, weights);
        this.ops = ops;
        for (LayerSpec l : spec.base().layers()) {
            if (!l.op().isConv()) {
                continue;
            }
            if (spec.isSelected(l.name())) {
                passes.put(l.name(), CadyqConvPass.selected(model, l));
                float[] w = weights.floats(CadyqSpec.selectorWeight(l.name()));
                float[] b = weights.floats(CadyqSpec.selectorBias(l.name()));
                float[] both = new float[w.length + b.length];
                System.arraycopy(w, 0, both, 0, w.length);
                System.arraycopy(b, 0, both, w.length, b.length);
                selectors.put(l.name(), new StorageBuffer(both));
            } else {
                passes.put(l.name(), CadyqConvPass.fixed(model, l));
            }
        }
    }

    @Override
    public NetworkSpec spec() {
        return spec.base();
    }

    @Override
    public String arithmetic() {
        return "CADyQ " + String.join("/", spec.candidates().stream().map(String::valueOf).toList())
                + "-bit feature extractor, FP32 filter network";
    }

    @Override
    public int padMultiple() {
        return spec.tile();
    }

    @Override
    public void allocate(int paddedHeight, int paddedWidth) {
        if (paddedHeight == height && paddedWidth == width) {
            return;
        }
        freeTensors();
        int tiles = spec.tiles(paddedHeight) * spec.tiles(paddedWidth);
        height = paddedHeight;
        width = paddedWidth;
        for (NetworkSpec.TensorSpec in : spec.base().inputs()) {
            tensors.put(in.name(), new GpuTensor(in.channels(), height, width));
        }
        int maxFeatures = 0;
        for (LayerSpec l : spec.base().layers()) {
            tensors.put(l.name(), new GpuTensor(l.outChannels(), height >> l.scale(), width >> l.scale()));
            if (spec.isSelected(l.name())) {
                bits.put(l.name(), new StorageBuffer(new float[tiles]));
                maxFeatures = Math.max(maxFeatures, spec.features(l));
            }
        }
        gradients = new StorageBuffer(new float[2 * tiles]);
        features = new StorageBuffer(new float[tiles * maxFeatures]);
    }

    @Override
    public GpuTensor tensor(String name) {
        return tensors.get(name);
    }

    @Override
    public GpuTensor run() {
        steps().forEach(Runnable::run);
        return output();
    }

    @Override
    public GpuTensor output() {
        return tensors.get(spec.base().output());
    }

    /**
     * A mixed-width MAC here (one int per code, no packing) costs about this many FP32 ones on llvmpipe, for
     * {@link #steps(long)}.
     */
    static final double MAC_COST = 4;

    /**
     * The tile gradients first, then one step per layer; a conv's selector and quantization go with its first band.
     */
    @Override
    public List<Runnable> steps(long macsPerStep) {
        long own = macsPerStep == Long.MAX_VALUE ? macsPerStep : Math.max(1, (long) (macsPerStep / MAC_COST));
        List<Runnable> steps = new ArrayList<>();
        steps.add(() -> {
            lastBitMap = null;
            selector.gradients(tensors.get(NetworkSpec.INPUT_ALIASED), spec.tile(), gradients);
        });
        for (LayerSpec l : spec.base().layers()) {
            GpuTensor out = tensors.get(l.name());
            List<GpuTensor> in = new ArrayList<>();
            for (String name : l.inputs()) {
                in.add(tensors.get(name));
            }
            CadyqConvPass pass = passes.get(l.name());
            Runnable prepare = null;
            java.util.function.Consumer<RowBand> conv = null;
            if (pass != null && spec.isSelected(l.name())) {
                int t = spec.tile(l.scale());
                prepare = () -> {
                    selector.choose(in.get(0), t, gradients, selectors.get(l.name()), spec.candidates(),
                            bits.get(l.name()), features);
                    pass.quantize(in.get(0));
                };
                conv = band -> pass.conv(in.get(0), bits.get(l.name()), t, spec.tiles(width), out, null, band);
            } else if (pass != null) {
                prepare = () -> pass.quantize(in.get(0));
                conv = band -> pass.convFixed(in.get(0), out, band);
            }
            steps.addAll(ops.layerSteps(spec.base(), l, in, out, prepare, conv,
                    RowBand.forWork(out.height, out.width, l.weightCount(), own)));
        }
        return steps;
    }

    /** The last run's tile widths per selected conv (row-major on the tile grid), read back from the GPU. */
    public Map<String, int[]> bitMap() {
        if (lastBitMap != null) {
            return lastBitMap;
        }
        int tiles = spec.tiles(height) * spec.tiles(width);
        Map<String, int[]> out = new LinkedHashMap<>();
        bits.forEach((name, buf) -> {
            float[] raw = buf.read(tiles);
            int[] v = new int[tiles];
            for (int i = 0; i < tiles; i++) {
                v[i] = Float.floatToRawIntBits(raw[i]);
            }
            out.put(name, v);
        });
        lastBitMap = out;
        return out;
    }

    /** Per tile, the MAC-weighted mean width over the selected convs of the last run (tiles row-major). */
    public double[] meanBitsPerTile() {
        int tiles = spec.tiles(height) * spec.tiles(width);
        double[] sum = new double[tiles];
        double weight = 0;
        Map<String, int[]> map = bitMap();
        for (LayerSpec l : spec.selected()) {
            double macs = l.weightCount() * l.pixelFraction();
            int[] b = map.get(l.name());
            for (int t = 0; t < tiles; t++) {
                sum[t] += macs * b[t];
            }
            weight += macs;
        }
        for (int t = 0; t < tiles; t++) {
            sum[t] /= weight;
        }
        return sum;
    }

    /** Per tile, the last run's image gradient of I_a (mean |d/dx| + mean |d/dy| of its luma), row-major. */
    public double[] tileGradients() {
        int tiles = spec.tiles(height) * spec.tiles(width);
        float[] g = gradients.read(2 * tiles);
        double[] out = new double[tiles];
        for (int t = 0; t < tiles; t++) {
            out[t] = g[2 * t] + g[2 * t + 1];
        }
        return out;
    }

    /** Tiles across the allocated (padded) width and height. */
    public int tilesX() {
        return spec.tiles(width);
    }

    public int tilesY() {
        return spec.tiles(height);
    }

    @Override
    public BitOps.Frame cost() {
        return BitOps.frame(BitOps.convs(spec), bitMap(), height, width, spec.tile());
    }

    private void freeTensors() {
        tensors.values().forEach(GpuTensor::close);
        tensors.clear();
        bits.values().forEach(StorageBuffer::close);
        bits.clear();
        if (gradients != null) {
            gradients.close();
            features.close();
        }
        gradients = null;
        features = null;
        height = 0;
        width = 0;
        lastBitMap = null;
    }

    @Override
    public void close() {
        freeTensors();
        passes.values().forEach(CadyqConvPass::close);
        selectors.values().forEach(StorageBuffer::close);
        selector.close();
    }
}
