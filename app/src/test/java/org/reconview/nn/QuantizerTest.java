package org.reconview.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Properties of the activation quantizer, eqs. 4-8 of Thomas et al. 2020 ({@link ActivationQuant}). */
class QuantizerTest {

    private static ActivationQuant randomQuant(Random rnd, int bits, Rounding r) {
        double tl = -6 + 9 * rnd.nextDouble(); // l in [-20, -0.0025]
        double tu = -6 + 9 * rnd.nextDouble();
        return ActivationQuant.fromThresholds(tl, tu, bits, r);
    }

    @Test
    void zeroIsExactlyRepresentableForAnyThresholds() {
        Random rnd = new Random(11);
        for (Rounding r : Rounding.values()) {
            for (int bits = 2; bits <= 8; bits++) {
                for (int t = 0; t < 2000; t++) {
                    ActivationQuant q = randomQuant(rnd, bits, r);
                    assertEquals(q.zeroPoint(), q.code(0f), q.toString());
                    assertEquals(0, Float.floatToRawIntBits(q.fakeQuant(0f)), "Q'(0) is +0.0 for " + q);
                    assertEquals(0f, q.fakeQuant(-0f), 0f);
                    assertEquals(0f, q.lo() / q.scale() - Math.round(q.lo() / q.scale()), 1e-4f, "l_a on the grid");
                }
            }
        }
    }

    @Test
    void nudgedRangeHoldsTheOriginalWithinOneStep() {
        Random rnd = new Random(12);
        for (Rounding r : Rounding.values()) {
            for (int bits : new int[] {4, 8}) {
                for (int t = 0; t < 5000; t++) {
                    double tl = -6 + 9 * rnd.nextDouble();
                    double tu = -6 + 9 * rnd.nextDouble();
                    float l = Quantizer.lowerThreshold(tl);
                    float u = Quantizer.upperThreshold(tu);
                    ActivationQuant q = ActivationQuant.fromThresholds(tl, tu, bits, r);
                    double s = q.scale();
                    double eps = 1e-5 * s;
                    assertEquals((u - l) / (double) Quantizer.levels(bits), s, 1e-6 * s, "s = (u - l) / M");
                    assertEquals(Quantizer.levels(bits) * s, q.hi() - q.lo(), 1e-5 * (q.hi() - q.lo()), "M steps");
                    assertTrue(q.lo() <= 0 && q.hi() >= 0);
                    double shift = q.lo() - l; // eq. 6: u_a - u is the same shift
                    assertEquals(shift, q.hi() - u, 1e-5 * (q.hi() - q.lo()));
                    if (r == Rounding.NEAREST_UP) {
                        assertTrue(Math.abs(shift) <= s / 2 + eps, "nearest: |l_a - l| <= s/2 for " + q);
                    } else {
                        assertTrue(shift <= eps && shift > -s - eps, "floor: l - s < l_a <= l for " + q);
                    }
                }
            }
        }
    }

    @Test
    void aSweepReachesExactlyTwoToTheBCodes() {
        Random rnd = new Random(13);
        for (int bits : new int[] {4, 8}) {
            for (int t = 0; t < 20; t++) {
                ActivationQuant q = randomQuant(rnd, bits, Rounding.NEAREST_UP);
                TreeSet<Integer> codes = new TreeSet<>();
                TreeSet<Float> values = new TreeSet<>();
                int n = 200_000;
                float a = q.lo() - 0.5f * (q.hi() - q.lo());
                float b = q.hi() + 0.5f * (q.hi() - q.lo());
                for (int i = 0; i <= n; i++) {
                    float x = a + (b - a) * i / n;
                    codes.add(q.code(x));
                    values.add(q.fakeQuant(x));
                }
                assertEquals(q.levels() + 1, codes.size(), "M + 1 = 2^b codes");
                assertEquals(1 << bits, values.size());
                assertEquals(Quantizer.codeMin(bits), codes.first());
                assertEquals(Quantizer.codeMax(bits), codes.last());
                assertEquals(q.lo(), values.first(), 0f, "Q'(l_a) = l_a");
                assertEquals(q.hi(), values.last(), 0f, "Q'(u_a) = u_a");
            }
        }
    }

    @Test
    void clampsOutsideTheNudgedRange() {
        Random rnd = new Random(14);
        for (Rounding r : Rounding.values()) {
            for (int t = 0; t < 500; t++) {
                ActivationQuant q = randomQuant(rnd, 4, r);
                assertEquals(-8, q.code(q.lo() - 1e-3f * q.scale() - Math.ulp(q.lo())));
                assertEquals(7, q.code(q.hi() + 1e-3f * q.scale() + Math.ulp(q.hi())));
                assertEquals(-8, q.code(Float.NEGATIVE_INFINITY));
                assertEquals(7, q.code(Float.POSITIVE_INFINITY));
                assertEquals(q.lo(), q.fakeQuant(-1e30f), 0f);
                assertEquals(q.hi(), q.fakeQuant(1e30f), 0f);
                assertEquals(-8, q.code(q.lo()));
                assertEquals(7, q.code(q.hi()));
            }
        }
    }

    @Test
    void nearestRoundsHalvesUpAndFloorIsTheAblation() {
        // l = -8, u = 7, 4 bits: s = 1, k = -8, l_a = -8, u_a = 7, z = 0, so Q(x) = R(x).
        ActivationQuant up = ActivationQuant.fromRange(-8f, 7f, 4, Rounding.NEAREST_UP);
        ActivationQuant fl = ActivationQuant.fromRange(-8f, 7f, 4, Rounding.FLOOR);
        assertEquals(1f, up.scale(), 0f);
        assertEquals(0, up.zeroPoint());
        assertEquals(3, up.code(2.5f), "2.5 -> 3");
        assertEquals(2, fl.code(2.5f));
        assertEquals(-2, up.code(-2.5f), "-2.5 -> -2: floor(v + 0.5), not half away from zero");
        assertEquals(-3, fl.code(-2.5f));
        assertEquals(2, up.code(2.4999998f));
        assertEquals(3, fl.code(3.0f));
        assertEquals(2, fl.code(2.9999998f), "floor takes anything below 3 to 2");
        assertEquals(3, up.code(2.9999998f));
        assertEquals(0, Rounding.NEAREST_UP.round(0.49999997f), "evaluated exactly, not as floor(v + 0.5f)");
        assertEquals(1, (int) Math.floor(0.49999997f + 0.5f), "the float expression would give 1");
        assertEquals(-2, Rounding.NEAREST_UP.round(-2.5));
        assertEquals(-3, Rounding.FLOOR.round(-2.5));
    }

    @Test
    void codesAreMonotoneAndFakeQuantIsIdempotent() {
        Random rnd = new Random(15);
        for (Rounding r : Rounding.values()) {
            for (int bits : new int[] {4, 8}) {
                for (int t = 0; t < 50; t++) {
                    ActivationQuant q = randomQuant(rnd, bits, r);
                    float[] xs = new float[5000];
                    for (int i = 0; i < xs.length; i++) {
                        xs[i] = (float) ((rnd.nextDouble() * 1.6 - 0.3) * (q.hi() - q.lo()) + q.lo());
                    }
                    java.util.Arrays.sort(xs);
                    for (int i = 1; i < xs.length; i++) {
                        assertTrue(q.code(xs[i - 1]) <= q.code(xs[i]), "monotone at " + xs[i]);
                    }
                    if (r == Rounding.NEAREST_UP) {
                        for (float x : xs) {
                            float y = q.fakeQuant(x);
                            assertEquals(y, q.fakeQuant(y), 0f, "Q'(Q'(x)) = Q'(x)");
                            float clamped = Math.min(Math.max(x, q.lo()), q.hi());
                            assertTrue(Math.abs(clamped - y) <= q.scale() * 0.5f * 1.0001f, "within s/2 inside");
                        }
                    }
                }
            }
        }
    }

    @Test
    void initialThresholdsGiveMinusOneAndThreeBeforeNudging() {
        assertEquals(-1f, Quantizer.lowerThreshold(Quantizer.INIT_T_L), 0f);
        assertEquals(3f, Quantizer.upperThreshold(Quantizer.INIT_T_U), 0f);
        assertEquals(Math.log(1), Quantizer.INIT_T_L);
        // 4 bits: s = 4/15, l / s = -3.75 -> k = -4, l_a = -4s, u_a = 11s, z = -8 + 4 = -4.
        ActivationQuant q = Quantizer.activation(Quantizer.INIT_T_L, Quantizer.INIT_T_U, 4, Rounding.NEAREST_UP);
        assertEquals(4f / 15f, q.scale(), 0f);
        assertEquals(-4 * (4f / 15f), q.lo(), 0f);
        assertEquals(11 * (4f / 15f), q.hi(), 0f);
        assertEquals(-4, q.zeroPoint());
        // FLOOR (eq. 5 literally): k = floor(-3.75) = -4 as well here.
        assertEquals(-4, Quantizer.activation(0, Math.log(3), 4, Rounding.FLOOR).zeroPoint());
    }

    @Test
    void concatenatedTensorsShareOneRange() {
        Random rnd = new Random(16);
        for (int t = 0; t < 1000; t++) {
            double tlA = -3 + 4 * rnd.nextDouble(), tuA = -3 + 4 * rnd.nextDouble();
            double tlB = -3 + 4 * rnd.nextDouble(), tuB = -3 + 4 * rnd.nextDouble();
            ActivationQuant ab = Quantizer.shared(tlA, tuA, tlB, tuB, 4, Rounding.NEAREST_UP);
            assertEquals(ab, Quantizer.shared(tlB, tuB, tlA, tuA, 4, Rounding.NEAREST_UP), "order-free");
            assertEquals(Quantizer.activation(tlA, tuA, 4, Rounding.NEAREST_UP),
                    Quantizer.shared(tlA, tuA, tlA, tuA, 4, Rounding.NEAREST_UP), "tied thresholds: the plain one");
            float l = Math.min(Quantizer.lowerThreshold(tlA), Quantizer.lowerThreshold(tlB));
            float u = Math.max(Quantizer.upperThreshold(tuA), Quantizer.upperThreshold(tuB));
            assertEquals(ActivationQuant.fromRange(l, u, 4, Rounding.NEAREST_UP), ab, "union of the two ranges");
        }
    }

    @Test
    void refusesRangesWithoutZeroAndBadBitWidths() {
        Rounding r = Rounding.NEAREST_UP;
        assertThrows(IllegalArgumentException.class, () -> ActivationQuant.fromRange(0.5f, 2f, 4, r));
        assertThrows(IllegalArgumentException.class, () -> ActivationQuant.fromRange(-2f, -1f, 4, r));
        assertThrows(IllegalArgumentException.class, () -> ActivationQuant.fromRange(-1f, 1f, 1, r));
        assertThrows(IllegalArgumentException.class, () -> ActivationQuant.fromRange(Float.NaN, 1f, 4, r));
        assertEquals(-8, Quantizer.codeMin(4));
        assertEquals(7, Quantizer.codeMax(4));
        assertEquals(15, Quantizer.levels(4));
        assertEquals(255, Quantizer.levels(8));
    }
}
