package org.reconview.nn.cpu;

import java.util.HashMap;
import java.util.Map;
import org.reconview.nn.BatchNormFolding;
import org.reconview.nn.FloatOps;
import org.reconview.nn.GoldenModel;
import org.reconview.nn.LayerSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Tensor;
import org.reconview.nn.Weights;

/**
 * A network in FP32 on the CPU: {@link GoldenModel}'s walk over the layers, its convolutions through {@link SimdConv}
 * (batch norm folded into the epilogue as on the GPU, ELU fused), its kernel filters through {@link CpuFilter}, softmax
 * and the other weightless layers through the golden code. The same inputs and outputs as {@link GoldenModel}, to
 * 1e-4. One thread at a time (it keeps buffers between runs); its layers themselves use every core.
 */
public final class CpuNetwork {
    private final NetworkSpec spec;
    private final Map<String, SimdConv> convs = new HashMap<>();
    private Map<String, Tensor> last = Map.of();

    public CpuNetwork(NetworkSpec spec, Weights weights) {
        this.spec = spec;
        for (LayerSpec l : spec.layers()) {
            if (!l.op().isConv()) {
                continue;
            }
            BatchNormFolding.Epilogue e = BatchNormFolding.Epilogue.of(l, weights);
            convs.put(l.name(), new SimdConv(l.op().kernelSize(), l.inChannels(), l.outChannels(),
                    weights.floats(l.name() + ".weight"), e.bias(), e.scale(), e.shift(),
                    l.activation() == LayerSpec.Activation.ELU));
        }
    }

    /**
     * Runs the network; returns every tensor by name (the output is {@code spec.output()}). The convolutions' tensors
     * are reused by the next run at the same size (fresh memory for them each frame cost 10-25% of the time), so a
     * caller that keeps results across runs copies them.
     */
    public Map<String, Tensor> runAll(Tensor aliased, Tensor warped) {
        GoldenModel.requirePadded(aliased.height, aliased.width);
        Map<String, Tensor> t = new HashMap<>();
        t.put(NetworkSpec.INPUT_ALIASED, aliased);
        t.put(NetworkSpec.INPUT_WARPED, warped);
        for (LayerSpec l : spec.layers()) {
            java.util.List<Tensor> in = GoldenModel.inputs(l, t);
            Tensor out;
            if (l.op().isConv()) {
                Tensor x = in.get(0);
                Tensor kept = last.get(l.name());
                out = kept != null && kept.height == x.height && kept.width == x.width
                        ? convs.get(l.name()).apply(x, kept) : convs.get(l.name()).apply(x);
                if (l.activation() == LayerSpec.Activation.SOFTMAX) {
                    out = FloatOps.softmaxChannels(out);
                }
            } else if (l.op() == LayerSpec.Op.KERNEL_FILTER) {
                out = GoldenModel.kernelFilter(spec.filterKind(l), in, CpuFilter::filter3x3);
            } else {
                out = GoldenModel.weightless(spec, l, in);
            }
            t.put(l.name(), out);
        }
        last = t;
        return t;
    }

    public Tensor run(Tensor aliased, Tensor warped) {
        return runAll(aliased, warped).get(spec.output());
    }
}
