package org.reconview.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * BN folding (section 5.2 of Thomas et al. 2020, {@link BatchNormFolding}): the folded convolution equals conv + BN in
 * FP32, and after quantization (weight thresholds scaled by |lambda|, activation thresholds unchanged) the folded
 * layer, run as the integer convolution, gives the same activation codes as the unfolded quantized layer.
 */
class BatchNormFoldingTest {

    private static final int C = 6, H = 7, W = 9, O = 8;
    private static final float EPS = 1e-3f;

    private record Layer(float[] w, float[] b, float[] gamma, float[] beta, float[] mean, float[] var) {
    }

    private static Layer randomLayer(Random rnd) {
        float[] w = new float[O * C * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextGaussian() * 0.3);
        }
        float[] b = new float[O], gamma = new float[O], beta = new float[O], mean = new float[O], var = new float[O];
        for (int o = 0; o < O; o++) {
            b[o] = (float) rnd.nextGaussian() * 0.1f;
            gamma[o] = (float) ((rnd.nextBoolean() ? 1 : -1) * (0.2 + 2 * rnd.nextDouble())); // some negative
            beta[o] = (float) rnd.nextGaussian() * 0.5f;
            mean[o] = (float) rnd.nextGaussian();
            var[o] = (float) (0.01 + 3 * rnd.nextDouble());
        }
        return new Layer(w, b, gamma, beta, mean, var);
    }

    private static double bn(Layer l, int o, double y) {
        return l.gamma[o] * (y - l.mean[o]) / Math.sqrt((double) l.var[o] + EPS) + l.beta[o];
    }

    private static double elu(double v) {
        return v > 0 ? v : Math.expm1(v);
    }

    private static float[] randomInput(Random rnd) {
        float[] x = new float[C * H * W];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextGaussian() * 1.5);
        }
        return x;
    }

    @Test
    void foldedConvolutionEqualsConvThenBnInFloat() {
        Random rnd = new Random(51);
        for (int t = 0; t < 20; t++) {
            Layer l = randomLayer(rnd);
            float[] x = randomInput(rnd);
            BatchNormFolding.Folded f = BatchNormFolding.fold(l.w, l.b, l.gamma, l.beta, l.mean, l.var, EPS);
            double[] conv = IntegerConv.referenceConv(x, C, H, W, l.w, O, l.b, 3);
            double[] folded = IntegerConv.referenceConv(x, C, H, W, f.weights(), O, f.bias(), 3);
            double maxRef = 0;
            double[] ref = new double[conv.length];
            for (int i = 0; i < conv.length; i++) {
                ref[i] = bn(l, i / (H * W), conv[i]);
                maxRef = Math.max(maxRef, Math.abs(ref[i]));
            }
            for (int i = 0; i < ref.length; i++) {
                assertEquals(ref[i], folded[i], 1e-5 * maxRef, "element " + i);
            }
        }
        // Without a convolution bias: b = beta - lambda mu exactly as printed.
        float[] g = {2f}, be = {0.5f}, mu = {3f}, va = {4f - EPS};
        BatchNormFolding.Folded f = BatchNormFolding.fold(new float[] {1f}, null, g, be, mu, va, EPS);
        assertEquals(1f, f.lambda()[0], 1e-7f);
        assertEquals(0.5f - 3f, f.bias()[0], 1e-6f);
    }

    @Test
    void quantizedFoldedAndUnfoldedLayersGiveEqualCodes() {
        Random rnd = new Random(52);
        int compared = 0, nearBoundary = 0;
        for (int t = 0; t < 20; t++) {
            Layer l = randomLayer(rnd);
            ActivationQuant in = Quantizer.activation(Quantizer.INIT_T_L, Quantizer.INIT_T_U, 4, Rounding.NEAREST_UP);
            ActivationQuant out = Quantizer.activation(-0.3 + 0.6 * rnd.nextDouble(), 0.5 + 0.8 * rnd.nextDouble(),
                    4, Rounding.NEAREST_UP);
            int[] xCodes = in.codes(randomInput(rnd));
            float[] xDeq = in.dequantize(xCodes);

            // Unfolded: quantize w with u_o = max|w_o|, convolve, BN, ELU, quantize with the layer's thresholds.
            float[] u = WeightQuant.maxAbsPerChannel(l.w, O);
            WeightQuant wq = WeightQuant.quantize(l.w, O, u, 4, Rounding.NEAREST_UP);
            double[] conv = IntegerConv.referenceConv(xDeq, C, H, W, wq.dequantize(), O, l.b, 3);

            // Folded: weights lambda w quantized with thresholds |lambda| u (section 5.2), integer convolution.
            BatchNormFolding.Folded f = BatchNormFolding.fold(l.w, l.b, l.gamma, l.beta, l.mean, l.var, EPS);
            float[] uFolded = BatchNormFolding.scaleWeightThresholds(u, f.lambda());
            WeightQuant fq = WeightQuant.quantize(f.weights(), O, uFolded, 4, Rounding.NEAREST_UP);
            int per = C * 9;
            for (int i = 0; i < fq.codes().length; i++) {
                int sign = f.lambda()[i / per] < 0 ? -1 : 1;
                assertEquals(sign * wq.codes()[i], fq.codes()[i], "Q(lambda w, lambda l, lambda u) = Q(w, l, u)");
            }
            assertArrayEquals(fq.codes(), BatchNormFolding.foldQuantized(wq, f.lambda()).codes());
            assertArrayEquals(fq.codes(), WeightQuant.quantize(f.weights(), O, 4, Rounding.NEAREST_UP).codes(),
                    "max|lambda w| is |lambda| max|w|: re-deriving the threshold gives the same codes");
            float[] yFolded = IntegerConv.conv3x3(xCodes, C, H, W, in, fq, f.bias());

            for (int i = 0; i < conv.length; i++) {
                double pre = elu(bn(l, i / (H * W), conv[i]));
                int unfolded = out.code((float) pre);
                int folded = out.code((float) elu(yFolded[i]));
                compared++;
                if (unfolded != folded) {
                    double v = pre / out.scale();
                    assertTrue(Math.abs(v - Math.floor(v) - 0.5) < 1e-4, "codes differ away from a tie at " + i);
                    nearBoundary++;
                }
            }
        }
        assertTrue(nearBoundary <= compared / 10_000, nearBoundary + " near-tie differences of " + compared);
    }

    @Test
    void theOffsetIsTheFoldedBiasOfABiaslessConv() {
        Random rnd = new Random(53);
        int out = 7;
        float[] w = new float[out * 5];
        float[] gamma = new float[out];
        float[] beta = new float[out];
        float[] mean = new float[out];
        float[] var = new float[out];
        for (int o = 0; o < out; o++) {
            gamma[o] = (float) rnd.nextGaussian();
            beta[o] = (float) rnd.nextGaussian();
            mean[o] = (float) rnd.nextGaussian();
            var[o] = rnd.nextFloat() + 0.01f;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        BatchNormFolding.Folded f = BatchNormFolding.fold(w, null, gamma, beta, mean, var, 1e-3f);
        float[] lam = BatchNormFolding.lambda(gamma, var, 1e-3f);
        assertArrayEquals(f.bias(), BatchNormFolding.offset(beta, mean, lam), 0f);
        for (int o = 0; o < out; o++) {
            assertEquals(beta[o] - gamma[o] * mean[o] / Math.sqrt(var[o] + 1e-3), BatchNormFolding.offset(beta, mean,
                    lam)[o], 1e-5);
        }
    }

    @Test
    void refusesMismatchedShapesAndNonPositiveVariance() {
        assertThrows(IllegalArgumentException.class, () -> BatchNormFolding.fold(new float[6], null,
                new float[4], new float[4], new float[4], new float[4], EPS));
        assertThrows(IllegalArgumentException.class, () -> BatchNormFolding.lambda(new float[] {1f},
                new float[] {-1f}, 0f));
    }
}
