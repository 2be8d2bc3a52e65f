package org.reconview.io;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class FloatImageTest {
    @Test
    void layoutIsInterleavedRowMajor() {
        FloatImage img = new FloatImage(3, 2, 2);
        img.set(2, 1, 1, 7f);
        assertEquals(7f, img.data[(1 * 3 + 2) * 2 + 1]);
        assertEquals(7f, img.get(2, 1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> img.get(3, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new FloatImage(2, 2, 1, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> new FloatImage(0, 2, 1));
    }

    @Test
    void copyIsDeep() {
        FloatImage img = new FloatImage(2, 2, 1);
        FloatImage c = img.copy();
        c.set(0, 0, 0, 1f);
        assertEquals(0f, img.get(0, 0, 0));
    }

    @Test
    void nonFiniteValues() {
        FloatImage img = new FloatImage(2, 2, 2);
        img.data[1] = Float.NaN;
        img.data[4] = Float.POSITIVE_INFINITY;
        img.data[7] = Float.NEGATIVE_INFINITY;
        img.data[3] = 5f;
        assertEquals(3, img.countNonFinite());
        assertEquals(3, img.replaceNonFinite(0f));
        assertEquals(0, img.countNonFinite());
        assertEquals(5f, img.data[3]);
        assertEquals(0f, img.data[1]);
    }
}
