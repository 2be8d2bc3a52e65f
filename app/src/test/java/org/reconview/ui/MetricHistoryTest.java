package org.reconview.ui;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The per-frame arrays stay bounded (newest kept, in order) while the means cover every frame since the reset. */
class MetricHistoryTest {
    @Test
    void boundedArraysAndMeansOverEverything() {
        MetricHistory h = new MetricHistory();
        int n = MetricHistory.CAPACITY + 1000;
        for (int i = 0; i < n; i++) {
            h.add(i, i, 0.5, i % 2 == 0 ? 0.01 : Double.NaN);
        }
        assertTrue(h.count <= MetricHistory.CAPACITY, "count " + h.count);
        assertEquals(n - 1, h.frame[h.count - 1]);
        assertEquals(n - h.count, h.frame[0]);
        for (int i = 1; i < h.count; i++) {
            assertEquals(h.frame[i - 1] + 1, h.frame[i], "in order at " + i);
        }
        assertEquals((n - 1) / 2.0, h.meanPsnr(), 1e-9, "the mean covers every frame, dropped ones too");
        assertEquals(0.01, h.meanTemporal(), 1e-12);
        h.clear();
        assertTrue(Double.isNaN(h.meanPsnr()));
    }
}
