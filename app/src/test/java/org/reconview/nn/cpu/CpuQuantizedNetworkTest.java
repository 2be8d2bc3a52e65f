package org.reconview.nn.cpu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.QuantizedModel;
import org.reconview.nn.QuantizedTestData;
import org.reconview.nn.Tensor;
import org.reconview.nn.Weights;

/** The CPU backend's INT4 QW-Net is the golden quantized model bit for bit: codes, accumulators and floats. */
class CpuQuantizedNetworkTest {
    @Test
    void everyTensorEqualsTheGoldenModels() {
        for (int[] c : new int[][] {{32, 48, 11}, {16, 80, 12}}) {
            NetworkSpec spec = NetworkSpec.qwnet();
            Weights weights = QuantizedTestData.weights(spec, c[2]);
            Random rnd = new Random(c[2]);
            Tensor ia = QuantizedTestData.image(rnd, c[0], c[1]);
            Tensor iw = QuantizedTestData.image(rnd, c[0], c[1]);
            QuantizedModel.Result golden = new QuantizedModel(spec, weights).runAll(ia, iw);
            QuantizedModel.Result cpu = new CpuQuantizedNetwork(spec, weights).runAll(ia, iw);
            assertEquals(golden.accumulators().keySet(), cpu.accumulators().keySet());
            golden.accumulators().forEach((k, v) -> assertArrayEquals(v, cpu.accumulators().get(k), k));
            golden.codes().forEach((k, v) -> assertArrayEquals(v, cpu.codes().get(k), k));
            golden.floats().forEach((k, v) -> assertArrayEquals(v.data, cpu.floats().get(k).data, k));
        }
    }

    @Test
    void theEightBitInputConvIsExactOverTheWholeCodeRange() {
        NetworkSpec spec = NetworkSpec.qwnet();
        QuantizedModel model = new QuantizedModel(spec, QuantizedTestData.weights(spec, 3));
        var conv = model.convs().values().iterator().next();   // the 8-bit input conv
        CpuIntegerConv fast = new CpuIntegerConv(conv);
        Random rnd = new Random(3);
        int h = 8;
        int w = 16;
        int[] codes = new int[conv.inChannels() * h * w];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = conv.input().codeMin() + rnd.nextInt(conv.input().codeMax() - conv.input().codeMin() + 1);
        }
        assertArrayEquals(conv.accumulate(codes, h, w), fast.accumulate(codes, h, w));
    }

    @Test
    void outputCodesByThresholdsAreTheGoldenCodes() {
        NetworkSpec spec = NetworkSpec.qwnet();
        QuantizedModel model = new QuantizedModel(spec, QuantizedTestData.weights(spec, 4));
        int checked = 0;
        for (var conv : model.convs().values()) {
            if (conv.output() == null) {
                continue;
            }
            int h = 1;
            int w = 20001;
            int[] acc = new int[conv.outChannels() * h * w];
            for (int o = 0; o < conv.outChannels(); o++) {
                for (int x = 0; x < w; x++) {
                    acc[o * w + x] = x - w / 2;   // every accumulator in [-10000, 10000]
                }
                acc[o * w] = Integer.MIN_VALUE + 1;
                acc[o * w + w - 1] = Integer.MAX_VALUE - 1;
            }
            assertArrayEquals(conv.outputCodes(acc, h, w), new CpuIntegerConv(conv).outputCodes(acc, h, w),
                    conv.layer().name());
            checked++;
        }
        assertTrue(checked >= 8, "feature-extractor convs with code outputs: " + checked);
    }
}
