package org.reconview.ui;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-frame arrays stay bounded (newest kept, in order) while the means cover every frame since the reset. */
class MetricHistoryTest {
    @Test
    void boundedArraysAndMeansOverEverything() {
        MetricHistory h = new MetricHistory();
        int n = MetricHistory.CAPACITY + 1000;
        for (int i = 0; i < n; i++) {
            h.add(i, Map.of("psnr", (double) i, "ssim", 0.5, "temporal_error", i % 2 == 0 ? 0.01 : Double.NaN),
                    Double.NaN, Double.NaN);
        }
        assertTrue(h.count <= MetricHistory.CAPACITY, "count " + h.count);
        assertEquals(n - 1, h.frame[h.count - 1]);
        assertEquals(n - h.count, h.frame[0]);
        for (int i = 1; i < h.count; i++) {
            assertEquals(h.frame[i - 1] + 1, h.frame[i], "in order at " + i);
            assertEquals(h.frame[i], h.series("psnr")[i], "values move with their frames at " + i);
        }
        assertEquals((n - 1) / 2.0, h.mean("psnr"), 1e-9, "the mean covers every frame, dropped ones too");
        assertEquals(0.01, h.mean("temporal_error"), 1e-12, "NaN frames left out of the mean");
        assertTrue(Double.isNaN(h.lastBits()), "no bits for a method that is not a network");
        h.clear();
        assertTrue(Double.isNaN(h.mean("psnr")));
        assertNull(h.series("psnr"));
    }

    @Test
    void aMetricSwitchedOnLaterStartsWithGaps() {
        MetricHistory h = new MetricHistory();
        h.add(0, Map.of("psnr", 30.0), 4, 10);
        h.add(1, Map.of("psnr", 31.0, "ldr_flip", 0.2), 3, 8);
        assertTrue(Double.isNaN(h.series("ldr_flip")[0]), "no value before it was measured");
        assertEquals(0.2, h.last("ldr_flip"), 0);
        assertEquals(0.2, h.mean("ldr_flip"), 0);
        assertEquals(3.5, h.mean(MetricHistory.BITS), 1e-12);
        assertEquals(8, h.lastBitops(), 0);
    }
}
