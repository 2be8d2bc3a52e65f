package org.reconview.nn;

import java.util.List;
import java.util.Objects;
import org.reconview.nn.NetworkSpec.Precision;

/**
 * One step of a network in a {@link NetworkSpec}: an operation that reads named tensors and writes one tensor named
 * like the layer. Layers are listed in evaluation order, so every input is a network input or an earlier layer.
 * <p>
 * Shapes: a tensor has {@code channels} x (H / 2^scale) x (W / 2^scale) values; scale 0 is full resolution. Pooling
 * ends at {@code scale + 1}: for a pooling layer {@link #scale} is its <em>output</em> scale, as for every other layer
 * (an odd size is rounded up: ceil(H / 2)). Parameters (see {@link NetworkSpec#weightShapes()}):
 * {@code NAME.weight} [out][in][k][k] (OIHW), {@code NAME.bias} [out] when {@link #bias}, and
 * {@code NAME.bn.gamma|beta|mean|var} [out] when {@link #batchNorm} (then there is no conv bias: BN's beta is it).
 *
 * @param name            unique layer name; also the name of its output tensor and the prefix of its parameters
 * @param op              what it computes
 * @param inputs          input tensor names, in order (for {@link Op#CONCAT} the channel order of the result;
 *                        for {@link Op#KERNEL_FILTER}: kernels, then the image(s), then the skip image if any)
 * @param inChannels      channels read (for a concat, the sum; for a kernel filter, the colour channels: 3)
 * @param outChannels     channels written
 * @param scale           scale of the output (0 = full resolution, 1 = half, ...)
 * @param activation      applied after the op (and after batch norm)
 * @param batchNorm       whether a batch normalisation follows the convolution (folded into it for inference)
 * @param bias            whether the convolution has its own bias vector
 * @param weightPrecision precision of the weights, or null for layers without weights
 * @param compute         precision the multiply-accumulates run in (the column of the paper's Table 1)
 * @param outputPrecision precision of the output tensor as the next layer reads it
 * @param range           name of the activation quantization range of the output (threshold variables
 *                        {@code RANGE.t_l}, {@code RANGE.t_u}); shared by tensors that are concatenated together
 *                        (paper section 5, Figure 4); null when the output is not quantized
 * @param stage           which part of the network (and which row of Table 1) the layer belongs to
 */
public record LayerSpec(String name, Op op, List<String> inputs, int inChannels, int outChannels, int scale,
                        Activation activation, boolean batchNorm, boolean bias, Precision weightPrecision,
                        Precision compute, Precision outputPrecision, String range, Stage stage) {

    /** Operations. Convolutions are "same"-padded with zeros, stride 1. */
    public enum Op {
        /** Grayscale (Rec. 709 luma of the PQ-encoded RGB) and its gradient magnitude: 3 channels in, 1 out. */
        GRADIENT_MAGNITUDE(0),
        /** Channel concatenation of the inputs, in order (all at the same scale). */
        CONCAT(0),
        CONV3X3(3),
        CONV1X1(1),
        /** 2x2 max pooling, stride 2 (feature extractor). */
        MAXPOOL2(0),
        /** 2x nearest-neighbour upsampling (feature extractor). */
        UPSAMPLE_NEAREST2(0),
        /** 2x2 average pooling, stride 2 (filter network). */
        AVGPOOL2(0),
        /** 2x bilinear upsampling (filter network). */
        UPSAMPLE_BILINEAR2(0),
        /**
         * Applies predicted per-pixel 3x3 kernels (paper section 3.2): inputs are the kernel tensor (softmax-normalised
         * weights), one or two images (9 weights each, results summed) and optionally a skip image (one more weight).
         * The same kernel serves all three colour channels.
         */
        KERNEL_FILTER(3);

        private final int kernelSize;

        Op(int kernelSize) {
            this.kernelSize = kernelSize;
        }

        /** Spatial kernel size (3 or 1) for convolutions and the kernel filter, 0 otherwise. */
        public int kernelSize() {
            return kernelSize;
        }

        public boolean isConv() {
            return this == CONV3X3 || this == CONV1X1;
        }
    }

    public enum Activation { NONE, ELU, SOFTMAX }

    /** The part of the network a layer belongs to; the MAC rows of Table 1 follow from it (see {@link MacCount}). */
    public enum Stage { PREPROCESS, INPUT_CONV, ENCODER, DECODER, KERNEL_PREDICTION, FILTER, OUTPUT_LAYER }

    public LayerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(op, "op");
        inputs = List.copyOf(inputs);
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(compute, "compute");
        Objects.requireNonNull(outputPrecision, "outputPrecision");
        Objects.requireNonNull(stage, "stage");
        if (op.isConv() != (weightPrecision != null)) {
            throw new IllegalArgumentException(name + ": convolutions and only they have weights");
        }
        if (inChannels <= 0 || outChannels <= 0 || scale < 0) {
            throw new IllegalArgumentException(name + ": bad channels or scale");
        }
    }

    /** Number of weight values ({@code out * in * k * k}) for a convolution, 0 otherwise. */
    public long weightCount() {
        return op.isConv() ? (long) outChannels * inChannels * op.kernelSize() * op.kernelSize() : 0;
    }

    /** The weight tensor shape [out][in][kh][kw] (OIHW) of a convolution. */
    public int[] weightShape() {
        if (!op.isConv()) {
            throw new IllegalStateException(name + " has no weights");
        }
        return new int[] {outChannels, inChannels, op.kernelSize(), op.kernelSize()};
    }

    /** The fraction of full-resolution pixels this layer's output has: 1 / 4^scale. */
    public double pixelFraction() {
        return 1.0 / (1L << (2 * scale));
    }
}
