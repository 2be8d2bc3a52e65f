package org.reconview.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class BitsVsContentTest {
    @Test
    void quartersByGradientOverTheMeasuredFrames() {
        BitsVsContent b = new BitsVsContent();
        b.add(0, new double[] {9, 9, 9, 9}, new double[] {2, 2, 2, 2}); // a warm-up frame, left out below
        // tiles across two frames, gradients 1..8 shuffled; widths rise with the gradient
        b.add(1, new double[] {5, 1, 8, 3}, new double[] {4, 2, 8, 4});
        b.add(2, new double[] {2, 7, 4, 6}, new double[] {2, 8, 4, 4});
        BitsVsContent.Result r = b.result(1);
        assertEquals(8, r.tiles());
        assertEquals(8.0, r.topQuarterBits(), 0, "gradients 8 and 7: 8 and 8 bits");
        assertEquals(2.0, r.bottomQuarterBits(), 0, "gradients 1 and 2: 2 and 2 bits");
        assertEquals(6.0, r.difference(), 0);
        BitsVsContent.Result all = b.result(0);
        assertEquals(12, all.tiles());
        assertEquals((2 + 2 + 2) / 3.0, all.topQuarterBits(), 1e-12, "the warm-up frame's gradient-9 tiles");
        assertNull(new BitsVsContent().result(0));
    }
}
