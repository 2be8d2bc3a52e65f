package org.reconview.nn.gl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.reconview.gl.StorageBuffer;
import org.reconview.nn.BatchNormFolding;
import org.reconview.nn.BitOps;
import org.reconview.nn.GoldenModel;
import org.reconview.nn.LayerSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Weights;

/**
 * A network from its {@link NetworkSpec} on the GPU, FP32: every layer becomes one {@link GpuOps} pass (a convolution
 * with its batch norm folded into the epilogue's scale and shift, its activation fused; concatenation by buffer
 * copies; softmax in place after the kernel-prediction convolution). Tensors are allocated once per size; the golden
 * model ({@link GoldenModel}) defines what every pass must compute.
 */
public final class GpuNetwork implements InferenceNetwork {
    private final NetworkSpec spec;
    private final GpuOps ops;
    private final Map<String, StorageBuffer> convWeights = new HashMap<>();
    private final Map<String, StorageBuffer> convEpilogues = new HashMap<>();
    private final Map<String, GpuTensor> tensors = new HashMap<>();
    private int height;
    private int width;

    public GpuNetwork(NetworkSpec spec, Weights weights, GpuOps ops) {
        this.spec = spec;
        this.ops = ops;
        for (LayerSpec l : spec.layers()) {
            if (!l.op().isConv()) {
                continue;
            }
            int out = l.outChannels();
            BatchNormFolding.Epilogue e = BatchNormFolding.Epilogue.of(l, weights);
            float[] epilogue = new float[3 * out];
            System.arraycopy(e.bias(), 0, epilogue, 0, out);
            System.arraycopy(e.scale(), 0, epilogue, out, out);
            System.arraycopy(e.shift(), 0, epilogue, 2 * out, out);
            convWeights.put(l.name(), GpuOps.weights(weights.floats(l.name() + ".weight"), out, l.inChannels(),
                    l.op().kernelSize()));
            convEpilogues.put(l.name(), new StorageBuffer(epilogue));
        }
    }

    @Override
    public NetworkSpec spec() {
        return spec;
    }

    @Override
    public String arithmetic() {
        return "FP32";
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
            tensors.put(in.name(), new GpuTensor(in.channels(), height, width));
        }
        for (LayerSpec l : spec.layers()) {
            tensors.put(l.name(), new GpuTensor(l.outChannels(), height >> l.scale(), width >> l.scale()));
        }
    }

    public GpuTensor tensor(String name) {
        return tensors.get(name);
    }

    @Override
    public GpuTensor output() {
        return tensors.get(spec.output());
    }

    @Override
    public BitOps.Frame cost() {
        return BitOps.fp32(spec, height, width);
    }

    /** Runs every layer on the current inputs ({@code i_a}, {@code i_w}); the result is {@link #output()}. */
    @Override
    public GpuTensor run() {
        steps().forEach(Runnable::run);
        return output();
    }

    @Override
    public List<Runnable> steps(long macsPerStep) {
        List<Runnable> steps = new ArrayList<>();
        for (LayerSpec l : spec.layers()) {
            GpuTensor out = tensors.get(l.name());
            List<GpuTensor> in = new ArrayList<>();
            for (String name : l.inputs()) {
                in.add(tensors.get(name));
            }
            steps.addAll(ops.layerSteps(spec, l, in, out, null,
                    band -> ops.conv(in.get(0), l.op().kernelSize(), convWeights.get(l.name()),
                            convEpilogues.get(l.name()), out, l.activation() == LayerSpec.Activation.ELU, band),
                    RowBand.forWork(out.height, out.width, l.weightCount(), macsPerStep)));
        }
        return steps;
    }

    private void freeTensors() {
        tensors.values().forEach(GpuTensor::close);
        tensors.clear();
    }

    @Override
    public void close() {
        freeTensors();
        convWeights.values().forEach(StorageBuffer::close);
        convEpilogues.values().forEach(StorageBuffer::close);
    }
}
