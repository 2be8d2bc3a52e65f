package org.reconview.nn.gl;

import org.reconview.nn.BitOps;
import org.reconview.nn.CadyqModel;
import org.reconview.nn.CadyqSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Tensor;
import org.reconview.nn.Weights;

/**
 * CADyQ QW-Net behind the GPU reconstructor's interface, computed by the integer golden model on the CPU
 * ({@link CadyqModel}): the inputs are read back from their GPU tensors, the output uploaded. The GLSL path is
 * checked against this model; until it exists this is how {@code qwnet-cadyq} runs (slowly: it is plain Java). Each
 * run keeps its frame's accounting ({@link #lastFrame}).
 */
public final class CpuCadyqNetwork implements InferenceNetwork {
    private final CadyqSpec spec;
    private final CadyqModel model;
    private GpuTensor aliased;
    private GpuTensor warped;
    private GpuTensor output;
    private CadyqModel.Result last;

    public CpuCadyqNetwork(CadyqSpec spec, Weights weights) {
        this.spec = spec;
        this.model = new CadyqModel(spec, weights);
    }

    @Override
    public NetworkSpec spec() {
        return spec.base();
    }

    public CadyqSpec cadyqSpec() {
        return spec;
    }

    @Override
    public String arithmetic() {
        return "CADyQ " + String.join("/", spec.candidates().stream().map(String::valueOf).toList())
                + "-bit feature extractor (CPU integer model), FP32 filter network";
    }

    @Override
    public int padMultiple() {
        return spec.tile();
    }

    @Override
    public void allocate(int paddedHeight, int paddedWidth) {
        if (aliased != null && aliased.height == paddedHeight && aliased.width == paddedWidth) {
            return;
        }
        closeTensors();
        aliased = new GpuTensor(3, paddedHeight, paddedWidth);
        warped = new GpuTensor(3, paddedHeight, paddedWidth);
        output = new GpuTensor(3, paddedHeight, paddedWidth);
    }

    @Override
    public GpuTensor tensor(String name) {
        return switch (name) {
            case NetworkSpec.INPUT_ALIASED -> aliased;
            case NetworkSpec.INPUT_WARPED -> warped;
            default -> throw new IllegalArgumentException("the CPU CADyQ network exposes only its inputs, not " + name);
        };
    }

    @Override
    public GpuTensor run() {
        last = model.runAll(aliased.download(), warped.download());
        Tensor y = last.floats().get(spec.base().output());
        output.upload(y.data);
        return output;
    }

    /** The last frame's BitOPs and average bits (at the padded size), or null before the first run. */
    @Override
    public BitOps.Frame cost() {
        return last == null ? null : BitOps.frame(BitOps.convs(spec), last.bits(), last.height(), last.width(),
                spec.tile());
    }

    /** The last frame's per-tile widths of every selected conv (row-major on the tile grid), or null. */
    public CadyqModel.Result lastResult() {
        return last;
    }

    private void closeTensors() {
        for (GpuTensor t : new GpuTensor[] {aliased, warped, output}) {
            if (t != null) {
                t.close();
            }
        }
        aliased = null;
        warped = null;
        output = null;
    }

    @Override
    public void close() {
        closeTensors();
    }
}
