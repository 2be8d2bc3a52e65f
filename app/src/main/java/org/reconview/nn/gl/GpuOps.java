package org.reconview.nn.gl;

import static org.lwjgl.opengl.GL45C.*;

import java.util.List;
import java.util.Map;
import org.reconview.gl.ShaderProgram;
import org.reconview.gl.StorageBuffer;

/**
 * The FP32 network operations as compute passes over {@link GpuTensor}s ({@code shaders/nn/}), one method per
 * operation of {@link org.reconview.nn.FloatOps}, which is their golden definition. Outputs are allocated by the
 * caller (sizes follow from the operation). Concatenation needs no shader: channel-major tensors concatenate by
 * copying buffers.
 */
public final class GpuOps implements AutoCloseable {
    public enum Resample { MAX_POOL, AVG_POOL, NEAREST_UP, BILINEAR_UP }

    private final ShaderProgram conv3 = ShaderProgram.compute("nn/conv.comp", Map.of("K", "3"));
    private final ShaderProgram conv1 = ShaderProgram.compute("nn/conv.comp", Map.of("K", "1"));
    /** By kernel size: the variants for inputs too large for a buffer texture, made when first needed. */
    private final Map<Integer, ShaderProgram> ssboConvs = new java.util.HashMap<>();
    /** Tests: read every conv input as an SSBO, as for tensors over GL_MAX_TEXTURE_BUFFER_SIZE. */
    boolean forceSsboInput;
    private final ShaderProgram resample = ShaderProgram.compute("nn/resample.comp", Map.of());
    private final ShaderProgram pointwise = ShaderProgram.compute("nn/pointwise.comp", Map.of());
    private final ShaderProgram filter = ShaderProgram.compute("nn/filter.comp", Map.of());
    /** Output channels and pixels per invocation of conv.comp (its OUT_BLOCK and PIX_BLOCK). */
    static final int OUT_BLOCK = 32;
    static final int PIX_BLOCK = 8;

    private static void barrier() {
        glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT | GL_BUFFER_UPDATE_BARRIER_BIT);
    }

    private static int groups(int n, int size) {
        return (n + size - 1) / size;
    }

    /** Uploads OIHW convolution weights in the order conv.comp reads them: [in][tap][out]. */
    public static StorageBuffer weights(float[] oihw, int outChannels, int inChannels, int kernel) {
        int taps = kernel * kernel;
        if (oihw.length != outChannels * inChannels * taps) {
            throw new IllegalArgumentException(oihw.length + " weights for " + outChannels + "x" + inChannels + "x"
                    + kernel + "x" + kernel);
        }
        float[] ito = new float[oihw.length];
        for (int o = 0; o < outChannels; o++) {
            for (int i = 0; i < inChannels; i++) {
                for (int t = 0; t < taps; t++) {
                    ito[(i * taps + t) * outChannels + o] = oihw[(o * inChannels + i) * taps + t];
                }
            }
        }
        return new StorageBuffer(ito);
    }

    /**
     * Convolution (kernel 3 with zero padding, or 1) with weights from {@link #weights}, then the epilogue
     * (acc + bias) * scale + shift and optional ELU. {@code epilogue} holds bias[O], scale[O], shift[O].
     */
    public void conv(GpuTensor in, int kernel, StorageBuffer weights, StorageBuffer epilogue, GpuTensor out,
            boolean elu) {
        conv(in, kernel, weights, epilogue, out, elu, RowBand.all(out.height));
    }

    /** {@link #conv(GpuTensor, int, StorageBuffer, StorageBuffer, GpuTensor, boolean)} over one band of rows. */
    public void conv(GpuTensor in, int kernel, StorageBuffer weights, StorageBuffer epilogue, GpuTensor out,
            boolean elu, RowBand band) {
        if (in.height != out.height || in.width != out.width) {
            throw new IllegalArgumentException("conv " + in + " -> " + out);
        }
        boolean ssboInput = forceSsboInput || !in.fitsTexture();
        ShaderProgram p = !ssboInput ? (kernel == 3 ? conv3 : conv1) : ssboConvs.computeIfAbsent(kernel,
                k -> ShaderProgram.compute("nn/conv.comp", Map.of("K", "" + k, "SRC_SSBO", "1")));
        p.use().set("uInChannels", in.channels).set("uOutChannels", out.channels).set("uHeight", in.height)
                .set("uWidth", in.width).set("uElu", elu).set("uRowStart", band.start());
        if (ssboInput) {
            in.bind(0);
        } else {
            in.bindTexture(0);
        }
        weights.bindTexture(1);
        epilogue.bind(2);
        out.bind(3);
        glMemoryBarrier(GL_TEXTURE_FETCH_BARRIER_BIT);   // the input and weights were written as SSBOs
        glDispatchCompute(groups(groups(in.width, PIX_BLOCK), 8), band.groups(), groups(out.channels, OUT_BLOCK));
        barrier();
    }

    /**
     * One layer of {@code spec} whose tensors are FP32 on the GPU, as steps: a convolution (its arithmetic the
     * network's own: FP32, or CADyQ's mixed widths) as {@code prepare} (null: none) and then {@code conv} over each
     * of {@code bands} (the output's rows, in order), a softmax activation after the last; any other op one step.
     */
    public List<Runnable> layerSteps(org.reconview.nn.NetworkSpec spec, org.reconview.nn.LayerSpec l,
            List<GpuTensor> in, GpuTensor out, Runnable prepare, java.util.function.Consumer<RowBand> conv,
            List<RowBand> bands) {
        if (l.op().isConv()) {
            boolean softmax = l.activation() == org.reconview.nn.LayerSpec.Activation.SOFTMAX;
            return RowBand.steps(bands, prepare, conv, softmax ? () -> softmax(out) : null);
        }
        return List.of(() -> {
            switch (l.op()) {
                case GRADIENT_MAGNITUDE -> gradientMagnitude(in.get(0), out);
                case CONCAT -> concat(in, out);
                case MAXPOOL2 -> resample(in.get(0), Resample.MAX_POOL, out);
                case AVGPOOL2 -> resample(in.get(0), Resample.AVG_POOL, out);
                case UPSAMPLE_NEAREST2 -> resample(in.get(0), Resample.NEAREST_UP, out);
                case UPSAMPLE_BILINEAR2 -> resample(in.get(0), Resample.BILINEAR_UP, out);
                case KERNEL_FILTER -> kernelFilter(spec.filterKind(l), in, out);
                case CONV3X3, CONV1X1 -> throw new AssertionError();
            }
        });
    }

    public void resample(GpuTensor in, Resample mode, GpuTensor out) {
        boolean down = mode == Resample.MAX_POOL || mode == Resample.AVG_POOL;
        if (down ? (in.height != 2 * out.height || in.width != 2 * out.width)
                : (out.height != 2 * in.height || out.width != 2 * in.width)) {
            throw new IllegalArgumentException(mode + " " + in + " -> " + out);
        }
        resample.use().set("uChannels", out.channels).set("uHeight", out.height).set("uWidth", out.width)
                .set("uMode", mode.ordinal());
        in.bind(0);
        out.bind(1);
        glDispatchCompute(groups(out.width, 8), groups(out.height, 8), out.channels);
        barrier();
    }

    /** Gradient magnitude of the luma of channels 0-2 of {@code rgb} into the one-channel {@code out}. */
    public void gradientMagnitude(GpuTensor rgb, GpuTensor out) {
        pointwise.use().set("uChannels", rgb.channels).set("uHeight", rgb.height).set("uWidth", rgb.width)
                .set("uMode", 0);
        rgb.bind(0);
        out.bind(1);
        glDispatchCompute(groups(rgb.width, 8), groups(rgb.height, 8), 1);
        barrier();
    }

    /** Softmax over the channels at each pixel, in place. */
    public void softmax(GpuTensor t) {
        pointwise.use().set("uChannels", t.channels).set("uHeight", t.height).set("uWidth", t.width).set("uMode", 1);
        t.bind(0);
        t.bind(1);
        glDispatchCompute(groups(t.width, 8), groups(t.height, 8), 1);
        barrier();
    }

    /**
     * out = filter(a, kernels[first..first+8]) [+ filter(b, kernels[second..])] [+ kernels[skipWeight] * skip];
     * pass null / -1 to leave a term out.
     */
    /**
     * A KERNEL_FILTER layer of the declared kind (GoldenModel.kernelFilter): {@code in} = kernels, then the image(s),
     * then the skip image.
     */
    public void kernelFilter(org.reconview.nn.NetworkSpec.FilterKind kind, List<GpuTensor> in, GpuTensor out) {
        GpuTensor k = in.get(0);
        if (k.channels != kind.weights()) {
            throw new IllegalStateException(kind + " filter with " + k.channels + " weights");
        }
        switch (kind) {
            case INPUT -> filter(in.get(1), 0, in.get(2), 9, null, -1, k, out);
            case DOWN, BOTTLENECK -> filter(in.get(1), 0, null, -1, null, -1, k, out);
            case UP -> filter(in.get(1), 0, null, -1, in.get(2), 9, k, out);
        }
    }

    public void filter(GpuTensor a, int first, GpuTensor b, int second, GpuTensor skip, int skipWeight,
            GpuTensor kernels, GpuTensor out) {
        filter.use().set("uChannels", a.channels).set("uHeight", a.height).set("uWidth", a.width)
                .set("uFirst", first).set("uSecond", b == null ? -1 : second)
                .set("uSkipWeight", skip == null ? -1 : skipWeight);
        a.bind(0);
        (b == null ? a : b).bind(1);
        (skip == null ? a : skip).bind(2);
        kernels.bind(3);
        out.bind(4);
        glDispatchCompute(groups(a.width, 8), groups(a.height, 8), 1);
        barrier();
    }

    /** Channel concatenation of the inputs, in order, into out: buffer copies (CHW tensors are channel-major). */
    public void concat(java.util.List<GpuTensor> in, GpuTensor out) {
        long offset = 0;
        int channels = 0;
        for (GpuTensor t : in) {
            if (t.height != out.height || t.width != out.width) {
                throw new IllegalArgumentException("concat " + in + " -> " + out);
            }
            glCopyNamedBufferSubData(t.buffer(), out.buffer(), 0, offset, (long) t.size() * Float.BYTES);
            offset += (long) t.size() * Float.BYTES;
            channels += t.channels;
        }
        if (channels != out.channels) {
            throw new IllegalArgumentException("concat " + in + " -> " + out);
        }
        barrier();
    }

    @Override
    public void close() {
        conv3.close();
        conv1.close();
        ssboConvs.values().forEach(ShaderProgram::close);
        resample.close();
        pointwise.close();
        filter.close();
    }
}
