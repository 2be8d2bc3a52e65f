package org.reconview.metrics;

import static org.lwjgl.opengl.GL45C.*;

import java.util.HashMap;
import java.util.Map;
import org.reconview.gl.ShaderProgram;
import org.reconview.gl.StorageBuffer;
import org.reconview.gl.Texture2D;
import org.reconview.io.FloatImage;

/**
 * NVIDIA FLIP on the GPU: the compute-shader twin of the golden {@link Flip} (LDR-FLIP and HDR-FLIP, FLIP v1.6), in
 * float32, checked against it in {@code GpuFlipTest} (per pixel within 1e-3, mean within 1e-4).
 * <p>
 * One evaluation at one exposure is three passes ({@code shaders/metrics/}):
 * <ol>
 *   <li>{@code flip_ycxcz.comp}: both inputs to linear RGB in the unit cube (sRGB decoded, linear clamped, or exposed
 *       and ACES tone-mapped), then YCxCz ({@link Flip}'s {@code linearFromSrgb}, {@code clamped},
 *       {@code toneMapped}, {@code toYCxCz});</li>
 *   <li>{@code flip_horizontal.comp}: the horizontal half of the contrast sensitivity filters and of the Gaussian
 *       derivative filters ({@code csfFiltered}, {@code featureError}, first loop of {@code separable});</li>
 *   <li>{@code flip_error.comp}: their vertical half, the Hunt/HyAB colour error with its redistribution, the feature
 *       error and {@code colour ^ (1 - feature)} ({@code colourError}, {@code featureError}, {@code ldrFlip}); for
 *       HDR the running per-pixel maximum over exposures ({@code hdrMap}); per-workgroup partial sums of the map;</li>
 * </ol>
 * then {@code flip_reduce.comp} adds the partial sums for {@link #mean()} ({@code Flip.mean}). HDR runs the three
 * passes once per exposure. Kernels are {@link Flip}'s own ({@code csfKernels}, {@code featureKernels}), uploaded as
 * floats; {@link Flip}'s constants reach the shaders as {@code #define}s ({@link #shaderDefines()}).
 * <p>
 * Inputs are textures of equal size, RGBA (RGBA32F in reconview; R, G, B used), row 0 = top. The map is an R32F
 * texture owned by this object ({@link #map()}), overwritten by the next evaluation and replaced when the image size
 * changes; scratch buffers follow the size of the last inputs, the kernels the last pixels per degree. Call on the GL
 * thread.
 */
public final class GpuFlip implements AutoCloseable {
    /** What an LDR evaluation's input textures hold. */
    public enum LdrInput {
        /** Display-encoded sRGB values, as {@link Flip#ldrMap} takes them (decoded, then clamped to [0, 1]). */
        SRGB(INPUT_SRGB),
        /**
         * Linear values, clamped to [0, 1] (NaN to 0): {@link Flip#ldrMap} of {@code ImageComparison.srgbOfClamped}
         * of them, whose encode-then-decode is skipped (it is the identity up to rounding).
         */
        LINEAR(INPUT_LINEAR);

        final int code;

        LdrInput(int code) {
            this.code = code;
        }
    }

    /** Workgroups are GROUP x GROUP invocations (GROUP_SIZE in the shaders), as in {@link GpuMetrics}. */
    static final int GROUP = 16;
    private static final int INPUT_SRGB = 0;
    private static final int INPUT_LINEAR = 1;
    private static final int INPUT_HDR = 2;

    private final ShaderProgram ycxcz;
    private final ShaderProgram horizontal;
    private final ShaderProgram error;
    private final ShaderProgram reduce;
    private final StorageBuffer total = StorageBuffer.ofFloats(4);

    // Size-dependent scratch, (re)made by ensureSize; width 0 until the first evaluation.
    private int width;
    private int height;
    private int groupsX;
    private int groupsY;
    private StorageBuffer ycxczBuffer;
    private StorageBuffer horizontalBuffer;
    private StorageBuffer partials;
    private Texture2D map;
    /** Whether {@link #map} holds a finished evaluation (for {@link #mean()}). */
    private boolean evaluated;

    // ppd-dependent kernels, made by ensureKernels.
    private double kernelPpd = Double.NaN;
    private int csfRadius;
    private int featureRadius;
    private StorageBuffer kernels;

    public GpuFlip() {
        Map<String, String> defines = shaderDefines();
        ycxcz = ShaderProgram.compute("metrics/flip_ycxcz.comp", defines);
        horizontal = ShaderProgram.compute("metrics/flip_horizontal.comp", defines);
        error = ShaderProgram.compute("metrics/flip_error.comp", defines);
        reduce = ShaderProgram.compute("metrics/flip_reduce.comp", defines);
    }

    /** The {@code #define}s of the FLIP shaders: Flip's constants as float literals, the input codes, GROUP_SIZE. */
    static Map<String, String> shaderDefines() {
        Map<String, String> d = new HashMap<>();
        d.put("GROUP_SIZE", Integer.toString(GROUP));
        d.put("FLIP_INPUT_SRGB", Integer.toString(INPUT_SRGB));
        d.put("FLIP_INPUT_LINEAR", Integer.toString(INPUT_LINEAR));
        d.put("FLIP_INPUT_HDR", Integer.toString(INPUT_HDR));
        d.put("FLIP_QC", lit(Flip.QC));
        d.put("FLIP_QF", lit(Flip.QF));
        d.put("FLIP_PT", lit(Flip.PT));
        d.put("FLIP_CMAX", lit(Flip.CMAX));
        // Flip.colourError's products, formed in double as there.
        d.put("FLIP_PC_CMAX", lit(Flip.PC * Flip.CMAX));
        d.put("FLIP_PT_OVER_PC_CMAX", lit(Flip.PT / (Flip.PC * Flip.CMAX)));
        d.put("FLIP_INV_SQRT2", lit(1.0 / Math.sqrt(2.0)));
        d.put("FLIP_WHITE", vec3(Flip.WHITE_X, Flip.WHITE_Y, Flip.WHITE_Z));
        for (int i = 0; i < 3; i++) {
            d.put("FLIP_RGB_TO_XYZ_" + i, vec3(Flip.RGB_TO_XYZ[i][0], Flip.RGB_TO_XYZ[i][1], Flip.RGB_TO_XYZ[i][2]));
            d.put("FLIP_XYZ_TO_RGB_" + i, vec3(Flip.XYZ_TO_RGB[i][0], Flip.XYZ_TO_RGB[i][1], Flip.XYZ_TO_RGB[i][2]));
        }
        double[] k = {Flip.ACES_K0, Flip.ACES_K1, Flip.ACES_K2, Flip.ACES_K3, Flip.ACES_K4, Flip.ACES_K5};
        for (int i = 0; i < k.length; i++) {
            d.put("FLIP_ACES_K" + i, lit(k[i]));
        }
        return d;
    }

    /** A GLSL float literal of {@code v} rounded to float: Float.toString's shortest form reads back to that float. */
    private static String lit(double v) {
        return "(" + Float.toString((float) v) + ")";
    }

    private static String vec3(double x, double y, double z) {
        return "vec3(" + lit(x) + ", " + lit(y) + ", " + lit(z) + ")";
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Evaluations that leave the map on the GPU.

    /**
     * LDR-FLIP ({@link Flip#ldrMap}) of {@code test} against {@code reference}; returns the error map, an R32F
     * texture (one channel in [0, 1]) owned by this object and valid until the next evaluation, ready to be sampled
     * (for a colour map) or reduced by {@link #mean()}.
     */
    public Texture2D evaluateLdr(Texture2D test, Texture2D reference, double pixelsPerDegree, LdrInput input) {
        prepare(test, reference, pixelsPerDegree);
        pass(test, reference, input.code, 1.0f, false, true);
        evaluated = true;
        return map;
    }

    /**
     * HDR-FLIP ({@link Flip#hdrMap}) of linear {@code test} against linear {@code reference} over the exposures
     * {@code e}; returns the map as {@link #evaluateLdr} does. {@code e} is required: the default range needs the
     * reference's median luminance, which {@link Flip#defaultExposures} computes on the CPU image.
     */
    public Texture2D evaluateHdr(Texture2D test, Texture2D reference, double pixelsPerDegree, Flip.Exposures e) {
        if (e == null) {
            throw new IllegalArgumentException("GpuFlip needs the exposures (Flip.defaultExposures(reference image))");
        }
        prepare(test, reference, pixelsPerDegree);
        for (int i = 0; i < e.count(); i++) {
            pass(test, reference, INPUT_HDR, (float) Math.pow(2.0, e.exposure(i)), true, i == 0);
        }
        evaluated = true;
        return map;
    }

    /** The map of the last evaluation (see {@link #evaluateLdr}). */
    public Texture2D map() {
        if (!evaluated) {
            throw new IllegalStateException("no FLIP evaluation yet");
        }
        return map;
    }

    /** The mean of the last evaluation's map (Flip's {@code mean}): a reduction on the GPU, one float read back. */
    public double mean() {
        map();
        partials.bind(3);
        total.bind(4);
        reduce.use().set("uCount", groupsX * groupsY);
        glDispatchCompute(1, 1, 1);
        glMemoryBarrier(GL_BUFFER_UPDATE_BARRIER_BIT);
        return total.read(1)[0] / ((double) width * height);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Convenience: maps read back and means, named as Flip's.

    /** {@link Flip#ldrMap} of display-encoded sRGB textures, read back as a one-channel image. */
    public FloatImage ldrMap(Texture2D test, Texture2D reference, double pixelsPerDegree) {
        return download(evaluateLdr(test, reference, pixelsPerDegree, LdrInput.SRGB));
    }

    /** {@link Flip#ldrMean} of display-encoded sRGB textures. */
    public double ldrMean(Texture2D test, Texture2D reference, double pixelsPerDegree) {
        evaluateLdr(test, reference, pixelsPerDegree, LdrInput.SRGB);
        return mean();
    }

    /** {@link Flip#ldrMap} of {@code ImageComparison.srgbOfClamped} of linear textures, read back. */
    public FloatImage ldrMapOfLinear(Texture2D test, Texture2D reference, double pixelsPerDegree) {
        return download(evaluateLdr(test, reference, pixelsPerDegree, LdrInput.LINEAR));
    }

    /** {@link Flip#ldrMean} of {@code ImageComparison.srgbOfClamped} of linear textures (what ImageComparison reports). */
    public double ldrMeanOfLinear(Texture2D test, Texture2D reference, double pixelsPerDegree) {
        evaluateLdr(test, reference, pixelsPerDegree, LdrInput.LINEAR);
        return mean();
    }

    /** {@link Flip#hdrMap} of linear textures over exposures {@code e} (required), read back. */
    public FloatImage hdrMap(Texture2D test, Texture2D reference, double pixelsPerDegree, Flip.Exposures e) {
        return download(evaluateHdr(test, reference, pixelsPerDegree, e));
    }

    /** {@link Flip#hdrMean} of linear textures over exposures {@code e} (required). */
    public double hdrMean(Texture2D test, Texture2D reference, double pixelsPerDegree, Flip.Exposures e) {
        evaluateHdr(test, reference, pixelsPerDegree, e);
        return mean();
    }

    private FloatImage download(Texture2D t) {
        return new FloatImage(t.width(), t.height(), 1, t.download(1));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Passes.

    private void prepare(Texture2D test, Texture2D reference, double ppd) {
        if (test.width() != reference.width() || test.height() != reference.height()) {
            throw new IllegalArgumentException("test is " + test.width() + "x" + test.height() + ", reference "
                    + reference.width() + "x" + reference.height());
        }
        if (!(ppd > 0) || !Double.isFinite(ppd)) {
            throw new IllegalArgumentException("pixels per degree must be positive and finite: " + ppd);
        }
        evaluated = false;
        ensureSize(reference.width(), reference.height());
        ensureKernels(ppd);
    }

    /** One exposure: flip_ycxcz, flip_horizontal, flip_error. */
    private void pass(Texture2D test, Texture2D reference, int input, float scale, boolean max, boolean first) {
        ycxczBuffer.bind(0);
        horizontalBuffer.bind(1);
        kernels.bind(2);
        partials.bind(3);
        test.bind(0);
        reference.bind(1);
        ycxcz.use().setInt2("uSize", width, height).set("uInput", input).set("uScale", scale);
        glDispatchCompute(groupsX, groupsY, 1);
        glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT);

        horizontal.use().setInt2("uSize", width, height).set("uCsfRadius", csfRadius)
                .set("uFeatureRadius", featureRadius);
        glDispatchCompute(groupsX, groupsY, 1);
        glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT);

        glBindImageTexture(0, map.id(), 0, false, 0, GL_READ_WRITE, GL_R32F);
        error.use().setInt2("uSize", width, height).set("uCsfRadius", csfRadius).set("uFeatureRadius", featureRadius)
                .set("uMax", max).set("uFirst", first);
        glDispatchCompute(groupsX, groupsY, 1);
        // The next exposure reads the map as an image, the caller samples or downloads it, mean() reads partials.
        glMemoryBarrier(GL_SHADER_IMAGE_ACCESS_BARRIER_BIT | GL_SHADER_STORAGE_BARRIER_BIT
                | GL_TEXTURE_FETCH_BARRIER_BIT | GL_TEXTURE_UPDATE_BARRIER_BIT);
    }

    private void ensureSize(int w, int h) {
        if (w == width && h == height) {
            return;
        }
        freeSized();
        width = w;
        height = h;
        groupsX = (w + GROUP - 1) / GROUP;
        groupsY = (h + GROUP - 1) / GROUP;
        long n = (long) w * h;
        ycxczBuffer = StorageBuffer.ofFloats(2 * n * 4);        // 2 images x vec4
        horizontalBuffer = StorageBuffer.ofFloats(4 * n * 4);   // 2 images x 2 vec4
        partials = StorageBuffer.ofFloats((long) groupsX * groupsY);
        map = new Texture2D(w, h, GL_R32F);
    }

    private void freeSized() {
        if (width == 0) {
            return;
        }
        ycxczBuffer.close();
        horizontalBuffer.close();
        partials.close();
        map.close();
        width = 0;
        height = 0;
    }

    private void ensureKernels(double ppd) {
        if (ppd == kernelPpd) {
            return;
        }
        float[] k = kernels(ppd);
        if (kernels != null) {
            kernels.close();
        }
        kernels = new StorageBuffer(k);
        kernelPpd = ppd;
        csfRadius = Flip.spatialRadius(ppd);
        featureRadius = Flip.featureRadius(ppd);
    }

    // Kernels: Flip's own, uploaded as float.

    /**
     * The kernel SSBO: {@code 2 r + 1} vec4 (kY, kCx, kCz1, kCz2) of {@link Flip#csfKernels}, r =
     * {@link Flip#spatialRadius}, then {@code 2 rf + 1} vec4 (G, dG, ddG, 0) of {@link Flip#featureKernels}, rf =
     * {@link Flip#featureRadius}, offsets from -r.
     */
    static float[] kernels(double ppd) {
        double[][] csf = Flip.csfKernels(ppd);
        double[][] feature = Flip.featureKernels(ppd);
        int n = csf[0].length;
        int nf = feature[0].length;
        float[] out = new float[4 * (n + nf)];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 4; c++) {
                out[4 * i + c] = (float) csf[c][i];
            }
        }
        for (int i = 0; i < nf; i++) {
            for (int c = 0; c < 3; c++) {
                out[4 * (n + i) + c] = (float) feature[c][i];
            }
        }
        return out;
    }

    @Override
    public void close() {
        ycxcz.close();
        horizontal.close();
        error.close();
        reduce.close();
        total.close();
        freeSized();
        if (kernels != null) {
            kernels.close();
            kernels = null;
        }
    }
}
