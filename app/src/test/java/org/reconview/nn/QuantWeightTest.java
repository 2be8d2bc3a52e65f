package org.reconview.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Per-output-channel symmetric weights ({@link WeightQuant}; eq. 3 and section 5.1 of Thomas et al. 2020). */
class QuantWeightTest {

    private static float[] randomWeights(Random rnd, int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (rnd.nextGaussian() * Math.exp(rnd.nextGaussian()));
        }
        return w;
    }

    @Test
    void scalesComeFromMaxAbsPerChannelAndErrorIsAtMostHalfAStep() {
        Random rnd = new Random(31);
        for (Rounding r : new Rounding[] {Rounding.NEAREST_UP}) {
            for (int bits : new int[] {4, 8}) {
                int limit = (1 << (bits - 1)) - 1;
                for (int t = 0; t < 200; t++) {
                    int out = 1 + rnd.nextInt(12);
                    int per = 1 + rnd.nextInt(9 * 40);
                    float[] w = randomWeights(rnd, out * per);
                    WeightQuant q = Quantizer.weights(w, out, bits, r);
                    assertEquals(per, q.perChannel());
                    float[] deq = q.dequantize();
                    for (int o = 0; o < out; o++) {
                        float max = 0;
                        int maxAt = -1;
                        for (int i = o * per; i < (o + 1) * per; i++) {
                            if (Math.abs(w[i]) > max) {
                                max = Math.abs(w[i]);
                                maxAt = i;
                            }
                        }
                        float s = q.scales()[o];
                        assertEquals((max + max) / ((1 << bits) - 1), s, 0f, "s_w = 2 max|w| / (2^b - 1)");
                        assertEquals(2.0 * max / ((1 << bits) - 1), s, 1e-6 * s);
                        assertEquals(Math.signum(w[maxAt]) * limit, q.codes()[maxAt], 0, "max|w| -> +-(2^(b-1)-1)");
                        for (int i = o * per; i < (o + 1) * per; i++) {
                            assertTrue(Math.abs(q.codes()[i]) <= limit, "code " + q.codes()[i]);
                            // s/2 exactly at +-max, plus the float rounding of s and of s u.
                            assertTrue(Math.abs(w[i] - deq[i]) <= s / 2 + 2 * Math.ulp(w[i]),
                                    "w=" + w[i] + " deq=" + deq[i] + " s=" + s);
                        }
                    }
                }
            }
        }
    }

    @Test
    void fourBitCodesAreMinusSevenToSevenAndSymmetric() {
        float[] w = new float[2001];
        for (int i = 0; i < w.length; i++) {
            w[i] = -1f + 2f * i / (w.length - 1);
        }
        WeightQuant q = Quantizer.weights(w, 1, 4, Rounding.NEAREST_UP);
        int min = Integer.MAX_VALUE, max = Integer.MIN_VALUE;
        for (int c : q.codes()) {
            min = Math.min(min, c);
            max = Math.max(max, c);
        }
        assertEquals(-7, min);
        assertEquals(7, max);
        assertEquals(2f / 15f, q.scales()[0], 0f);
        assertEquals(0, q.codes()[1000], "w = 0 -> 0: no zero point");
        assertEquals(0f, q.dequantize(1000), 0f);
    }

    @Test
    void zeroChannelAndShapeErrors() {
        float[] w = {0, 0, 0, 0, 1.1f, -2, 3, 0.5f}; // channel 1: s = 6/15, w/s = 2.75, -5, 7.5, 1.25
        WeightQuant q = Quantizer.weights(w, 2, 4, Rounding.NEAREST_UP);
        assertEquals(0f, q.scales()[0], 0f);
        assertArrayEquals(new int[] {0, 0, 0, 0}, java.util.Arrays.copyOf(q.codes(), 4));
        assertEquals(0f, q.dequantize(2), 0f);
        assertArrayEquals(new int[] {3, -5, 7, 1}, java.util.Arrays.copyOfRange(q.codes(), 4, 8), "7.5 clamps to 7");
        assertArrayEquals(new long[] {0, 3 - 5 + 7 + 1}, q.codeSums());
        assertThrows(IllegalArgumentException.class, () -> Quantizer.weights(w, 3, 4, Rounding.NEAREST_UP));
        assertThrows(IllegalArgumentException.class,
                () -> Quantizer.weights(new float[] {Float.NaN, 1}, 1, 4, Rounding.NEAREST_UP));
        assertThrows(IllegalArgumentException.class,
                () -> new WeightQuant(1, 4, new float[] {1f}, new int[] {8}, Rounding.NEAREST_UP));
    }
}
