package org.reconview.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.reconview.nn.TfFakeQuantReference.Nudged;
import org.reconview.nn.TfFakeQuantReference.Version;

/**
 * {@link ActivationQuant} against TensorFlow's {@code FakeQuantWithMinMaxVars} (num_bits = b, narrow_range = false),
 * here its operation-by-operation re-implementation {@link TfFakeQuantReference} (fast, and it reaches the legacy
 * variant too); {@link QuantRealTfTest} checks both against the real op.
 *
 * <p>Where the definitions coincide: same s = (max - min) / (2^b - 1); TF's zero point std::round(-min / s) equals
 * the paper's -R(l / s) except at exact ties; TF's unsigned level q in [0, 2^b - 1] is our signed code minus M_l;
 * both clamp to the nudged range; and current TF's output, (q - zero point) s, is eq. 8 evaluated the same way. So
 * nudged min, max, scale, codes and outputs agree bit for bit, except (measure-zero) where the two float evaluation
 * orders of the same real quotient, x / s versus (x - nudged_min) / s - zero point, fall on opposite sides of a
 * rounding tie; such exceptions are allowed only within 1e-4 of a tie.
 *
 * <p>Where they differ, each pinned below on a constructed input:
 * <ol>
 * <li>an exact tie in the zero-point nudge (l / s = -2.5): eq. 5 with floor(v + 0.5) gives k = -2, TF's
 * std::round(2.5) = 3 (half away from zero);</li>
 * <li>TF rounds with the float expression floor(v + 0.5f), which takes v = 0.49999997f (0.5 - 2^-25) to 1; ours is
 * exact and gives 0, the nearest;</li>
 * <li>older TF (LEGACY) dequantizes as q s + nudged_min (three roundings) instead of eq. 8's s (Q - z) (one), which
 * differs in the last bit for some codes;</li>
 * <li>TF accepts a range that excludes 0 and shifts it onto [0, max - min]; thresholds l = -e^t_l < 0 < u = e^t_u
 * cannot express one, and {@link ActivationQuant#fromRange} refuses it.</li>
 * </ol>
 */
class QuantTfAgreementTest {

    private static double distanceToTie(double v) {
        return Math.abs(v - Math.floor(v) - 0.5);
    }

    @Test
    void agreesBitForBitWhereTheDefinitionsCoincide() {
        Random rnd = new Random(21);
        long compared = 0;
        int nearTies = 0;
        for (int bits : new int[] {2, 4, 8}) {
            for (int t = 0; t < 3000; t++) {
                float l = Quantizer.lowerThreshold(-5 + 8 * rnd.nextDouble());
                float u = Quantizer.upperThreshold(-5 + 8 * rnd.nextDouble());
                ActivationQuant q = ActivationQuant.fromRange(l, u, bits, Rounding.NEAREST_UP);
                Nudged n = TfFakeQuantReference.nudge(l, u, bits, false);
                if (distanceToTie(-(double) l / n.scale()) < 1e-6) {
                    continue; // a zero-point tie: the pinned difference 1 below
                }
                assertEquals(n.scale(), q.scale(), 0f, "scale");
                assertEquals(n.min(), q.lo(), 0f, "nudged_min = l_a");
                assertEquals(n.max(), q.hi(), 0f, "nudged_max = u_a");
                assertEquals(n.zeroPoint() + q.codeMin(), q.zeroPoint(), "TF's unsigned zero point + M_l = z");
                for (int i = 0; i < 300; i++) {
                    float x = i < 2 * (1 << bits) ? q.dequantize(q.codeMin() + i / 2) + (i % 2) * 1e-3f * q.scale()
                            : (float) (q.lo() + (rnd.nextDouble() * 1.4 - 0.2) * (q.hi() - q.lo()));
                    float tf = TfFakeQuantReference.fakeQuant(x, l, u, bits, false, Version.CURRENT);
                    float tfLevel = TfFakeQuantReference.level(x, n, Version.CURRENT);
                    float ours = q.fakeQuant(x);
                    compared++;
                    if (ours != tf) {
                        double v = ((double) x - q.lo()) / q.scale();
                        assertTrue(distanceToTie(v) < 1e-4, "x=" + x + " " + q + ": ours " + ours + ", TF " + tf);
                        nearTies++;
                        continue;
                    }
                    assertEquals(tfLevel, (float) (q.code(x) - q.zeroPoint()), 0f, "same integer level");
                    assertEquals(n.zeroPoint() + (int) tfLevel, q.code(x) - q.codeMin(), "TF q = our code - M_l");
                }
            }
        }
        assertTrue(compared > 2_000_000);
        assertTrue(nearTies <= compared / 100_000, nearTies + " near-tie exceptions in " + compared);
    }

    @Test
    void zeroPointTieRoundsUpHereAndAwayFromZeroInTensorFlow() {
        // l = -2.5, u = 12.5, 4 bits: s = 15 / 15 = 1 exactly and l / s = -2.5, a tie.
        ActivationQuant q = ActivationQuant.fromRange(-2.5f, 12.5f, 4, Rounding.NEAREST_UP);
        Nudged n = TfFakeQuantReference.nudge(-2.5f, 12.5f, 4, false);
        assertEquals(1f, q.scale(), 0f);
        assertEquals(-2f, q.lo(), 0f, "eq. 5: l_a = s floor(-2.5 + 0.5) = -2");
        assertEquals(13f, q.hi(), 0f);
        assertEquals(-6, q.zeroPoint());
        assertEquals(-3f, n.min(), 0f, "TF: nudged zero point std::round(2.5) = 3");
        assertEquals(12f, n.max(), 0f);
        assertEquals(3, n.zeroPoint());
        assertEquals(13f, q.fakeQuant(12.8f), 0f);
        assertEquals(12f, TfFakeQuantReference.fakeQuant(12.8f, -2.5f, 12.5f, 4, false, Version.CURRENT), 0f);
        // Off the tie they agree again.
        ActivationQuant q2 = ActivationQuant.fromRange(-2.4f, 12.5f, 4, Rounding.NEAREST_UP);
        assertEquals(TfFakeQuantReference.nudge(-2.4f, 12.5f, 4, false).min(), q2.lo(), 0f);
    }

    @Test
    void floatFloorOfVPlusHalfMisroundsOneValueInTensorFlow() {
        // l = -0.25, u = 14.75, 4 bits: s = 1, k = 0, l_a = 0 (TF: zero point 0, nudged_min 0), z = -8.
        ActivationQuant q = ActivationQuant.fromRange(-0.25f, 14.75f, 4, Rounding.NEAREST_UP);
        assertEquals(0f, q.lo(), 0f);
        assertEquals(1f, q.scale(), 0f);
        float x = 0.49999997f; // 0.5 - 2^-25
        assertEquals(0.5f - 0x1p-25f, x, 0f);
        assertEquals(0f, q.fakeQuant(x), 0f, "0.49999997 is nearer 0");
        assertEquals(1f, TfFakeQuantReference.fakeQuant(x, -0.25f, 14.75f, 4, false, Version.CURRENT), 0f,
                "0.49999997f + 0.5f rounds to 1.0f in float, so floor gives 1");
        assertEquals(1f, TfFakeQuantReference.fakeQuant(x, -0.25f, 14.75f, 4, false, Version.LEGACY), 0f);
        assertEquals(0f, q.fakeQuant(0.5f - 0x1p-24f), 0f);
        assertEquals(0f, TfFakeQuantReference.fakeQuant(0.5f - 0x1p-24f, -0.25f, 14.75f, 4, false, Version.CURRENT),
                0f, "and agree on its neighbour");
    }

    @Test
    void legacyTensorFlowDequantizesWithDifferentRounding() {
        float l = -0.9263647f, u = 0.6979019f;
        ActivationQuant q = ActivationQuant.fromRange(l, u, 4, Rounding.NEAREST_UP);
        int code = -6;
        float x = q.dequantize(code);
        float exact = (float) ((double) q.scale() * (code - q.zeroPoint()));
        assertEquals(exact, x, 0f, "eq. 8 is a single correctly rounded product");
        assertEquals(x, q.fakeQuant(x), 0f);
        assertEquals(x, TfFakeQuantReference.fakeQuant(x, l, u, 4, false, Version.CURRENT), 0f);
        float legacy = TfFakeQuantReference.fakeQuant(x, l, u, 4, false, Version.LEGACY);
        assertNotEquals(x, legacy, "q s + nudged_min rounds differently");
        assertEquals(x, legacy, Math.ulp(x), "by one ulp");
        // Over many ranges the legacy form stays within 1.5 ulp of the range width (q s can reach it).
        Random rnd = new Random(22);
        for (int t = 0; t < 2000; t++) {
            float ll = Quantizer.lowerThreshold(-4 + 6 * rnd.nextDouble());
            float uu = Quantizer.upperThreshold(-4 + 6 * rnd.nextDouble());
            ActivationQuant qq = ActivationQuant.fromRange(ll, uu, 4, Rounding.NEAREST_UP);
            if (qq.lo() != TfFakeQuantReference.nudge(ll, uu, 4, false).min()) {
                continue;
            }
            float tol = 1.5f * Math.ulp(qq.hi() - qq.lo());
            for (int c = qq.codeMin(); c <= qq.codeMax(); c++) {
                float y = qq.dequantize(c);
                assertEquals(y, TfFakeQuantReference.fakeQuant(y, ll, uu, 4, false, Version.LEGACY), tol);
            }
        }
    }

    @Test
    void tensorFlowShiftsARangeWithoutZeroWhichThresholdsCannotExpress() {
        assertEquals(0f, TfFakeQuantReference.nudge(1f, 16f, 4, false).min(), 0f);
        assertEquals(15f, TfFakeQuantReference.nudge(1f, 16f, 4, false).max(), 0f);
        assertEquals(0f, TfFakeQuantReference.fakeQuant(0.2f, 1f, 16f, 4, false, Version.CURRENT), 0f);
        assertThrows(IllegalArgumentException.class, () -> ActivationQuant.fromRange(1f, 16f, 4, Rounding.NEAREST_UP));
        assertTrue(Quantizer.lowerThreshold(30) < 0 && Quantizer.upperThreshold(-30) > 0);
    }
}
