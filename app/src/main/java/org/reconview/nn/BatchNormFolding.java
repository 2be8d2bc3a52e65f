package org.reconview.nn;

/**
 * Folding batch normalization into the preceding convolution (Thomas et al. 2020, section 5.2):
 * w_inference = (gamma / sigma) w and b_inference = beta - (gamma / sigma) mu, per output channel o, with
 * sigma = sqrt(var + epsilon) from the frozen moving averages. With a convolution bias b the second becomes
 * beta + lambda (b - mu), lambda = gamma / sigma: BN(conv(x) + b) = lambda (w * x + b - mu) + beta.
 *
 * <p>What is scaled, and why. Section 5.2: "While scaling the weights by lambda = gamma / sigma we also scale the
 * quantization threshold by the same amount. This has no impact on quantization error as Q(lambda w, lambda l,
 * lambda u) = Q(w, l, u)." The threshold in question is the weight quantizer's: per output channel u_o (= max|w_o|,
 * l_o = -u_o). Scaling the weights and [l_o, u_o] by lambda_o scales s_w,o by |lambda_o| and leaves every ratio
 * w / s, hence every integer code, unchanged (negated when gamma_o < 0, the symmetric code range being closed under
 * negation; floor(v + 0.5) is not odd, so an exact tie w / s = k + 1/2 would round the other way). So quantizing
 * after folding gives the same integer weights as quantizing before, and the folded dequantized weights are
 * lambda_o times the unfolded ones up to one float rounding. Because the weight threshold is max|w_o|, recomputing
 * it on the folded weights gives |lambda_o| u_o by itself; {@link #scaleWeightThresholds} and
 * {@link #foldQuantized} make it explicit (the latter exactly, without re-rounding).
 *
 * <p>What is not scaled: the activation thresholds t_l, t_u of the quantizer after the layer (after ELU). The folded
 * convolution computes the same pre-activation as conv + BN, so the activation it feeds keeps its range; and lambda
 * is per channel while those thresholds are per layer, so there is no single factor to apply anyway.
 * {@code BatchNormFoldingTest} checks that the unchanged thresholds reproduce the unfolded path's codes.
 */
public final class BatchNormFolding {

    /** A folded convolution: OIHW weights, per-channel bias, and the per-channel lambda = gamma / sigma used. */
    public record Folded(float[] weights, float[] bias, float[] lambda) {
    }

    /**
     * A conv layer's FP32 epilogue y = (acc + bias) * scale + shift per output channel, as the GLSL and CPU networks
     * apply it: the layer's bias (0 without one), its batch norm as scale = lambda and shift = {@link #offset} (1 and
     * 0 without one).
     */
    public record Epilogue(float[] bias, float[] scale, float[] shift) {
        public static Epilogue of(LayerSpec l, Weights weights) {
            int out = l.outChannels();
            float[] bias = l.bias() ? weights.floats(l.name() + ".bias") : new float[out];
            float[] scale = new float[out];
            java.util.Arrays.fill(scale, 1f);
            float[] shift = new float[out];
            if (l.batchNorm()) {
                String bn = l.name() + ".bn.";
                scale = lambda(weights.floats(bn + "gamma"), weights.floats(bn + "var"), NetworkSpec.BN_EPSILON);
                shift = offset(weights.floats(bn + "beta"), weights.floats(bn + "mean"), scale);
            }
            return new Epilogue(bias, scale, shift);
        }
    }

    private BatchNormFolding() {
    }

    /** lambda_o = gamma_o / sqrt(var_o + epsilon), computed in double, rounded once. */
    public static float[] lambda(float[] gamma, float[] variance, float epsilon) {
        if (gamma.length != variance.length) {
            throw new IllegalArgumentException("gamma has " + gamma.length + " channels, variance " + variance.length);
        }
        float[] l = new float[gamma.length];
        for (int o = 0; o < l.length; o++) {
            double var = (double) variance[o] + epsilon;
            if (!(var > 0)) {
                throw new IllegalArgumentException("BN channel " + o + ": variance + epsilon = " + var + " <= 0");
            }
            l[o] = (float) (gamma[o] / Math.sqrt(var));
        }
        return l;
    }

    /**
     * The BN offset after the scale, for a convolution without bias: beta_o - lambda_o mean_o (in double, rounded
     * once), so that BN(x) = lambda x + offset (what {@link #fold} puts in the bias when there is none).
     */
    public static float[] offset(float[] beta, float[] mean, float[] lambda) {
        float[] b = new float[lambda.length];
        for (int o = 0; o < b.length; o++) {
            b[o] = (float) (beta[o] + (double) lambda[o] * (0 - (double) mean[o]));
        }
        return b;
    }

    /**
     * Fold BN (gamma, beta, running mean, running variance, epsilon) into OIHW weights and an optional bias (null
     * for a convolution without bias) of {@code gamma.length} output channels (section 5.2).
     */
    public static Folded fold(float[] weights, float[] bias, float[] gamma, float[] beta, float[] mean,
            float[] variance, float epsilon) {
        int out = gamma.length;
        if (beta.length != out || mean.length != out || (bias != null && bias.length != out) || out == 0
                || weights.length % out != 0) {
            throw new IllegalArgumentException("BN and convolution shapes disagree: " + out + " channels, "
                    + weights.length + " weights");
        }
        float[] lam = lambda(gamma, variance, epsilon);
        int per = weights.length / out;
        float[] w = new float[weights.length];
        float[] b = new float[out];
        for (int o = 0; o < out; o++) {
            for (int i = o * per; i < (o + 1) * per; i++) {
                w[i] = lam[o] * weights[i];
            }
            double convBias = bias == null ? 0 : bias[o];
            b[o] = (float) (beta[o] + (double) lam[o] * (convBias - mean[o]));
        }
        return new Folded(w, b, lam);
    }

    /** The weight thresholds after folding: |lambda_o| u_o (section 5.2; the symmetric range [-u, u] scaled). */
    public static float[] scaleWeightThresholds(float[] thresholds, float[] lambda) {
        if (thresholds.length != lambda.length) {
            throw new IllegalArgumentException(thresholds.length + " thresholds, " + lambda.length + " lambdas");
        }
        float[] u = new float[thresholds.length];
        for (int o = 0; o < u.length; o++) {
            u[o] = Math.abs(lambda[o]) * thresholds[o];
        }
        return u;
    }

    /**
     * Fold lambda into already quantized weights: Q(lambda w, lambda l, lambda u) = Q(w, l, u), so the codes stay
     * (negated where lambda_o < 0) and the scales become |lambda_o| s_w,o.
     */
    public static WeightQuant foldQuantized(WeightQuant q, float[] lambda) {
        if (lambda.length != q.outChannels()) {
            throw new IllegalArgumentException(lambda.length + " lambdas for " + q.outChannels() + " channels");
        }
        int per = q.perChannel();
        int[] codes = q.codes().clone();
        float[] scales = new float[q.outChannels()];
        for (int o = 0; o < scales.length; o++) {
            scales[o] = Math.abs(lambda[o]) * q.scales()[o];
            if (lambda[o] < 0) {
                for (int i = o * per; i < (o + 1) * per; i++) {
                    codes[i] = -codes[i];
                }
            }
        }
        return new WeightQuant(q.outChannels(), q.bits(), scales, codes, q.rounding());
    }
}
