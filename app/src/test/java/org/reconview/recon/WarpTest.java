package org.reconview.recon;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.reconview.io.FloatImage;

class WarpTest {
    @Test
    void integerShiftMovesPixelsAndMarksOutsideInvalid() {
        FloatImage prev = new FloatImage(5, 4, 1);
        for (int i = 0; i < prev.data.length; i++) {
            prev.data[i] = i;
        }
        FloatImage motion = new FloatImage(5, 4, 2);
        for (int i = 0; i < 20; i++) {
            motion.data[2 * i] = 2;   // the surface was 2 px to the right...
            motion.data[2 * i + 1] = -1; // ...and 1 px up in the previous frame
        }
        boolean[] valid = new boolean[20];
        FloatImage out = Warp.backward(prev, motion, valid);
        assertEquals(prev.get(3, 0, 0), out.get(1, 1, 0));
        assertEquals(prev.get(4, 2, 0), out.get(2, 3, 0));
        assertFalse(valid[0], "row 0 samples row -1");
        assertFalse(valid[1 * 5 + 4], "x=4 samples x=6");
        assertTrue(valid[1 * 5 + 2]);
    }

    @Test
    void fractionalShiftInterpolatesBilinearly() {
        FloatImage prev = new FloatImage(3, 3, 1);
        prev.set(1, 1, 0, 1f);
        FloatImage motion = new FloatImage(3, 3, 2);
        motion.set(1, 1, 0, 0.25f);
        motion.set(1, 1, 1, 0.5f);
        FloatImage out = Warp.backward(prev, motion, null);
        assertEquals(0.75 * 0.5, out.get(1, 1, 0), 1e-7);
    }
}
