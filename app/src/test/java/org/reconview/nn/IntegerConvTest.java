package org.reconview.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The integer convolution of section 5 ({@link IntegerConv}): y = alpha sum(u v) + c equals the float convolution of
 * the dequantized tensors, borders included, and int32 accumulators cannot overflow for the network's layers.
 */
class IntegerConvTest {

    private record Case(int[] codes, ActivationQuant aq, WeightQuant wq, float[] bias) {
    }

    private static Case randomCase(Random rnd, int c, int h, int w, int o, int k, int wBits, int aBits) {
        ActivationQuant aq = Quantizer.activation(-2 + 2.5 * rnd.nextDouble(), -1 + 3 * rnd.nextDouble(), aBits,
                Rounding.NEAREST_UP);
        float[] x = new float[c * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (aq.lo() + (rnd.nextDouble() * 1.4 - 0.2) * (aq.hi() - aq.lo()));
        }
        float[] weights = new float[o * c * k * k];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (rnd.nextGaussian() * 0.2);
        }
        float[] bias = new float[o];
        for (int i = 0; i < o; i++) {
            bias[i] = (float) rnd.nextGaussian();
        }
        return new Case(aq.codes(x), aq, Quantizer.weights(weights, o, wBits, Rounding.NEAREST_UP), bias);
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Test
    void integerPathEqualsFloatConvolutionOfDequantizedTensors() {
        Random rnd = new Random(41);
        int[][] bitPairs = {{4, 4}, {8, 8}, {8, 4}, {4, 8}}; // {weight bits, activation bits}
        for (int k : new int[] {1, 3}) {
            for (int[] bits : bitPairs) {
                for (int t = 0; t < 25; t++) {
                    int c = 1 + rnd.nextInt(12), h = 1 + rnd.nextInt(9), w = 1 + rnd.nextInt(9), o = 1 + rnd.nextInt(6);
                    Case cs = randomCase(rnd, c, h, w, o, k, bits[0], bits[1]);
                    float[] y = IntegerConv.conv(cs.codes, c, h, w, cs.aq, cs.wq, cs.bias, k);
                    double[] ref = IntegerConv.referenceConv(cs.aq.dequantize(cs.codes), c, h, w,
                            cs.wq.dequantize(), o, cs.bias, k);
                    double tol = 1e-5 * Math.max(1e-3, maxAbs(ref));
                    for (int i = 0; i < y.length; i++) {
                        assertEquals(ref[i], y[i], tol, "k=" + k + " bits=" + bits[0] + "/" + bits[1] + " at " + i);
                    }
                }
            }
        }
    }

    @Test
    void bordersNeedZeroPointPadding() {
        Random rnd = new Random(42);
        int c = 4, h = 5, w = 6, o = 3;
        Case cs = randomCase(rnd, c, h, w, o, 3, 4, 4);
        while (cs.aq.zeroPoint() == 0) {
            cs = randomCase(rnd, c, h, w, o, 3, 4, 4);
        }
        float[] y = IntegerConv.conv3x3(cs.codes, c, h, w, cs.aq, cs.wq, cs.bias);
        double[] ref = IntegerConv.referenceConv(cs.aq.dequantize(cs.codes), c, h, w, cs.wq.dequantize(), o,
                cs.bias, 3);
        double tol = 1e-5 * maxAbs(ref);
        // Corner (0, 0): five of nine taps are padding.
        assertEquals(ref[0], y[0], tol);
        // Padding with code 0 instead of the zero point breaks the border (and only the border).
        int[] wrong = IntegerConv.accumulate(cs.codes, c, h, w, 0, cs.wq.codes(), o, 3);
        int[] right = IntegerConv.accumulate(cs.codes, c, h, w, cs.aq.zeroPoint(), cs.wq.codes(), o, 3);
        boolean borderDiffers = false;
        for (int oc = 0; oc < o; oc++) {
            for (int yy = 0; yy < h; yy++) {
                for (int xx = 0; xx < w; xx++) {
                    int i = (oc * h + yy) * w + xx;
                    boolean border = yy == 0 || xx == 0 || yy == h - 1 || xx == w - 1;
                    if (!border) {
                        assertEquals(right[i], wrong[i]);
                    } else if (right[i] != wrong[i]) {
                        borderDiffers = true;
                    }
                }
            }
        }
        assertTrue(borderDiffers);
    }

    @Test
    void oneByOneAndBiasTermByHand() {
        // 1 input channel, 1x2 image, 1x1 conv, codes v = {3, -8}, z = -4, s_x = 0.5; u = {7}, s_w = 0.25, b = 1.
        ActivationQuant aq = new ActivationQuant(-2f, 5.5f, 4, -4, 0.5f, Rounding.NEAREST_UP);
        WeightQuant wq = new WeightQuant(1, 4, new float[] {0.25f}, new int[] {7}, Rounding.NEAREST_UP);
        float[] c = IntegerConv.biasTerm(aq, wq, new float[] {1f});
        assertEquals(1f - 0.125f * -4 * 7, c[0], 0f, "c = b - alpha z sum(u)");
        float[] y = IntegerConv.conv1x1(new int[] {3, -8}, 1, 1, 2, aq, wq, new float[] {1f});
        assertEquals(0.25f * 7 * 0.5f * (3 + 4) + 1, y[0], 1e-6f);
        assertEquals(0.25f * 7 * 0.5f * (-8 + 4) + 1, y[1], 1e-6f);
    }

    @Test
    void int32AccumulatorsHoldTheLargestLayer() {
        // 160 input channels x 9 taps x max |u| 7 x max v 15 (unsigned codes) = 151 200; signed codes: 80 640.
        assertEquals(151_200L, IntegerConv.accumulatorBound(160, 3, 4, 4));
        assertEquals(8L * 9 * 127 * 255, IntegerConv.accumulatorBound(8, 3, 8, 8));
        assertTrue(IntegerConv.accumulatorBound(160, 3, 4, 4) < Integer.MAX_VALUE);
        int c = 160, h = 3, w = 3;
        int[] weights = new int[c * 9];
        java.util.Arrays.fill(weights, 7);
        int[] signed = new int[c * h * w];
        java.util.Arrays.fill(signed, -8);
        int[] acc = IntegerConv.accumulate(signed, c, h, w, -8, weights, 1, 3);
        assertEquals(-80_640, acc[4], "centre pixel, all signed codes at M_l");
        int[] unsigned = new int[c * h * w];
        java.util.Arrays.fill(unsigned, 15);
        assertEquals(151_200, IntegerConv.accumulate(unsigned, c, h, w, 15, weights, 1, 3)[4]);
        // A layer whose worst case exceeds int32 is refused rather than wrapped.
        int big = 70_000;
        int[] bigAct = new int[big];
        java.util.Arrays.fill(bigAct, 255);
        int[] bigW = new int[big];
        java.util.Arrays.fill(bigW, 127);
        assertThrows(IllegalArgumentException.class, () -> IntegerConv.accumulate(bigAct, big, 1, 1, 0, bigW, 1, 1));
    }
}
