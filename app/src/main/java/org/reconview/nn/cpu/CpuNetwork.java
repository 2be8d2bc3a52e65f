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
 * (batch norm folded into the epilogue as on the GPU, ELU fused; softmax and the weightless layers through the golden
 * code). The same inputs and outputs as {@link GoldenModel}, to 1e-4.
 */
public final class CpuNetwork {
    private final NetworkSpec spec;
    private final Map<String, SimdConv> convs = new HashMap<>();

    public CpuNetwork(NetworkSpec spec, Weights weights) {
        this.spec = spec;
        for (LayerSpec l : spec.layers()) {
            if (!l.op().isConv()) {
                continue;
            }
            float[] bias = l.bias() ? weights.floats(l.name() + ".bias") : null;
            float[] scale = null;
            float[] shift = null;
            if (l.batchNorm()) {
                String bn = l.name() + ".bn.";
                scale = BatchNormFolding.lambda(weights.floats(bn + "gamma"), weights.floats(bn + "var"),
                        NetworkSpec.BN_EPSILON);
                shift = BatchNormFolding.offset(weights.floats(bn + "beta"), weights.floats(bn + "mean"), scale);
            }
            convs.put(l.name(), new SimdConv(l.op().kernelSize(), l.inChannels(), l.outChannels(),
                    weights.floats(l.name() + ".weight"), bias, scale, shift,
                    l.activation() == LayerSpec.Activation.ELU));
        }
    }

    public NetworkSpec spec() {
        return spec;
    }

    /** Runs the network; returns every tensor by name (the output is {@code spec.output()}). */
    public Map<String, Tensor> runAll(Tensor aliased, Tensor warped) {
        GoldenModel.requirePadded(aliased.height, aliased.width);
        Map<String, Tensor> t = new HashMap<>();
        t.put(NetworkSpec.INPUT_ALIASED, aliased);
        t.put(NetworkSpec.INPUT_WARPED, warped);
        for (LayerSpec l : spec.layers()) {
            java.util.List<Tensor> in = GoldenModel.inputs(l, t);
            Tensor out;
            if (l.op().isConv()) {
                out = convs.get(l.name()).apply(in.get(0));
                if (l.activation() == LayerSpec.Activation.SOFTMAX) {
                    out = FloatOps.softmaxChannels(out);
                }
            } else {
                out = GoldenModel.weightless(spec, l, in);
            }
            t.put(l.name(), out);
        }
        return t;
    }

    public Tensor run(Tensor aliased, Tensor warped) {
        return runAll(aliased, warped).get(spec.output());
    }
}
