package org.reconview.nn.gl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;
import org.reconview.nn.LayerSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.QuantizedConv;
import org.reconview.nn.QuantizedModel;
import org.reconview.nn.QuantizedTestData;
import org.reconview.nn.Tensor;
import org.reconview.nn.Weights;

/**
 * QW-Net's INT4 feature extractor in GLSL ({@link Int4Network}) against the golden {@link QuantizedModel}, layer by
 * layer on random weights and inputs: integer accumulators equal exactly (on the codes the GPU itself fed the layer),
 * feature-map codes equal except one level on under 0.1% of elements (float epilogue: ELU, division), kernel
 * predictions to 1e-4 relative, the final image to 1e-3 in PQ.
 */
class Int4NetworkTest {
    static GpuOps ops;

    @BeforeAll
    static void gl() {
        GlTest.context();
        ops = new GpuOps();
    }

    @AfterAll
    static void close() {
        GlTest.context();
        ops.close();
    }

    @Test
    void packingRoundTrips() {
        Random rnd = new Random(4);
        for (int bits : new int[] {4, 8}) {
            int c = 16;
            int[] codes = new int[c * 3 * 5];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = rnd.nextInt(1 << bits) - (1 << (bits - 1));
            }
            assertArrayEquals(codes, Int4Tensor.unpack(Int4Tensor.pack(codes, c, 3, 5, bits), c, 3, 5, bits));
            try (Int4Tensor t = new Int4Tensor(c, 3, 5, bits)) {
                t.upload(codes);
                assertArrayEquals(codes, t.downloadCodes(), bits + "-bit through the GPU");
            }
        }
        // Lane order: channel 8g + i in bits 4i.., two's complement.
        int[] one = new int[16];
        one[1] = -1;
        one[9] = 3;
        assertArrayEquals(new int[] {0xF0, 0x30}, Int4Tensor.pack(one, 16, 1, 1, 4));
    }

    @Test
    void matchesGoldenAt64x64() {
        check(64, 64, 21);
    }

    @Test
    void matchesGoldenAt48x32() {
        check(32, 48, 22);
    }

    /** The SSBO-input variant of the integer conv, used for tensors over GL_MAX_TEXTURE_BUFFER_SIZE. */
    @Test
    void matchesGoldenWithSsboInput() {
        check(32, 16, 23, true);
    }

    static void check(int h, int w, long seed) {
        check(h, w, seed, false);
    }

    static void check(int h, int w, long seed, boolean ssboInput) {
        NetworkSpec spec = NetworkSpec.qwnet();
        Weights weights = QuantizedTestData.weights(spec, seed);
        QuantizedModel model = new QuantizedModel(spec, weights);
        Random rnd = new Random(seed);
        Tensor ia = QuantizedTestData.image(rnd, h, w);
        Tensor iw = QuantizedTestData.image(rnd, h, w);
        QuantizedModel.Result golden = model.runAll(ia, iw);
        long elements = 0;
        long offByOne = 0;
        long endToEndOff = 0;
        try (Int4Network net = new Int4Network(model, ops)) {
            net.recordAccumulators(true);
            net.forceSsboInput(ssboInput);
            net.allocate(h, w);
            net.tensor(NetworkSpec.INPUT_ALIASED).upload(ia.data);
            net.tensor(NetworkSpec.INPUT_WARPED).upload(iw.data);
            net.run();
            for (LayerSpec l : spec.layers()) {
                String n = l.name();
                int lh = h >> l.scale();
                int lw = w >> l.scale();
                Int4Tensor gpuCodes = net.codes(n);
                int[] codes = gpuCodes == null ? null : gpuCodes.downloadCodes();
                if (codes != null) {
                    // End to end against the golden chain: one level at most, rarely.
                    int[] g = golden.codes().get(n);
                    assertEquals(g.length, codes.length, n);
                    for (int i = 0; i < g.length; i++) {
                        assertTrue(Math.abs(g[i] - codes[i]) <= 1, n + " at " + i + ": " + codes[i] + " vs golden "
                                + g[i]);
                        endToEndOff += g[i] != codes[i] ? 1 : 0;
                    }
                }
                if (l.op().isConv()) {
                    QuantizedConv c = model.conv(n);
                    int[] in = net.codes(l.inputs().get(0)).downloadCodes();
                    int[] acc = net.accumulators(n);
                    assertArrayEquals(c.accumulate(in, lh, lw), acc, n + ": int32 accumulators");
                    if (codes != null) {
                        int[] expected = c.outputCodes(acc, lh, lw);
                        for (int i = 0; i < expected.length; i++) {
                            assertTrue(Math.abs(expected[i] - codes[i]) <= 1, n + " code at " + i);
                            offByOne += expected[i] != codes[i] ? 1 : 0;
                        }
                        elements += expected.length;
                    } else {
                        Tensor expected = c.epilogue(acc, lh, lw);
                        org.reconview.nn.FloatOps.softmaxChannels(expected);
                        Tensor k = net.tensor(n).download();
                        for (int i = 0; i < k.data.length; i++) {
                            assertEquals(expected.data[i], k.data[i], 1e-4 * Math.max(1e-2, expected.data[i]),
                                    n + " kernel weight " + i);
                        }
                    }
                } else if (l.op() == LayerSpec.Op.MAXPOOL2 || l.op() == LayerSpec.Op.UPSAMPLE_NEAREST2) {
                    int[] in = net.codes(l.inputs().get(0)).downloadCodes();
                    boolean pool = l.op() == LayerSpec.Op.MAXPOOL2;
                    int ih = pool ? 2 * lh : lh / 2;
                    int iw2 = pool ? 2 * lw : lw / 2;
                    for (int ch = 0; ch < l.outChannels(); ch++) {
                        for (int y = 0; y < lh; y++) {
                            for (int x = 0; x < lw; x++) {
                                int e;
                                if (pool) {
                                    int b = (ch * ih + 2 * y) * iw2 + 2 * x;
                                    e = Math.max(Math.max(in[b], in[b + 1]), Math.max(in[b + iw2], in[b + iw2 + 1]));
                                } else {
                                    e = in[(ch * ih + y / 2) * iw2 + x / 2];
                                }
                                assertEquals(e, codes[(ch * lh + y) * lw + x], n);
                            }
                        }
                    }
                } else if (l.op() == LayerSpec.Op.CONCAT && codes != null && net.codes(l.inputs().get(0)) != null) {
                    int[] a = net.codes(l.inputs().get(0)).downloadCodes();
                    int[] b = net.codes(l.inputs().get(1)).downloadCodes();
                    int[] ab = Arrays.copyOf(a, a.length + b.length);
                    System.arraycopy(b, 0, ab, a.length, b.length);
                    assertArrayEquals(ab, codes, n);
                }
            }
            assertTrue(offByOne * 1000 < elements, offByOne + " of " + elements + " codes one level off");
            assertTrue(endToEndOff * 1000 < elements, endToEndOff + " of " + elements
                    + " codes one level off the golden chain");
            Tensor out = net.output().download();
            Tensor g = golden.floats().get(spec.output());
            double worst = 0;
            for (int i = 0; i < g.data.length; i++) {
                worst = Math.max(worst, Math.abs(g.data[i] - out.data[i]));
            }
            System.out.printf("INT4 %dx%d: %d of %d codes off by one (epilogue), %d off the golden chain, output"
                    + " max |diff| %.2e%n", w, h, offByOne, elements, endToEndOff, worst);
            assertTrue(worst < 1e-3, "output max |diff| " + worst + " in PQ");
        }
    }
}
