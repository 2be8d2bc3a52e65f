package org.reconview.metrics;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.reconview.io.FloatImage;

/** Stacking lines, the viewer's bounded profile (newest kept, arrays reused) and the tail its panel shows. */
class TemporalProfileTest {
    private static float[] line(int frame, int length) {
        float[] l = new float[length * 4];
        for (int x = 0; x < length; x++) {
            l[4 * x] = frame + x / 100f;
            l[4 * x + 3] = 1;
        }
        return l;
    }

    @Test
    void anUnboundedProfileKeepsEveryLineInOrder() {
        TemporalProfile p = new TemporalProfile(TemporalProfile.Axis.ROW, 0);
        for (int k = 0; k < 5; k++) {
            p.append(line(k, 3));
        }
        FloatImage img = p.image();
        assertEquals(3, img.width);
        assertEquals(5, img.height);
        for (int k = 0; k < 5; k++) {
            assertEquals(k + 0.02f, img.data[(k * 3 + 2) * 4], 1e-6f);
        }
    }

    @Test
    void aBoundedProfileKeepsTheNewestAndItsTailPadsTheTop() {
        TemporalProfile p = new TemporalProfile(TemporalProfile.Axis.ROW, 0, 4);
        float[] reused = line(99, 2);
        for (int k = 0; k < 10; k++) {
            p.append(line(k, 2));
        }
        assertEquals(4, p.frames());
        assertEquals(10, p.appended());
        FloatImage img = p.image();
        assertEquals(4, img.height);
        for (int r = 0; r < 4; r++) {
            assertEquals(6 + r, img.data[r * 2 * 4], 1e-6f, "row " + r);
        }
        FloatImage tail = p.tail(6);
        assertEquals(6, tail.height);
        assertEquals(0f, tail.data[0]);
        assertEquals(0f, tail.data[2 * 2 * 4 - 4]);
        assertEquals(6f, tail.data[2 * 2 * 4], 1e-6f);
        assertEquals(9f, tail.data[5 * 2 * 4], 1e-6f);
        assertEquals(9.01f, p.tail(2).data[1 * 2 * 4 + 4], 1e-6f);
        // The caller's array is copied, not kept.
        p.append(reused);
        reused[0] = -1;
        assertEquals(99f, p.tail(1).data[0], 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> p.append(line(1, 3)));
    }
}
