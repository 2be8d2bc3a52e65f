package org.reconview.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BitOpsTest {

    /**
     * By hand, a 64x64 frame in 32x32 tiles (4 tiles): A, 3x3, 2 -> 4 channels at scale 0, 4-bit weights, fixed
     * 8-bit input: 4096 outputs x 72 MACs x 4 x 8 = 9 437 184. B, 1x1, 4 -> 4 at scale 1, selected, widths 2, 4, 8, 2:
     * 256 outputs per tile x 16 MACs = 4 096 MACs a tile, x 4 x (2 + 4 + 8 + 2) = 262 144. C, 3x3, 4 -> 4 at scale 2,
     * selected, all 8: 64 outputs a tile x 144 = 9 216 MACs a tile, x 4 x 32 = 1 179 648. Total 10 878 976.
     * MAC-weighted bits (4 096 x 16 + 9 216 x 32) / (4 x 4 096 + 4 x 9 216) = 360 448 / 53 248 = 6.7692...;
     * plain (16 + 32) / 8 = 6.
     */
    @Test
    void aTinyNetworkByHand() {
        List<BitOps.Conv> convs = List.of(
                new BitOps.Conv("A", 72, 0, 4, 8, false),
                new BitOps.Conv("B", 16, 1, 4, 4, true),
                new BitOps.Conv("C", 144, 2, 4, 4, true));
        BitOps.Frame f = BitOps.frame(convs, Map.of("B", new int[] {2, 4, 8, 2}, "C", new int[] {8, 8, 8, 8}), 64, 64,
                32);
        assertEquals(10_878_976.0, f.bitops(), 1e-6);
        assertEquals(360_448.0 / 53_248.0, f.avgBits(), 1e-12);
        assertEquals(6.0, f.avgBitsPlain(), 1e-12);
        assertEquals(Map.of(2, 2, 4, 1, 8, 1), f.tiles().get("B"));
        assertEquals(Map.of(8, 4), f.tiles().get("C"));
        assertThrows(IllegalArgumentException.class, () -> BitOps.frame(convs, Map.of("B", new int[] {2, 4, 8, 2}),
                64, 64, 32), "C has no widths");
        assertThrows(IllegalArgumentException.class, () -> BitOps.frame(convs, Map.of(), 48, 64, 32));
    }

    /**
     * QW-Net at fixed widths, per pixel: input conv 2 304 MACs x 8 x 8 = 147 456; the 4-bit convs 37 332 + 33 472 =
     * 70 804 MACs x 4 x 4 = 1 132 864; kernel prediction 1 357.625 MACs x 8 (weights) x 4 (decoder codes) =
     * 43 444. Total 1 323 764 BitOPs per pixel; the selectable convs average 4 bits both ways.
     */
    @Test
    void fixedQwNetPerPixelByHand() {
        assertEquals(1_323_764.0, BitOps.perPixel(BitOps.convs(NetworkSpec.qwnet())), 1e-6);
        BitOps.Frame f = BitOps.fixed(NetworkSpec.qwnet(), 32, 64);
        assertEquals(1_323_764.0 * 32 * 64, f.bitops(), 1e-3);
        assertEquals(4.0, f.avgBits(), 0);
        assertEquals(4.0, f.avgBitsPlain(), 0);
    }

    @Test
    void theUNetIsThirtyTwoByThirtyTwoBits() {
        // every conv FP32: (2 304 + 70 804 + 96 output layer) MACs x 32 x 32
        assertEquals((2_304.0 + 70_804 + 96) * 1024, BitOps.perPixel(BitOps.convs(NetworkSpec.unet())), 1e-6);
    }

    @Test
    void cadyqAtFourBitsEverywhereCostsWhatInt4Costs() {
        CadyqSpec s = CadyqSpec.qwnet();
        java.util.Map<String, int[]> bits = new java.util.HashMap<>();
        for (LayerSpec l : s.selected()) {
            bits.put(l.name(), new int[] {4, 4, 4, 4, 4, 4});
        }
        BitOps.Frame f = BitOps.frame(BitOps.convs(s), bits, 64, 96, 32);
        assertEquals(BitOps.fixed(NetworkSpec.qwnet(), 64, 96).bitops(), f.bitops(), 1e-3);
        assertEquals(4.0, f.avgBits(), 1e-12);
    }
}
