package org.reconview.metrics;

import static org.lwjgl.opengl.GL45C.*;

import java.util.HashMap;
import java.util.Map;
import org.reconview.gl.ShaderProgram;
import org.reconview.gl.StorageBuffer;
import org.reconview.gl.Texture2D;

/**
 * PSNR, SSIM and the temporal error of one frame on the GPU, for one image size: compute shaders with reductions, so
 * only a few floats come back per frame, never an image. The same definitions as the golden {@link Psnr}, {@link Ssim}
 * (Wang et al. 2004, as scikit-image computes it) and {@link TemporalError} (the paper's eq. 2), in float32, checked
 * against them in tests (256x256: PSNR within 1e-3 dB, SSIM within 1e-5).
 * <p>
 * {@link #evaluate} runs four passes ({@code shaders/metrics/}): {@code encode.comp} display-encodes both images into
 * two RGBA32F textures and sums squared errors per 16x16 workgroup; {@code ssim_horizontal.comp} and
 * {@code ssim_vertical.comp} apply the separable 11-tap Gaussian window (moments taken about the centre pixel so
 * float32 stays accurate on flat regions; an SSBO of 5 vec4 per pixel between them), compute the SSIM map on the valid
 * region and sum it per workgroup; {@code reduce.comp} adds the per-workgroup partial sums (Kahan, then a tree) into
 * two floats that are read back. {@link #temporalError} runs {@code temporal.comp} then {@code reduce.comp}.
 * <p>
 * Inputs are textures of the constructed size, linear HDR RGBA (RGBA32F in reconview; any float format works), row 0
 * = top; R, G, B are compared. Owns its programs, textures and buffers; call on the GL thread.
 */
public final class GpuMetrics implements AutoCloseable {
    /** PSNR in dB (+infinity for identical images) and mean SSIM over R, G, B, on the encoding asked for. */
    public record Result(double psnr, double ssim) {
    }

    /** Workgroups are GROUP x GROUP invocations (the shaders get it as GROUP_SIZE). */
    static final int GROUP = 16;
    /** Quantities per pixel between the two SSIM passes: H1x, H1y, H2x, H2y, Hxy (each a vec4, rgb used). */
    private static final int MOMENTS = 5;

    private final int width;
    private final int height;
    private final int groupsX;
    private final int groupsY;
    /** Slots per partial-sum array: one per workgroup of a full-image dispatch. */
    private final int stride;
    private final ShaderProgram encode;
    private final ShaderProgram ssimHorizontal;
    private final ShaderProgram ssimVertical;
    private final ShaderProgram reduce;
    private final ShaderProgram temporal;
    private final Texture2D encodedImage;
    private final Texture2D encodedReference;
    /** The last evaluate's SSIM map (R32F; NaN where the window does not fit), as {@link Ssim#map} defines it. */
    private final Texture2D ssimMap;
    private final StorageBuffer horizontal;
    private final StorageBuffer partials;
    private final StorageBuffer sums;

    /** For images of {@code width x height}; both must be at least 11 (the SSIM window). */
    public GpuMetrics(int width, int height) {
        Ssim.checkSize(width, height);
        this.width = width;
        this.height = height;
        groupsX = (width + GROUP - 1) / GROUP;
        groupsY = (height + GROUP - 1) / GROUP;
        stride = groupsX * groupsY;
        Map<String, String> defines = new HashMap<>(DisplayEncoding.shaderDefines());
        defines.putAll(Ssim.shaderDefines());
        defines.put("GROUP_SIZE", Integer.toString(GROUP));
        encode = ShaderProgram.compute("metrics/encode.comp", defines);
        ssimHorizontal = ShaderProgram.compute("metrics/ssim_horizontal.comp", defines);
        ssimVertical = ShaderProgram.compute("metrics/ssim_vertical.comp", defines);
        reduce = ShaderProgram.compute("metrics/reduce.comp", defines);
        temporal = ShaderProgram.compute("metrics/temporal.comp", defines);
        encodedImage = new Texture2D(width, height, GL_RGBA32F);
        encodedReference = new Texture2D(width, height, GL_RGBA32F);
        ssimMap = new Texture2D(width, height, GL_R32F);
        horizontal = StorageBuffer.ofFloats((long) MOMENTS * width * height * 4);
        partials = StorageBuffer.ofFloats(2L * stride);
        sums = StorageBuffer.ofFloats(4);
    }

    /** The display-encoded image of the last {@link #evaluate} (RGBA32F), valid until the next one. */
    public Texture2D encodedImage() {
        return encodedImage;
    }

    /** The per-pixel SSIM of the last {@link #evaluate} (R32F, NaN on the border), valid until the next one. */
    public Texture2D ssimMap() {
        return ssimMap;
    }

    /** The display-encoded reference of the last {@link #evaluate}. */
    public Texture2D encodedReference() {
        return encodedReference;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** PSNR and SSIM of {@code image} against {@code reference} after {@code encoding}. */
    public Result evaluate(Texture2D image, Texture2D reference, DisplayEncoding encoding) {
        check(image, "image");
        check(reference, "reference");
        partials.bind(0);
        horizontal.bind(1);
        sums.bind(2);

        image.bind(0);
        reference.bind(1);
        glBindImageTexture(0, encodedImage.id(), 0, false, 0, GL_WRITE_ONLY, GL_RGBA32F);
        glBindImageTexture(1, encodedReference.id(), 0, false, 0, GL_WRITE_ONLY, GL_RGBA32F);
        encode.use().set("uEncoding", encoding.shaderCode()).set("uStride", stride);
        glDispatchCompute(groupsX, groupsY, 1);
        glMemoryBarrier(GL_TEXTURE_FETCH_BARRIER_BIT | GL_SHADER_STORAGE_BARRIER_BIT);

        encodedImage.bind(0);
        encodedReference.bind(1);
        ssimHorizontal.use();
        glDispatchCompute(groupsX, groupsY, 1);
        glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT);

        int validW = width - 2 * Ssim.RADIUS;
        int validH = height - 2 * Ssim.RADIUS;
        int vx = (validW + GROUP - 1) / GROUP;
        int vy = (validH + GROUP - 1) / GROUP;
        glClearTexImage(ssimMap.id(), 0, GL_RED, GL_FLOAT, new float[] {Float.NaN});
        glBindImageTexture(2, ssimMap.id(), 0, false, 0, GL_WRITE_ONLY, GL_R32F);
        ssimVertical.use().set("uStride", stride);
        glDispatchCompute(vx, vy, 1);
        glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT | GL_TEXTURE_FETCH_BARRIER_BIT | GL_SHADER_IMAGE_ACCESS_BARRIER_BIT);

        float[] s = sum(stride, vx * vy);
        double mse = s[0] / (3.0 * width * height);
        double ssim = s[1] / (3.0 * validW * validH);
        return new Result(Psnr.fromMse(mse), ssim);
    }

    /**
     * The temporal error (see {@link TemporalError}) of {@code output} given the previous output warped to this frame
     * ({@code outputPrevWarped}, whose ALPHA is the validity: 1 valid, 0 invalid, threshold 0.5), the reference and
     * the previous reference warped alike. NaN when no pixel is valid.
     */
    public double temporalError(Texture2D output, Texture2D outputPrevWarped, Texture2D reference,
            Texture2D referencePrevWarped, DisplayEncoding encoding) {
        check(output, "output");
        check(outputPrevWarped, "outputPrevWarped");
        check(reference, "reference");
        check(referencePrevWarped, "referencePrevWarped");
        partials.bind(0);
        sums.bind(2);
        output.bind(0);
        outputPrevWarped.bind(1);
        reference.bind(2);
        referencePrevWarped.bind(3);
        temporal.use().set("uEncoding", encoding.shaderCode()).set("uStride", stride);
        glDispatchCompute(groupsX, groupsY, 1);
        glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT);
        float[] s = sum(stride, stride);
        return s[1] == 0 ? Double.NaN : s[0] / (3.0 * s[1]);
    }

    /** Runs reduce.comp over the first {@code count0} and {@code count1} slots of the two partial arrays. */
    private float[] sum(int count0, int count1) {
        reduce.use().set("uStride", stride).set("uCount0", count0).set("uCount1", count1);
        glDispatchCompute(2, 1, 1);
        glMemoryBarrier(GL_BUFFER_UPDATE_BARRIER_BIT);
        return sums.read(2);
    }

    private void check(Texture2D t, String name) {
        if (t.width() != width || t.height() != height) {
            throw new IllegalArgumentException(name + ": " + t.width() + "x" + t.height() + ", metrics built for "
                    + width + "x" + height);
        }
    }

    @Override
    public void close() {
        encode.close();
        ssimHorizontal.close();
        ssimMap.close();
        ssimVertical.close();
        reduce.close();
        temporal.close();
        encodedImage.close();
        encodedReference.close();
        horizontal.close();
        partials.close();
        sums.close();
    }
}
