package org.reconview.nn.gl;

import static org.lwjgl.opengl.GL45C.GL_R32I;
import static org.lwjgl.opengl.GL45C.GL_SHADER_STORAGE_BARRIER_BIT;
import static org.lwjgl.opengl.GL45C.GL_TEXTURE_FETCH_BARRIER_BIT;
import static org.lwjgl.opengl.GL45C.glDispatchCompute;
import static org.lwjgl.opengl.GL45C.glMemoryBarrier;

import java.util.List;
import java.util.Map;
import org.reconview.gl.ShaderProgram;
import org.reconview.gl.StorageBuffer;
import org.reconview.nn.ActivationQuant;
import org.reconview.nn.CadyqModel;
import org.reconview.nn.LayerSpec;
import org.reconview.nn.QuantizedConv;

/**
 * One selected conv of CADyQ QW-Net as a compute pass ({@code shaders/nn/cadyq_conv.comp}; golden: {@link CadyqModel}):
 * its integer weights, each candidate width's alpha and c, and each width's quantizer, uploaded once; {@link #run}
 * quantizes the float carrier on load at each output tile's width, accumulates in int32 and writes ELU(alpha acc + c).
 */
public final class CadyqConvPass implements AutoCloseable {
    private final LayerSpec layer;
    private final List<Integer> widths;
    private final ShaderProgram program;
    private ShaderProgram ssboProgram;   // for codes over GL_MAX_TEXTURE_BUFFER_SIZE; made when first needed
    /** Tests: read the codes as an SSBO, as for inputs over GL_MAX_TEXTURE_BUFFER_SIZE. */
    boolean forceSsboInput;
    private final StorageBuffer weights;
    private final StorageBuffer epilogue;
    private final float[] lo;
    private final float[] hi;
    private final float[] scale;
    private final int[] zero;

    private final StorageBuffer fixedBits;
    private final ShaderProgram quantize;
    /** Each candidate's codes of the current input (one int each), reallocated when the input's size changes. */
    private GpuTensor codes;

    /** A selected conv: every candidate width of the model. */
    public static CadyqConvPass selected(CadyqModel model, LayerSpec layer) {
        List<QuantizedConv> forms = new java.util.ArrayList<>();
        for (int b : model.spec().candidates()) {
            forms.add(model.conv(layer.name(), b));
        }
        return new CadyqConvPass(layer, model.spec().candidates(), forms, false);
    }

    /** A fixed-width conv (the 8-bit input conv, a kernel-prediction conv): one width over the whole image. */
    public static CadyqConvPass fixed(CadyqModel model, LayerSpec layer) {
        QuantizedConv c = model.fixedConv(layer.name());
        return new CadyqConvPass(layer, List.of(c.input().bits()), List.of(c), true);
    }

    private CadyqConvPass(LayerSpec layer, List<Integer> widths, List<QuantizedConv> forms, boolean fixedWidth) {
        this.layer = layer;
        this.widths = List.copyOf(widths);
        int k = widths.size();
        int o = layer.outChannels();
        int[] codes = forms.get(0).weights().codes();
        float[] w = new float[codes.length];
        for (int i = 0; i < codes.length; i++) {
            w[i] = Float.intBitsToFloat(codes[i]);
        }
        weights = new StorageBuffer(w);
        float[] e = new float[2 * k * o];
        lo = new float[k];
        hi = new float[k];
        scale = new float[k];
        zero = new int[k];
        for (int j = 0; j < k; j++) {
            QuantizedConv c = forms.get(j);
            System.arraycopy(c.alpha(), 0, e, j * o, o);
            System.arraycopy(c.c(), 0, e, (k + j) * o, o);
            ActivationQuant q = c.input();
            lo[j] = q.lo();
            hi[j] = q.hi();
            scale[j] = q.scale();
            zero[j] = q.zeroPoint();
        }
        epilogue = new StorageBuffer(e);
        fixedBits = fixedWidth ? new StorageBuffer(new float[] {Float.intBitsToFloat(widths.get(0))}) : null;
        program = ShaderProgram.compute("nn/cadyq_conv.comp", Map.of("K", Integer.toString(layer.op().kernelSize())));
        quantize = ShaderProgram.compute("nn/cadyq_quantize.comp", Map.of());
    }

    /** A fixed-width conv on {@code in} into {@code out} (no activation for kernel prediction: softmax follows). */
    public void runFixed(GpuTensor in, GpuTensor out) {
        quantize(in);
        convFixed(in, out, RowBand.all(out.height));
    }

    /** The conv half of {@link #runFixed} over one band of output rows, after a {@link #quantize}. */
    public void convFixed(GpuTensor in, GpuTensor out, RowBand band) {
        if (fixedBits == null) {
            throw new IllegalStateException(layer.name() + " chooses widths per tile");
        }
        conv(in, fixedBits, Math.max(in.height, in.width), 1, out, null, band);
    }

    /**
     * The conv on {@code in} (the float carrier at the layer's scale) with the tile widths {@code bits} (ints, tiles
     * of {@code tileAtScale} in rows of {@code tilesX}) into {@code out}; with {@code acc} non-null, the int32
     * accumulators too (tests).
     */
    public void run(GpuTensor in, StorageBuffer bits, int tileAtScale, int tilesX, GpuTensor out, StorageBuffer acc) {
        quantize(in);
        conv(in, bits, tileAtScale, tilesX, out, acc, RowBand.all(out.height));
    }

    /** The first half of {@link #run}: the carrier {@code in} quantized once per candidate width. */
    public void quantize(GpuTensor in) {
        if (in.channels != layer.inChannels()) {
            throw new IllegalArgumentException(layer.name() + ": " + in);
        }
        int k = widths.size();
        if (codes == null || codes.height != in.height || codes.width != in.width) {
            if (codes != null) {
                codes.close();
            }
            codes = new GpuTensor(k * in.channels, in.height, in.width);
        }
        quantize.use().set("uChannels", in.channels).set("uHeight", in.height).set("uWidth", in.width)
                .set("uCandidates", k);
        for (int j = 0; j < k; j++) {
            quantize.set("uWidths[" + j + "]", widths.get(j)).set("uLo[" + j + "]", lo[j]).set("uHi[" + j + "]", hi[j])
                    .set("uScale[" + j + "]", scale[j]).set("uZero[" + j + "]", zero[j]);
        }
        in.bind(0);
        codes.bind(1);
        glDispatchCompute((in.width + 7) / 8, (in.height + 7) / 8, in.channels);
        glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT);
    }

    /** The second half of {@link #run} over one band of output rows, on the codes of the last {@link #quantize}. */
    public void conv(GpuTensor in, StorageBuffer bits, int tileAtScale, int tilesX, GpuTensor out, StorageBuffer acc,
            RowBand band) {
        if (in.channels != layer.inChannels() || out.channels != layer.outChannels() || in.height != out.height
                || in.width != out.width || codes == null || codes.height != in.height || codes.width != in.width) {
            throw new IllegalArgumentException(layer.name() + ": " + in + " -> " + out);
        }
        int k = widths.size();
        boolean ssboInput = forceSsboInput || !codes.fitsTexture();
        if (ssboInput && ssboProgram == null) {
            ssboProgram = ShaderProgram.compute("nn/cadyq_conv.comp", Map.of("K",
                    Integer.toString(layer.op().kernelSize()), "SRC_SSBO", "1"));
        }
        ShaderProgram program = ssboInput ? ssboProgram : this.program;
        program.use().set("uInChannels", in.channels).set("uOutChannels", out.channels).set("uHeight", in.height)
                .set("uWidth", in.width).set("uTile", tileAtScale).set("uTilesX", tilesX)
                .set("uCandidates", k).set("uElu", layer.activation() == LayerSpec.Activation.ELU)
                .set("uDebug", acc != null).set("uRowStart", band.start());
        for (int j = 0; j < k; j++) {
            program.set("uWidths[" + j + "]", widths.get(j)).set("uZero[" + j + "]", zero[j]);
        }
        if (ssboInput) {
            codes.bind(0);
        } else {
            codes.bindTexture(0, GL_R32I);
        }
        weights.bindTexture(1, GL_R32I);
        epilogue.bind(2);
        bits.bind(3);
        out.bind(4);
        (acc != null ? acc : bits).bind(5);
        glMemoryBarrier(GL_TEXTURE_FETCH_BARRIER_BIT);   // the codes were written as an SSBO
        glDispatchCompute((in.width + 4 * 8 - 1) / (4 * 8), band.groups(), (out.channels + 7) / 8);
        glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT);
    }

    @Override
    public void close() {
        if (fixedBits != null) {
            fixedBits.close();
        }
        if (codes != null) {
            codes.close();
        }
        quantize.close();
        weights.close();
        epilogue.close();
        program.close();
        if (ssboProgram != null) {
            ssboProgram.close();
        }
    }
}
