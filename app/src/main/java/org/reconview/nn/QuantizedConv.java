package org.reconview.nn;

import org.reconview.nn.LayerSpec.Activation;

/**
 * One convolution of QW-Net in its integer form (Thomas et al. 2020, section 5): the parameters that the golden
 * {@link QuantizedModel}, the GLSL passes and later the CUDA kernels all use, computed here once.
 * <ul>
 * <li>Batch norm folded into the float weights and bias ({@link BatchNormFolding#fold}, section 5.2).</li>
 * <li>Weights quantized per output channel, symmetric, u_o = max|w_o| of the folded weights ({@link WeightQuant};
 * equal to quantizing first and scaling the thresholds by lambda, as BatchNormFoldingTest shows), with the layer's
 * {@link LayerSpec#weightPrecision()} bits: 8 for the input conv and the kernel-prediction convs, 4 elsewhere.</li>
 * <li>alpha_o = s_x s_w,o and c_o = b_o - alpha_o z sum_i u_i ({@link IntegerConv#alpha}, {@link IntegerConv#biasTerm}),
 * with s_x, z of the {@link #input} range.</li>
 * </ul>
 * Evaluation: acc = sum u v in int32 with the input's zero point as the padding code ({@link IntegerConv#accumulate}),
 * y = alpha_o * (float) acc + c_o in float (two roundings, no fused multiply-add), then for feature-extractor layers
 * ELU and {@link ActivationQuant#code} into the {@link #output} range; kernel-prediction layers keep y (FP32) and
 * apply softmax.
 *
 * @param layer   the layer of the spec
 * @param input   the quantizer of the input tensor's range (s_x, z; the padding code is z)
 * @param weights integer weights u (OIHW) and scales s_w after folding
 * @param bias    the float bias after folding (zeros for a layer with neither bias nor BN)
 * @param alpha   alpha_o
 * @param c       c_o
 * @param output  the quantizer of the output range, or null when the output is FP32 (kernel prediction)
 */
public record QuantizedConv(LayerSpec layer, ActivationQuant input, WeightQuant weights, float[] bias, float[] alpha,
                            float[] c, ActivationQuant output) {

    /** Folds, quantizes and precomputes one conv layer of {@code weights}. */
    public static QuantizedConv of(LayerSpec l, Weights weights, ActivationQuant input, ActivationQuant output) {
        if (!l.op().isConv() || l.weightPrecision() == null || !l.weightPrecision().isInteger()) {
            throw new IllegalArgumentException(l.name() + " is not an integer convolution");
        }
        float[] w = weights.floats(l.name() + ".weight");
        float[] b = l.bias() ? weights.floats(l.name() + ".bias") : null;
        if (l.batchNorm()) {
            String bn = l.name() + ".bn.";
            BatchNormFolding.Folded f = BatchNormFolding.fold(w, b, weights.floats(bn + "gamma"),
                    weights.floats(bn + "beta"), weights.floats(bn + "mean"), weights.floats(bn + "var"),
                    NetworkSpec.BN_EPSILON);
            w = f.weights();
            b = f.bias();
        }
        if (b == null) {
            b = new float[l.outChannels()];
        }
        WeightQuant wq = WeightQuant.quantize(w, l.outChannels(), l.weightPrecision().bits(), input.rounding());
        return new QuantizedConv(l, input, wq, b, IntegerConv.alpha(input, wq), IntegerConv.biasTerm(input, wq, b),
                output);
    }

    public int kernelSize() {
        return layer.op().kernelSize();
    }

    public int inChannels() {
        return layer.inChannels();
    }

    public int outChannels() {
        return layer.outChannels();
    }

    /** sum_i u_i v_i per output channel and pixel (OHW, int32), padding with the input's zero point. */
    public int[] accumulate(int[] codes, int height, int width) {
        return IntegerConv.accumulate(codes, inChannels(), height, width, input.zeroPoint(), weights.codes(),
                outChannels(), kernelSize());
    }

    /** y = alpha_o * acc + c_o for every accumulator (OHW), in float, rounded after the product and the sum. */
    public Tensor epilogue(int[] acc, int height, int width) {
        Tensor y = new Tensor(outChannels(), height, width);
        int plane = height * width;
        for (int i = 0; i < acc.length; i++) {
            y.data[i] = epilogue(i / plane, acc[i]);
        }
        return y;
    }

    /** y = alpha_o * acc + c_o of one accumulator of output channel o. */
    public float epilogue(int o, int acc) {
        float product = alpha[o] * (float) acc;
        return product + c[o];
    }

    /** The layer's output codes from its accumulators: epilogue, ELU, requantization. */
    public int[] outputCodes(int[] acc, int height, int width) {
        if (output == null) {
            throw new IllegalStateException(layer.name() + " has an FP32 output");
        }
        int plane = height * width;
        int[] codes = new int[acc.length];
        for (int i = 0; i < acc.length; i++) {
            codes[i] = outputCode(i / plane, acc[i]);
        }
        return codes;
    }

    /** The output code of one accumulator of output channel o (the per-element step of {@link #outputCodes}). */
    public int outputCode(int o, int acc) {
        if (output == null) {
            throw new IllegalStateException(layer.name() + " has an FP32 output");
        }
        float y = epilogue(o, acc);
        return output.code(layer.activation() == Activation.ELU ? FloatOps.elu(y) : y);
    }
}
