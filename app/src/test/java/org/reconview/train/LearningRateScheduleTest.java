package org.reconview.train;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
    @Test
    void warmsUpLinearlyThenDecaysByCosineToTheFinalFraction() {
        LearningRateSchedule s = new LearningRateSchedule(1e-3f, 10, 110, 0.1f);
        assertEquals(1e-4, s.at(0), 1e-9);
        assertEquals(1e-3, s.at(9), 1e-9);
        assertEquals(1e-3, s.at(10), 1e-9);
        assertEquals(1e-3 * (0.1 + 0.9 * 0.5), s.at(60), 1e-9, "half way down the cosine");
        assertEquals(1e-4, s.at(110), 1e-9);
        assertEquals(1e-4, s.at(500), 1e-9, "held after the end");
        for (int i = 11; i < 110; i++) {
            assertTrue(s.at(i) < s.at(i - 1), "decreasing after the warm-up");
        }
        assertEquals(5e-4, LearningRateSchedule.constant(5e-4f).at(1234), 1e-9);
    }
}
