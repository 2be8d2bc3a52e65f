package org.reconview.color;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class PqTest {
    @Test
    void matchesPublishedSt2084CodeValues() {
        // ST 2084 code values (SMPTE tables / BT.2100): 100 nits -> 0.5081, 1000 nits -> 0.7518, 10000 -> 1.
        assertEquals(0.50808, Pq.st2084(100 / 10000.0), 1e-4);
        assertEquals(0.75183, Pq.st2084(1000 / 10000.0), 1e-4);
        assertEquals(1.0, Pq.st2084(1.0), 1e-12);
        assertEquals(0.75183, Pq.PEAK_CODE, 1e-4);
    }

    @Test
    void normalisesTheThousandNitRangeToUnit() {
        assertEquals(0.0, Pq.encode(0.0), 0);
        assertEquals(1.0, Pq.encode(Pq.MAX_LINEAR), 1e-12);
        assertEquals(1.0, Pq.encode(1e6), 1e-12, "clips above 1000 nits");
        assertEquals(0.50808 / 0.75183, Pq.encode(1.0), 1e-4, "linear 1.0 is 100 nits");
        assertEquals(0.0, Pq.encode(-3.0), 0);
        assertEquals(0.0, Pq.encode(Double.NaN), 0);
    }

    @Test
    void decodeInvertsEncodeAndIsMonotone() {
        double prev = -1;
        for (int i = 0; i <= 1000; i++) {
            double x = Math.pow(10, -4 + 5.0 * i / 1000); // 1e-4 .. 10
            double e = Pq.encode(x);
            assertTrue(e > prev, "monotone at " + x);
            prev = e;
            assertEquals(x, Pq.decode(e), 1e-9 * Math.max(1, x));
        }
    }
}
