package org.reconview.io;

import org.junit.jupiter.api.Test;
import org.reconview.UserException;

import static org.junit.jupiter.api.Assertions.*;

class MotionConventionTest {
    /** A 2x1 two-channel image holding (x0, y0), (x1, y1). */
    private static FloatImage motion(float... v) {
        return new FloatImage(2, 1, 2, v.clone());
    }

    private static float[] convert(MotionConvention c, int w, int h, float... v) {
        FloatImage m = motion(v);
        c.toCanonical(m, w, h);
        return m.data;
    }

    @Test
    void canonicalIsIdentity() {
        assertArrayEquals(new float[] {1.5f, -2f, 0f, 3f},
                convert(MotionConvention.canonical(), 64, 32, 1.5f, -2f, 0f, 3f));
        assertTrue(MotionConvention.canonical().isCanonical());
    }

    @Test
    void ndc() {
        // 0.5 ndc of a 64-wide frame = 16 px; -0.25 ndc of 32 high = -4 px.
        MotionConvention c = new MotionConvention("current-to-previous", "ndc", "down", 1f);
        assertArrayEquals(new float[] {16f, -4f, -64f, 32f}, convert(c, 64, 32, 0.5f, -0.25f, -2f, 2f));
    }

    @Test
    void ndcWithYUp() {
        MotionConvention c = new MotionConvention("current-to-previous", "ndc", "up", 1f);
        assertArrayEquals(new float[] {16f, 4f, 0f, -8f}, convert(c, 64, 32, 0.5f, -0.25f, 0f, 0.5f));
    }

    @Test
    void uv() {
        MotionConvention c = new MotionConvention("current-to-previous", "uv", "down", 1f);
        assertArrayEquals(new float[] {6.4f, -3.2f, 64f, 0f}, convert(c, 64, 32, 0.1f, -0.1f, 1f, 0f), 1e-5f);
    }

    @Test
    void pixelsYUp() {
        MotionConvention c = new MotionConvention("current-to-previous", "pixels", "up", 1f);
        assertArrayEquals(new float[] {3f, -2f, -1f, 5f}, convert(c, 64, 32, 3f, 2f, -1f, -5f));
    }

    @Test
    void previousToCurrentIsNegated() {
        MotionConvention c = new MotionConvention("previous-to-current", "pixels", "down", 1f);
        assertArrayEquals(new float[] {-3f, 2f, 1f, -5f}, convert(c, 64, 32, 3f, -2f, -1f, 5f));
    }

    @Test
    void scaleAndEverythingTogether() {
        // uv, y up, previous-to-current, scale 0.5 on 100x50: x -> -0.5*100*x, y -> +0.5*50*y
        MotionConvention c = new MotionConvention("previous-to-current", "uv", "up", 0.5f);
        assertArrayEquals(new float[] {-1f, 0.5f, 10f, -25f}, convert(c, 100, 50, 0.02f, 0.02f, -0.2f, -1f), 1e-5f);
        MotionConvention s = new MotionConvention("current-to-previous", "pixels", "down", 2f);
        assertArrayEquals(new float[] {2f, -4f, 0f, 1f}, convert(s, 8, 8, 1f, -2f, 0f, 0.5f));
    }

    @Test
    void unknownStringsNameTheField() {
        UserException e = assertThrows(UserException.class,
                () -> new MotionConvention("current-to-previous", "foo", "down", 1f).validate("sequence.json"));
        assertEquals("sequence.json: motion.units 'foo' unknown (pixels, ndc, uv)", e.getMessage());
        e = assertThrows(UserException.class,
                () -> new MotionConvention("sideways", "pixels", "down", 1f).validate("x.json"));
        assertTrue(e.getMessage().startsWith("x.json: motion.direction 'sideways' unknown"), e.getMessage());
        e = assertThrows(UserException.class,
                () -> new MotionConvention("current-to-previous", "pixels", "left", 1f).validate("x.json"));
        assertTrue(e.getMessage().startsWith("x.json: motion.y 'left' unknown"), e.getMessage());
    }
}
