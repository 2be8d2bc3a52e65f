package org.reconview.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CadyqModelTest {
    /** A narrow QW-Net (8, 16, ... channels) keeps the plain-Java runs short; every code path is the same. */
    static final NetworkSpec NET = NetworkSpec.of(NetworkSpec.Kind.QWNET, 8, 8);
    static final CadyqSpec SPEC = CadyqSpec.of(NET, CadyqSpec.DEFAULT_CANDIDATES, 32);

    @Test
    void startsAsTheInt4QwNetItCameFrom() {
        Weights q = QuantizedTestData.weights(NET, 5);
        Weights c = CadyqInit.fromQwnet(q, SPEC, 4);
        c.validate(SPEC);
        Random rnd = new Random(9);
        Tensor ia = QuantizedTestData.image(rnd, 64, 64);
        Tensor iw = QuantizedTestData.image(rnd, 64, 64);
        QuantizedModel.Result expected = new QuantizedModel(NET, q).runAll(ia, iw);
        CadyqModel.Result actual = new CadyqModel(SPEC, c).runAll(ia, iw);
        assertEquals(SPEC.selected().size(), actual.bits().size());
        for (int[] b : actual.bits().values()) {
            for (int v : b) {
                assertEquals(4, v);
            }
        }
        for (LayerSpec l : NET.layers()) {
            if (l.op().isConv()) {
                assertArrayEquals(expected.accumulators().get(l.name()), actual.accumulators().get(l.name()),
                        l.name());
            }
        }
        assertArrayEquals(expected.floats().get(NET.output()).data, actual.floats().get(NET.output()).data);
    }

    @Test
    void mixedTilesHaveExactAccumulatorsAtTheirOwnWidths() {
        Weights c = CadyqTestData.mixed(SPEC, 6);
        Random img = new Random(3);
        Tensor ia = QuantizedTestData.image(img, 64, 96);
        Tensor iw = QuantizedTestData.image(img, 64, 96);
        CadyqModel model = new CadyqModel(SPEC, c);
        CadyqModel.Result r = model.runAll(ia, iw);
        assertEquals(2, r.tilesY());
        assertEquals(3, r.tilesX());
        TreeSet<Integer> seen = new TreeSet<>();
        int mixedConvs = 0;
        for (LayerSpec l : SPEC.selected()) {
            int[] bits = r.bits().get(l.name());
            TreeSet<Integer> here = new TreeSet<>();
            for (int b : bits) {
                here.add(b);
            }
            seen.addAll(here);
            mixedConvs += here.size() > 1 ? 1 : 0;
            checkTiles(c, l, r, bits);
        }
        assertEquals(new TreeSet<>(SPEC.candidates()), seen, "every width is chosen somewhere");
        assertTrue(mixedConvs >= 3, "convs with tiles of different widths: " + mixedConvs);
    }

    /**
     * Each tile of a selected conv: its accumulators equal the plain integer convolution of the input quantized
     * (everywhere, halo included) with the quantizer of the tile's width built from the thresholds directly, and the
     * output is ELU(alpha_b acc + c_b).
     */
    static void checkTiles(Weights w, LayerSpec l, CadyqModel.Result r, int[] bits) {
        int h = r.height() >> l.scale();
        int wd = r.width() >> l.scale();
        int t = SPEC.tile(l.scale());
        Tensor in = r.floats().get(l.inputs().get(0));
        int[] acc = r.accumulators().get(l.name());
        Tensor out = r.floats().get(l.name());
        String range = SPEC.inputRange(l);
        for (int b : SPEC.candidates()) {
            ActivationQuant q = ActivationQuant.fromThresholds(w.floats(CadyqSpec.threshold(range, b, "t_l"))[0],
                    w.floats(CadyqSpec.threshold(range, b, "t_u"))[0], b, Rounding.NEAREST_UP);
            int[] codes = new int[in.data.length];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = q.code(in.data[i]);
                assertTrue(codes[i] >= -(1 << (b - 1)) && codes[i] < (1 << (b - 1)));
            }
            QuantizedConv qc = QuantizedConv.of(l, w, q, null);
            int[] full = IntegerConv.accumulate(codes, l.inChannels(), h, wd, q.zeroPoint(), qc.weights().codes(),
                    l.outChannels(), l.op().kernelSize());
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < wd; x++) {
                    if (bits[(y / t) * r.tilesX() + x / t] != b) {
                        continue;
                    }
                    for (int o = 0; o < l.outChannels(); o++) {
                        int i = (o * h + y) * wd + x;
                        assertEquals(full[i], acc[i], l.name() + " at " + b + " bits, (" + o + "," + y + "," + x + ")");
                        float pre = qc.alpha()[o] * (float) full[i] + qc.c()[o];
                        float elu = pre > 0 ? pre : (float) Math.expm1(pre);
                        assertEquals(elu, out.data[i], 1e-6f * Math.max(1, Math.abs(elu)), l.name());
                    }
                }
            }
        }
    }

    @Test
    void accumulatorBoundHoldsAtTheWidestCandidate() {
        // QW-Net's widest conv input (dec3's concat, 160 + 128 channels), taken as 3x3 for a margin, 8-bit codes
        int widest = CadyqSpec.MAX_BITS;
        long bound = IntegerConv.accumulatorBound(NetworkSpec.qwnet().channels(4) + NetworkSpec.qwnet().channels(3),
                3, 4, widest);
        assertTrue(bound < Integer.MAX_VALUE, "bound " + bound);
        assertEquals(288L * 9 * 7 * 255, bound);
    }
}
