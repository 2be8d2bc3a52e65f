package org.reconview.scene;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SamplingTest {
    @Test
    void haltonMatchesKnownValues() {
        assertEquals(0.5, Halton.radicalInverse(1, 2), 0);
        assertEquals(0.25, Halton.radicalInverse(2, 2), 0);
        assertEquals(0.75, Halton.radicalInverse(3, 2), 0);
        assertEquals(1.0 / 3, Halton.radicalInverse(1, 3), 1e-15);
        assertEquals(2.0 / 3, Halton.radicalInverse(2, 3), 1e-15);
        assertEquals(1.0 / 9, Halton.radicalInverse(3, 3), 1e-15);
    }

    @Test
    void jitterIsCentredPeriodicAndSkipsTheCorner() {
        float[] j0 = Halton.jitter(0, 16);
        assertEquals(0.0f, j0[0], 0); // point 1 of Halton(2,3) is (1/2, 1/3)
        assertEquals((float) (1.0 / 3 - 0.5), j0[1], 1e-7);
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < 16; i++) {
            float[] j = Halton.jitter(i, 16);
            assertArrayEquals(j, Halton.jitter(i + 16, 16));
            assertTrue(Math.abs(j[0]) <= 0.5 && Math.abs(j[1]) <= 0.5);
            sx += j[0];
            sy += j[1];
        }
        // A full period covers the pixel evenly: the mean offset is near the centre.
        assertEquals(0, sx / 16, 0.05);
        assertEquals(0, sy / 16, 0.05);
        assertArrayEquals(Halton.jitter(3, 4), Halton.jitter(7, 4));
    }

    @Test
    void blackmanHarrisWindowAndItsInverseCdf() {
        assertEquals(1.0, ReferenceFilter.window(0), 1e-12);
        assertEquals(0.0, ReferenceFilter.window(ReferenceFilter.RADIUS), 0);
        assertEquals(ReferenceFilter.window(0.7), ReferenceFilter.window(-0.7), 1e-15);
        assertEquals(0, ReferenceFilter.cdf(-ReferenceFilter.RADIUS), 1e-12);
        assertEquals(1, ReferenceFilter.cdf(ReferenceFilter.RADIUS), 1e-12);
        assertEquals(0.5, ReferenceFilter.cdf(0), 1e-12);
        // The CDF is the integral of the window: compare with a midpoint sum.
        double sum = 0;
        double total = 0;
        int n = 200000;
        double dx = 2 * ReferenceFilter.RADIUS / n;
        for (int i = 0; i < n; i++) {
            double x = -ReferenceFilter.RADIUS + (i + 0.5) * dx;
            total += ReferenceFilter.window(x) * dx;
            if (x < 0.4) {
                sum += ReferenceFilter.window(x) * dx;
            }
        }
        assertEquals(sum / total, ReferenceFilter.cdf(0.4), 1e-4);
        for (double u = 0.01; u < 1; u += 0.07) {
            assertEquals(u, ReferenceFilter.cdf(ReferenceFilter.inverseCdf(u)), 1e-12);
        }
    }

    @Test
    void referenceOffsetsFollowTheWindow() {
        // Importance-sampled offsets: their spread matches the window's second moment, and they span past one pixel.
        int n = 4096;
        double m2 = 0;
        double maxAbs = 0;
        for (int i = 0; i < n; i++) {
            float[] o = ReferenceFilter.offset(i);
            m2 += o[0] * o[0];
            maxAbs = Math.max(maxAbs, Math.abs(o[0]));
        }
        double expected = 0;
        double norm = 0;
        for (double x = -1.5; x <= 1.5; x += 1e-4) {
            expected += x * x * ReferenceFilter.window(x);
            norm += ReferenceFilter.window(x);
        }
        assertEquals(expected / norm, m2 / n, 0.01);
        assertTrue(maxAbs > 0.75, "footprint wider than one pixel: " + maxAbs);
    }
}
