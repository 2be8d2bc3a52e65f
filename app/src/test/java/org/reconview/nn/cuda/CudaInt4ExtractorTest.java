package org.reconview.nn.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.reconview.nn.FloatOps;
import org.reconview.nn.LayerSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.QuantizedConv;
import org.reconview.nn.QuantizedModel;
import org.reconview.nn.QuantizedTestData;
import org.reconview.nn.Tensor;
import org.reconview.nn.gl.Int4Tensor;

/**
 * The tensor-core kernels of {@code kernels/int4_mma.cu}, planned and launched by {@link CudaInt4Extractor}, against
 * the golden {@link QuantizedModel} on random weights and inputs, run by the CPU emulator of the same kernel sources
 * for each MMA path: native s4 MMA (sm_75, sm_80) and 4-bit unpacked to s8 MMA (sm_90, and sm_75 where m16n8k32 is
 * four m8n8k16). Integer accumulators must equal the golden ones exactly (on the codes the kernels themselves fed the
 * layer, the concat of an upsampled tensor included), the fused max pools must equal the max of the conv's own codes
 * exactly, codes may differ by one level on under 0.1% (float epilogue: expf, division), kernel predictions to 1e-4
 * relative. Sizes are not multiples of the 16 x 8 block tile at the coarse scales, so the edges are covered; QW-Net-R
 * (24 + 24k channels) leaves k-steps of 32 channels part-filled and concats splitting inside a k-step.
 * The same checks run on an NVIDIA GPU in {@code CudaGpuTest}.
 */
class CudaInt4ExtractorTest {

    @ParameterizedTest(name = "{4} on emulated arch {0}, {1} path, {2}x{3}")
    @CsvSource({"750, S4, 32, 48, qwnet", "800, S4, 48, 16, qwnet", "900, S8, 32, 48, qwnet",
        "750, S8, 16, 32, qwnet", "890, S4, 16, 16, qwnet", "800, S4, 32, 32, qwnet-r", "900, S8, 16, 32, qwnet-r"})
    void matchesGolden(int arch, CudaInt4Extractor.Int4Path path, int height, int width, String variant) {
        try (CudaDevice device = EmulatedDevice.open(arch)) {
            Report r = check(device, NetworkSpec.byVariant(variant), path, height, width, 31 + arch);
            System.out.printf("CUDA INT4 %s (%s, %s) %dx%d: %d of %d codes off by one (epilogue), %d off the golden"
                    + " chain%n", variant, device.description(), path, width, height, r.offByOne, r.elements,
                    r.endToEndOff);
        }
    }

    record Report(long elements, long offByOne, long endToEndOff) {
    }

    /** Runs the extractor on the device and checks every layer against the golden model (used by CudaGpuTest too). */
    static Report check(CudaDevice device, CudaInt4Extractor.Int4Path path, int h, int w, long seed) {
        return check(device, NetworkSpec.qwnet(), path, h, w, seed);
    }

    /** The same for another width of QW-Net (QW-Net-R's 24-channel steps leave k-steps and concats part-filled). */
    static Report check(CudaDevice device, NetworkSpec spec, CudaInt4Extractor.Int4Path path, int h, int w,
                        long seed) {
        QuantizedModel model = new QuantizedModel(spec, QuantizedTestData.weights(spec, seed));
        Random rnd = new Random(seed);
        Tensor ia = QuantizedTestData.image(rnd, h, w);
        Tensor iw = QuantizedTestData.image(rnd, h, w);
        QuantizedModel.Result golden = model.runAll(ia, iw);
        long elements = 0;
        long offByOne = 0;
        long endToEndOff = 0;
        try (CudaInt4Extractor fe = new CudaInt4Extractor(model, device, path)) {
            fe.recordAccumulators(true);
            fe.allocate(h, w);
            long input = uploadInput(device, golden, h, w);
            fe.run(input, Map.of());
            device.synchronize();
            for (String n : fe.convs()) {
                LayerSpec l = spec.layer(n);
                QuantizedConv c = model.conv(n);
                int lh = h >> l.scale();
                int lw = w >> l.scale();
                int[] in = inputCodes(fe, golden, spec, l.inputs().get(0), h, w);
                int[] acc = fe.accumulators(n);
                assertArrayEquals(c.accumulate(in, lh, lw), acc, n + ": int32 accumulators");
                if (c.output() != null) {
                    int[] codes = fe.codes(n);
                    int[] expected = c.outputCodes(acc, lh, lw);
                    int[] chain = golden.codes().get(n);
                    for (int i = 0; i < expected.length; i++) {
                        assertTrue(Math.abs(expected[i] - codes[i]) <= 1, n + " code at " + i + ": " + codes[i]
                                + " vs " + expected[i]);
                        assertTrue(Math.abs(chain[i] - codes[i]) <= 1, n + " code at " + i + " vs golden chain");
                        offByOne += expected[i] != codes[i] ? 1 : 0;
                        endToEndOff += chain[i] != codes[i] ? 1 : 0;
                    }
                    elements += expected.length;
                } else {
                    Tensor expected = FloatOps.softmaxChannels(c.epilogue(acc, lh, lw));
                    float[] k = fe.floats(n);
                    for (int i = 0; i < k.length; i++) {
                        assertEquals(expected.data[i], k[i], 1e-4 * Math.max(1e-2, expected.data[i]),
                                n + " kernel weight " + i);
                    }
                }
            }
            for (LayerSpec l : spec.layers()) {
                if (l.op() == LayerSpec.Op.MAXPOOL2) {
                    LayerSpec src = spec.layer(l.inputs().get(0));
                    int sh = h >> src.scale();
                    int sw = w >> src.scale();
                    assertArrayEquals(QuantizedModel.maxPool2(fe.codes(src.name()), l.outChannels(), sh / 2, sw / 2),
                            fe.codes(l.name()), l.name() + ": fused max pool");
                }
            }
            device.free(input);
        }
        assertTrue(offByOne * 1000 < elements, offByOne + " of " + elements + " codes one level off");
        assertTrue(endToEndOff * 1000 < elements, endToEndOff + " of " + elements + " off the golden chain");
        return new Report(elements, offByOne, endToEndOff);
    }

    /** Uploads the golden run's 8-bit network input ({@code fe.input}) packed as the kernels read it; its address. */
    static long uploadInput(CudaDevice device, QuantizedModel.Result golden, int h, int w) {
        int[] words = Int4Tensor.pack(golden.codes().get("fe.input"), NetworkSpec.INPUT_CHANNELS, h, w, 8);
        ByteBuffer b = ByteBuffer.allocateDirect(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(words);
        long input = device.alloc(b.capacity());
        device.upload(input, b);
        return input;
    }

    /** The codes a conv read: the input itself, a stored tensor, or a decoder concat rebuilt from the stored parts. */
    static int[] inputCodes(CudaInt4Extractor fe, QuantizedModel.Result golden, NetworkSpec spec, String tensor, int h,
                            int w) {
        if (tensor.equals("fe.input")) {
            return golden.codes().get(tensor);
        }
        LayerSpec l = spec.layer(tensor);
        if (l.op() != LayerSpec.Op.CONCAT) {
            return fe.codes(tensor);
        }
        int[] a = materialized(fe, spec, l.inputs().get(0), h, w);
        int[] b = fe.codes(l.inputs().get(1));
        int[] ab = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, ab, a.length, b.length);
        return ab;
    }

    private static int[] materialized(CudaInt4Extractor fe, NetworkSpec spec, String tensor, int h, int w) {
        LayerSpec l = spec.layer(tensor);
        if (l.op() != LayerSpec.Op.UPSAMPLE_NEAREST2) {
            return fe.codes(tensor);
        }
        return QuantizedModel.upsampleNearest2(fe.codes(l.inputs().get(0)), l.outChannels(), h >> l.scale(),
                w >> l.scale());
    }
}
