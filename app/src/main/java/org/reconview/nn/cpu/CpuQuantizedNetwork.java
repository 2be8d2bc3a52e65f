package org.reconview.nn.cpu;

import java.util.HashMap;
import java.util.Map;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.QuantizedConv;
import org.reconview.nn.QuantizedModel;
import org.reconview.nn.Tensor;
import org.reconview.nn.Weights;

/**
 * QW-Net with its integer feature extractor on the CPU: {@link QuantizedModel}'s walk and epilogues, its conv
 * accumulators and output codes through {@link CpuIntegerConv} and its kernel filters through {@link CpuFilter}, all
 * exact, so every
 * code, accumulator and float of a run is the golden model's bit for bit.
 */
public final class CpuQuantizedNetwork {
    private final QuantizedModel model;
    private final Map<String, CpuIntegerConv> convs = new HashMap<>();

    public CpuQuantizedNetwork(NetworkSpec spec, Weights weights) {
        model = new QuantizedModel(spec, weights);
        model.convs().forEach((name, c) -> convs.put(name, new CpuIntegerConv(c)));
    }

    public QuantizedModel.Result runAll(Tensor aliased, Tensor warped) {
        return model.runAll(aliased, warped, new QuantizedModel.ConvArithmetic() {
            @Override
            public int[] accumulate(QuantizedConv conv, int[] codes, int height, int width) {
                return convs.get(conv.layer().name()).accumulate(codes, height, width);
            }

            @Override
            public int[] outputCodes(QuantizedConv conv, int[] acc, int height, int width) {
                return convs.get(conv.layer().name()).outputCodes(acc, height, width);
            }
        }, CpuFilter::filter3x3);
    }

    public Tensor run(Tensor aliased, Tensor warped) {
        return runAll(aliased, warped).floats().get(model.spec().output());
    }
}
