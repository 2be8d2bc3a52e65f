package org.reconview.metrics;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwjgl.opengl.GL45C.*;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;
import org.reconview.gl.Texture2D;
import org.reconview.io.FloatImage;

/**
 * {@link GpuFlip} (compute shaders, float32) against the golden {@link Flip} (double) on the same inputs: FlipTest's
 * generated LDR and HDR pairs (whose golden numbers FlipTest checks against NVIDIA's FLIP) and seeded random images,
 * including sizes that are not multiples of the 16x16 workgroup. The bar is the issue's: per pixel within 1e-3, mean
 * within 1e-4. Identical images must give exactly 0.
 */
class GpuFlipTest {
    static final double PIXEL_TOL = 1e-3;
    static final double MEAN_TOL = 1e-4;

    @BeforeAll
    static void gl() {
        GlTest.context();
    }

    /** An RGBA32F texture of R, G, B of {@code img} (alpha 1), the metrics' input convention. */
    static Texture2D upload(FloatImage img) {
        Texture2D t = new Texture2D(img.width, img.height, GL_RGBA32F);
        t.upload(rgba(img).data, 4);
        return t;
    }

    static FloatImage rgba(FloatImage img) {
        FloatImage out = new FloatImage(img.width, img.height, 4);
        for (int p = 0; p < img.width * img.height; p++) {
            for (int c = 0; c < 3; c++) {
                out.data[p * 4 + c] = img.data[p * img.channels + c];
            }
            out.data[p * 4 + 3] = 1f;
        }
        return out;
    }

    static double mean(FloatImage map) {
        double s = 0;
        for (float v : map.data) {
            s += v;
        }
        return s / map.data.length;
    }

    /**
     * Asserts the GPU map and mean against the golden map: same size, one channel, per pixel and mean within the bar;
     * also that the golden map is far from trivial, so that agreement says something. Prints the differences.
     */
    static void assertMatches(FloatImage golden, FloatImage gpu, double gpuMean, String what) {
        assertEquals(1, gpu.channels, what);
        assertEquals(golden.width, gpu.width, what);
        assertEquals(golden.height, gpu.height, what);
        double goldenMean = mean(golden);
        assertTrue(goldenMean > 0.02, what + ": a pair with visible error, golden mean " + goldenMean);
        double maxDiff = 0;
        int worst = 0;
        for (int i = 0; i < golden.data.length; i++) {
            double d = Math.abs(gpu.data[i] - golden.data[i]);
            if (!(d <= maxDiff)) {
                maxDiff = d;
                worst = i;
            }
        }
        System.out.printf("  %s %dx%d: golden mean %.6f, gpu mean - golden %+.2e (map mean %+.2e), max |pixel diff| "
                + "%.2e at (%d, %d)%n", what, golden.width, golden.height, goldenMean, gpuMean - goldenMean,
                mean(gpu) - goldenMean, maxDiff, worst % golden.width, worst / golden.width);
        assertTrue(maxDiff <= PIXEL_TOL, what + ": pixel (" + worst % golden.width + ", " + worst / golden.width
                + ") golden " + golden.data[worst] + ", gpu " + gpu.data[worst]);
        assertEquals(goldenMean, gpuMean, MEAN_TOL, what + ": mean");
    }

    static void checkLdr(FloatImage test, FloatImage reference, double ppd, String what) {
        FloatImage golden = Flip.ldrMap(test, reference, ppd);
        try (GpuFlip flip = new GpuFlip(); Texture2D t = upload(test); Texture2D r = upload(reference)) {
            FloatImage map = flip.ldrMap(t, r, ppd);
            assertMatches(golden, map, flip.mean(), what + " LDR ppd " + (float) ppd);
            assertEquals(flip.mean(), flip.ldrMean(t, r, ppd), 0.0, "mean() is the mean of that map");
        }
    }

    static void checkHdr(FloatImage test, FloatImage reference, double ppd, Flip.Exposures e, String what) {
        FloatImage golden = Flip.hdrMap(test, reference, ppd, e);
        try (GpuFlip flip = new GpuFlip(); Texture2D t = upload(test); Texture2D r = upload(reference)) {
            FloatImage map = flip.hdrMap(t, r, ppd, e);
            assertMatches(golden, map, flip.mean(), what + " HDR ppd " + (float) ppd + " " + e);
        }
    }

    // ---- FlipTest's pairs (whose golden maps FlipTest checks against NVIDIA's FLIP) ----

    @Test
    void ldrMatchesTheGoldenModelOnFlipTestsPair() {
        FloatImage[] p = FlipTest.ldrPair();
        checkLdr(p[1], p[0], Flip.DEFAULT_PPD, "FlipTest pair");
        checkLdr(p[1], p[0], 24.0, "FlipTest pair");
    }

    @Test
    void hdrMatchesTheGoldenModelOnFlipTestsPair() {
        FloatImage[] p = FlipTest.hdrPair();
        Flip.Exposures defaults = Flip.defaultExposures(p[0]);
        assertEquals(11, defaults.count());
        checkHdr(p[1], p[0], Flip.DEFAULT_PPD, defaults, "FlipTest pair");
        checkHdr(p[1], p[0], 40.0, new Flip.Exposures(-3.0, 2.5, 4), "FlipTest pair");
    }

    // ---- random images ----

    /**
     * Display-encoded sRGB {reference, test}: smooth colour waves plus noise, a few values outside [0, 1] (clamped
     * after decoding, by both models); the test adds noise everywhere and a moved block.
     */
    static FloatImage[] randomLdr(int w, int h, long seed) {
        Random rnd = new Random(seed);
        FloatImage ref = new FloatImage(w, h, 3);
        FloatImage test = new FloatImage(w, h, 3);
        double fx = 0.1 + 0.4 * rnd.nextDouble();
        double fy = 0.1 + 0.4 * rnd.nextDouble();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean block = x >= w / 3 && x < w / 2 && y >= h / 3 && y < h / 2;
                boolean blockMoved = x >= w / 3 + 2 && x < w / 2 + 2 && y >= h / 3 && y < h / 2;
                for (int c = 0; c < 3; c++) {
                    double v = 0.5 + 0.4 * Math.sin(fx * x + 2 * c) * Math.cos(fy * y - c)
                            + 0.1 * (rnd.nextDouble() - 0.5);
                    double r = block ? 0.9 : v;
                    double t = (blockMoved ? 0.9 : v) + 0.08 * rnd.nextGaussian();
                    ref.set(x, y, c, (float) (rnd.nextInt(50) == 0 ? 1.05 : r));
                    test.set(x, y, c, (float) (rnd.nextInt(50) == 0 ? -0.03 : t));
                }
            }
        }
        return new FloatImage[] {ref, test};
    }

    /** Linear HDR {reference, test}: luminance over 2^-6..2^6 with colour, the test with 20 % noise and a bright spot. */
    static FloatImage[] randomHdr(int w, int h, long seed) {
        Random rnd = new Random(seed);
        FloatImage ref = new FloatImage(w, h, 3);
        FloatImage test = new FloatImage(w, h, 3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double lum = Math.pow(2.0, 6.0 * Math.sin(0.19 * x + 0.5) * Math.cos(0.23 * y) + 0.5 * rnd.nextDouble());
                boolean spot = Math.abs(x - w / 2) <= 1 && Math.abs(y - h / 3) <= 1;
                for (int c = 0; c < 3; c++) {
                    double v = lum * (0.3 + 0.7 * rnd.nextDouble());
                    ref.set(x, y, c, (float) v);
                    test.set(x, y, c, (float) (spot ? 150.0 : v * (1.0 + 0.4 * (rnd.nextDouble() - 0.5))));
                }
            }
        }
        return new FloatImage[] {ref, test};
    }

    @Test
    void randomLdrImagesMatchTheGoldenModel() {
        int[][] sizes = {{64, 48}, {37, 23}, {17, 40}};
        long seed = 1;
        for (int[] s : sizes) {
            FloatImage[] p = randomLdr(s[0], s[1], seed++);
            checkLdr(p[1], p[0], Flip.DEFAULT_PPD, "random");
            checkLdr(p[1], p[0], 30.0, "random");
        }
    }

    @Test
    void randomHdrImagesMatchTheGoldenModel() {
        int[][] sizes = {{64, 48}, {37, 23}};
        long seed = 10;
        for (int[] s : sizes) {
            FloatImage[] p = randomHdr(s[0], s[1], seed++);
            checkHdr(p[1], p[0], Flip.DEFAULT_PPD, Flip.defaultExposures(p[0]), "random");
        }
    }

    @Test
    void linearInputsMatchTheGoldenModelOfTheirClampedSrgb() {
        // HDR-range linear values with NaN and negatives: ImageComparison clamps and encodes them for LDR-FLIP.
        FloatImage[] p = randomHdr(37, 23, 20);
        for (FloatImage img : p) {
            for (int i = 0; i < img.data.length; i++) {
                img.data[i] *= 0.1f;
            }
        }
        p[1].set(3, 4, 0, Float.NaN);
        p[1].set(9, 9, 1, -2f);
        p[0].set(20, 10, 2, Float.POSITIVE_INFINITY);
        FloatImage golden = Flip.ldrMap(ImageComparison.srgbOfClamped(p[1]), ImageComparison.srgbOfClamped(p[0]),
                Flip.DEFAULT_PPD);
        try (GpuFlip flip = new GpuFlip(); Texture2D t = upload(p[1]); Texture2D r = upload(p[0])) {
            FloatImage map = flip.ldrMapOfLinear(t, r, Flip.DEFAULT_PPD);
            assertMatches(golden, map, flip.mean(), "linear clamped");
            assertEquals(flip.mean(), flip.ldrMeanOfLinear(t, r, Flip.DEFAULT_PPD), 0.0);
        }
    }

    // ---- exact properties and the object's life ----

    @Test
    void identicalImagesGiveExactlyZero() {
        FloatImage[] ldr = randomLdr(37, 23, 5);
        FloatImage[] hdr = FlipTest.hdrPair();
        try (GpuFlip flip = new GpuFlip(); Texture2D a = upload(ldr[1]); Texture2D b = upload(ldr[1].copy());
                Texture2D c = upload(hdr[0]); Texture2D d = upload(hdr[0].copy())) {
            for (float v : flip.ldrMap(a, b, Flip.DEFAULT_PPD).data) {
                assertEquals(0f, v, 0f);
            }
            assertEquals(0.0, flip.mean(), 0.0);
            assertEquals(0.0, flip.ldrMean(a, a, 24.0), 0.0);
            for (float v : flip.hdrMap(c, d, Flip.DEFAULT_PPD, Flip.defaultExposures(hdr[0])).data) {
                assertEquals(0f, v, 0f);
            }
            assertEquals(0.0, flip.hdrMean(c, c, 40.0, new Flip.Exposures(-2, 2, 3)), 0.0);
        }
    }

    @Test
    void oneObjectServesManySizesAndPpdsAndChecksItsInputs() {
        FloatImage[] small = FlipTest.ldrPair();
        FloatImage[] odd = randomLdr(37, 23, 7);
        try (GpuFlip flip = new GpuFlip(); Texture2D a = upload(small[1]); Texture2D b = upload(small[0]);
                Texture2D c = upload(odd[1]); Texture2D d = upload(odd[0])) {
            FloatImage first = flip.ldrMap(a, b, Flip.DEFAULT_PPD);
            double firstMean = flip.mean();
            flip.ldrMap(c, d, 24.0);   // resizes the scratch and rebuilds the kernels
            assertEquals(37, flip.map().width());
            assertEquals(Flip.ldrMean(odd[1], odd[0], 24.0), flip.mean(), MEAN_TOL);
            Texture2D onGpu = flip.evaluateLdr(a, b, Flip.DEFAULT_PPD, GpuFlip.LdrInput.SRGB);
            assertEquals(32, onGpu.width());
            assertEquals(GL_R32F, onGpu.internalFormat());
            assertArrayEquals(first.data, onGpu.download(1), "deterministic, nothing left from the other size");
            assertEquals(firstMean, flip.mean(), 0.0);
            assertThrows(IllegalArgumentException.class, () -> flip.ldrMap(a, c, Flip.DEFAULT_PPD));
            assertThrows(IllegalArgumentException.class, () -> flip.ldrMap(a, b, 0.0));
            assertThrows(IllegalArgumentException.class, () -> flip.hdrMap(a, b, 40.0, null));
        }
    }

    @Test
    void printsTheCostAt64x48() {
        FloatImage[] ldr = randomLdr(64, 48, 3);
        FloatImage[] hdr = randomHdr(64, 48, 4);
        Flip.Exposures e = Flip.defaultExposures(hdr[0]);
        try (GpuFlip flip = new GpuFlip(); Texture2D a = upload(ldr[1]); Texture2D b = upload(ldr[0]);
                Texture2D c = upload(hdr[1]); Texture2D d = upload(hdr[0])) {
            flip.ldrMean(a, b, Flip.DEFAULT_PPD);   // warm-up: the first dispatches compile
            flip.hdrMean(c, d, Flip.DEFAULT_PPD, e);
            StringBuilder sb = new StringBuilder("  GpuFlip 64x48 (" + GlTest.context().renderer() + "), ms: LDR");
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                flip.ldrMean(a, b, Flip.DEFAULT_PPD);
                sb.append(String.format(" %.1f", (System.nanoTime() - t0) / 1e6));
            }
            sb.append("; HDR (" + e.count() + " exposures)");
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                flip.hdrMean(c, d, Flip.DEFAULT_PPD, e);
                sb.append(String.format(" %.1f", (System.nanoTime() - t0) / 1e6));
            }
            System.out.println(sb);
        }
    }
}
