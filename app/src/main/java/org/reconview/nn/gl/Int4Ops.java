package org.reconview.nn.gl;

import static org.lwjgl.opengl.GL45C.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.reconview.gl.ShaderProgram;
import org.reconview.nn.ActivationQuant;

/**
 * The integer passes of QW-Net's quantized feature extractor over {@link Int4Tensor}s ({@code shaders/nn/int4_*.comp}):
 * the integer convolution with its fused epilogue, input quantization, max pooling and nearest upsampling on packed
 * codes, and concatenation by buffer copies. Golden: {@link org.reconview.nn.QuantizedModel}.
 */
public final class Int4Ops implements AutoCloseable {
    /** Output channels per invocation of int4_conv.comp (one packed word of 4-bit codes). */
    static final int OUT_BLOCK = 8;
    /** Pixels per invocation of int4_conv.comp (its PIX_BLOCK). */
    static final int PIX_BLOCK = 4;
    private final Map<String, ShaderProgram> convs = new HashMap<>();
    private final ShaderProgram quantize8 = ShaderProgram.compute("nn/int4_quantize.comp", Map.of("BITS", "8"));
    private final ShaderProgram resample = ShaderProgram.compute("nn/int4_resample.comp", Map.of());
    private final int noDebug = Int4Tensor.createBuffer(new int[1]);

    private static void barrier() {
        glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT | GL_BUFFER_UPDATE_BARRIER_BIT);
    }

    private static int groups(int n, int size) {
        return (n + size - 1) / size;
    }

    /** Tests: read every conv input as an SSBO, as for tensors over GL_MAX_TEXTURE_BUFFER_SIZE. */
    boolean forceSsboInput;

    private ShaderProgram conv(int k, int actBits, int weightBits, boolean outFloat, boolean ssboInput) {
        String key = k + "/" + actBits + "/" + weightBits + "/" + outFloat + "/" + ssboInput;
        Map<String, String> defines = new HashMap<>(Map.of("K", "" + k, "A_BITS", "" + actBits, "W_BITS",
                "" + weightBits, "OUT_FLOAT", outFloat ? "1" : "0"));
        if (ssboInput) {
            defines.put("SRC_SSBO", "1");
        }
        return convs.computeIfAbsent(key, x -> ShaderProgram.compute("nn/int4_conv.comp", defines));
    }

    /**
     * Integer conv with ELU and requantization into packed 4-bit codes; {@code debugAcc} (0: none) receives the int32
     * accumulators, OHW.
     */
    public void conv(Int4Tensor in, Int4Conv c, Int4Tensor out, int debugAcc) {
        conv(in, c, out, debugAcc, RowBand.all(out.height));
    }

    /** {@link #conv(Int4Tensor, Int4Conv, Int4Tensor, int)} over one band of output rows. */
    public void conv(Int4Tensor in, Int4Conv c, Int4Tensor out, int debugAcc, RowBand band) {
        ActivationQuant q = c.output();
        if (q == null || q.bits() != 4 || out.bits != 4) {
            throw new IllegalArgumentException(c.conv.layer().name() + ": not a 4-bit output");
        }
        ShaderProgram p = dispatchSetup(in, c, out.channels, out.height, out.width, debugAcc);
        p.set("uRowStart", band.start());
        p.set("uOutLo", q.lo()).set("uOutHi", q.hi()).set("uOutScale", q.scale()).set("uOutZero", q.zeroPoint());
        out.bind(3);
        dispatch(out.channels, out.width, band);
    }

    /** Integer conv with an FP32 output y = alpha acc + c (kernel prediction), CHW in {@code out}. */
    public void convFloat(Int4Tensor in, Int4Conv c, GpuTensor out, int debugAcc) {
        convFloat(in, c, out, debugAcc, RowBand.all(out.height));
    }

    /** {@link #convFloat(Int4Tensor, Int4Conv, GpuTensor, int)} over one band of output rows. */
    public void convFloat(Int4Tensor in, Int4Conv c, GpuTensor out, int debugAcc, RowBand band) {
        if (c.output() != null) {
            throw new IllegalArgumentException(c.conv.layer().name() + " has a quantized output");
        }
        dispatchSetup(in, c, out.channels, out.height, out.width, debugAcc).set("uRowStart", band.start());
        out.bind(3);
        dispatch(out.channels, out.width, band);
    }

    private ShaderProgram dispatchSetup(Int4Tensor in, Int4Conv c, int outChannels, int h, int w, int debugAcc) {
        if (in.height != h || in.width != w || in.channels != c.conv.inChannels() || in.bits != c.actBits
                || outChannels != c.conv.outChannels()) {
            throw new IllegalArgumentException(c.conv.layer().name() + ": " + in + " -> " + outChannels + "x" + h
                    + "x" + w);
        }
        boolean ssboInput = forceSsboInput || !in.fitsTexture();
        ShaderProgram p = conv(c.conv.kernelSize(), c.actBits, c.weightBits, c.output() == null, ssboInput);
        p.use().set("uInGroups", in.groups()).set("uOutChannels", outChannels).set("uHeight", h).set("uWidth", w)
                .set("uPadWord", Int4Conv.padWord(c.conv)).set("uDebug", debugAcc != 0);
        if (ssboInput) {
            in.bind(0);
        } else {
            in.bindTexture(0);
        }
        c.weightTexture.bind(1);
        c.epilogue.bind(2);
        glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 4, debugAcc != 0 ? debugAcc : noDebug);
        return p;
    }

    private static void dispatch(int channels, int w, RowBand band) {
        glMemoryBarrier(GL_TEXTURE_FETCH_BARRIER_BIT);   // the input was written as an SSBO
        glDispatchCompute(groups(groups(w, PIX_BLOCK), 8), band.groups(), groups(channels, OUT_BLOCK));
        barrier();
    }

    /** Quantizes an FP32 tensor into packed 8-bit codes (the network input). */
    public void quantize(GpuTensor in, ActivationQuant q, Int4Tensor out) {
        if (q.bits() != 8 || out.bits != 8 || in.channels != out.channels || in.height != out.height
                || in.width != out.width) {
            throw new IllegalArgumentException("quantize " + in + " -> " + out + " with " + q.bits() + " bits");
        }
        quantize8.use().set("uChannels", in.channels).set("uHeight", in.height).set("uWidth", in.width)
                .set("uLo", q.lo()).set("uHi", q.hi()).set("uScale", q.scale()).set("uZero", q.zeroPoint());
        in.bind(0);
        out.bind(1);
        glDispatchCompute(groups(in.width, 8), groups(in.height, 8), out.groups());
        barrier();
    }

    /** 2x2 max pooling of packed 4-bit codes. */
    public void maxPool(Int4Tensor in, Int4Tensor out) {
        resample(in, out, 0, in.height != 2 * out.height || in.width != 2 * out.width);
    }

    /** 2x nearest upsampling of packed 4-bit codes. */
    public void upsampleNearest(Int4Tensor in, Int4Tensor out) {
        resample(in, out, 1, out.height != 2 * in.height || out.width != 2 * in.width);
    }

    private void resample(Int4Tensor in, Int4Tensor out, int mode, boolean badSize) {
        if (badSize || in.channels != out.channels || in.bits != 4 || out.bits != 4) {
            throw new IllegalArgumentException("resample " + in + " -> " + out);
        }
        resample.use().set("uGroups", out.groups()).set("uHeight", out.height).set("uWidth", out.width)
                .set("uMode", mode);
        in.bind(0);
        out.bind(1);
        glDispatchCompute(groups(out.width, 8), groups(out.height, 8), out.groups());
        barrier();
    }

    /** Channel concatenation: whole channel groups, so appending the packed buffers. */
    public void concat(List<Int4Tensor> in, Int4Tensor out) {
        long offset = 0;
        int channels = 0;
        for (Int4Tensor t : in) {
            if (t.height != out.height || t.width != out.width || t.bits != out.bits) {
                throw new IllegalArgumentException("concat " + in + " -> " + out);
            }
            glCopyNamedBufferSubData(t.buffer(), out.buffer(), 0, offset, (long) t.words() * Integer.BYTES);
            offset += (long) t.words() * Integer.BYTES;
            channels += t.channels;
        }
        if (channels != out.channels) {
            throw new IllegalArgumentException("concat " + in + " -> " + out);
        }
        barrier();
    }

    @Override
    public void close() {
        convs.values().forEach(ShaderProgram::close);
        quantize8.close();
        resample.close();
        glDeleteBuffers(noDebug);
    }
}
