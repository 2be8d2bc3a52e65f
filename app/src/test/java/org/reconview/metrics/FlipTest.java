package org.reconview.metrics;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.reconview.io.FloatImage;

/**
 * {@link Flip} against NVIDIA's official FLIP.
 *
 * <p>Source of the expected numbers: https://github.com/NVlabs/flip, commit
 * {@code 1eb247cabcf2862c2c8207ab15314304394132b9} (FLIP v1.6; {@code src/cpp/FLIP.h} as of
 * {@code 9629de66b29663772d286c11321ae6eef140a580}), the C++ header that the official Python package also wraps. They were
 * produced by {@code python3 scripts/flip-reference.py /path/to/flip-checkout}, which builds the images below with numpy
 * (same formulas as {@link #ldrPair} and {@link #hdrPair}), compiles a harness calling {@code FLIP::evaluate()} with g++
 * (CPU path), decodes the LDR images from sRGB first as FLIP's tool does for a PNG, and prints the mean of the error map
 * (summed in double), the HDR exposures FLIP chose, and the errors of {@link #PIXELS}.
 *
 * <p>Published numbers: the repository's {@code src/tests/test.py} expects mean 0.159691 (LDR) and 0.283478 (HDR) for
 * its {@code images/reference|test.{png,exr}}, but the test images are not in the fetched mirror (only
 * {@code reference.png}), so those are not checked here.
 */
class FlipTest {
    private static final int W = 32;
    private static final int H = 24;
    /** (x, y) of the pixels whose errors the reference printed, in the order of the expected arrays. */
    private static final int[][] PIXELS = {{0, 0}, {31, 23}, {10, 8}, {14, 9}, {20, 5}, {26, 12}, {5, 18}, {16, 20},
        {5, 4}, {6, 6}};
    private static final double MEAN_TOL = 1e-4;
    private static final double PIXEL_TOL = 1e-3;

    // ---- expected values printed by scripts/flip-reference.py (FLIP v1.6, commit 1eb247c) ----

    private static final double LDR_DEFAULT_PPD_MEAN = 0.154626487;
    private static final double[] LDR_DEFAULT_PPD_PIXELS = {0.146340, 0.082293, 0.228914, 0.563130, 0.129180, 0.486026,
        0.054005, 0.082424, 0.088531, 0.152326};
    private static final double LDR_PPD24_MEAN = 0.255856916;
    private static final double[] LDR_PPD24_PIXELS = {0.188545, 0.150583, 0.271429, 0.936238, 0.323362, 0.968899,
        0.241578, 0.144664, 0.186359, 0.313270};
    private static final double HDR_DEFAULT_MEAN = 0.151909028;
    private static final double HDR_DEFAULT_START = -6.56055927;
    private static final double HDR_DEFAULT_STOP = 3.56584907;
    private static final int HDR_DEFAULT_COUNT = 11;
    private static final double[] HDR_DEFAULT_PIXELS = {0.094035, 0.043681, 0.049496, 0.047428, 0.070049, 0.057073,
        0.199636, 0.540715, 0.313544, 0.561493};
    /** ppd 40, exposures -3 to 2.5 in 4 steps. */
    private static final double HDR_EXPLICIT_MEAN = 0.148995734;
    private static final double[] HDR_EXPLICIT_PIXELS = {0.146274, 0.010020, 0.059045, 0.050363, 0.090959, 0.023523,
        0.195742, 0.811811, 0.273289, 0.648196};

    // ---- known answers ----

    @Test
    void ldrMatchesTheReferenceAtTheDefaultPpd() {
        FloatImage[] p = ldrPair();
        FloatImage map = Flip.ldrMap(p[1], p[0], Flip.DEFAULT_PPD);
        assertMap(map, LDR_DEFAULT_PPD_MEAN, LDR_DEFAULT_PPD_PIXELS);
        assertEquals(LDR_DEFAULT_PPD_MEAN, Flip.ldrMean(p[1], p[0], Flip.DEFAULT_PPD), MEAN_TOL);
    }

    @Test
    void ldrMatchesTheReferenceAt24Ppd() {
        FloatImage[] p = ldrPair();
        assertMap(Flip.ldrMap(p[1], p[0], 24.0), LDR_PPD24_MEAN, LDR_PPD24_PIXELS);
    }

    @Test
    void defaultExposuresMatchTheReference() {
        Flip.Exposures e = Flip.defaultExposures(hdrPair()[0]);
        assertEquals(HDR_DEFAULT_START, e.start(), 1e-5);
        assertEquals(HDR_DEFAULT_STOP, e.stop(), 1e-5);
        assertEquals(HDR_DEFAULT_COUNT, e.count());
    }

    @Test
    void hdrMatchesTheReferenceWithDefaultExposures() {
        FloatImage[] p = hdrPair();
        assertMap(Flip.hdrMap(p[1], p[0], Flip.DEFAULT_PPD, null), HDR_DEFAULT_MEAN, HDR_DEFAULT_PIXELS);
        assertEquals(HDR_DEFAULT_MEAN, Flip.hdrMean(p[1], p[0], Flip.DEFAULT_PPD, null), MEAN_TOL);
        // Passing the default range explicitly is the same evaluation.
        Flip.Exposures e = Flip.defaultExposures(p[0]);
        assertEquals(HDR_DEFAULT_MEAN, Flip.hdrMean(p[1], p[0], Flip.DEFAULT_PPD, e), MEAN_TOL);
    }

    @Test
    void hdrMatchesTheReferenceWithExplicitExposures() {
        FloatImage[] p = hdrPair();
        FloatImage map = Flip.hdrMap(p[1], p[0], 40.0, new Flip.Exposures(-3.0, 2.5, 4));
        assertMap(map, HDR_EXPLICIT_MEAN, HDR_EXPLICIT_PIXELS);
    }

    // ---- exact properties ----

    @Test
    void identicalImagesGiveExactlyZero() {
        FloatImage[] ldr = ldrPair();
        FloatImage ldrMap = Flip.ldrMap(ldr[1], ldr[1].copy(), Flip.DEFAULT_PPD);
        for (float v : ldrMap.data) {
            assertEquals(0.0f, v, 0.0f);
        }
        assertEquals(0.0, Flip.ldrMean(ldr[0], ldr[0], 24.0), 0.0);
        FloatImage[] hdr = hdrPair();
        FloatImage hdrMap = Flip.hdrMap(hdr[0], hdr[0].copy(), Flip.DEFAULT_PPD, null);
        for (float v : hdrMap.data) {
            assertEquals(0.0f, v, 0.0f);
        }
        assertEquals(0.0, Flip.hdrMean(hdr[1], hdr[1], 40.0, new Flip.Exposures(-2, 2, 3)), 0.0);
    }

    @Test
    void mapIsOneChannelInTheUnitRangeAndLdrIsSymmetric() {
        FloatImage[] p = ldrPair();
        FloatImage a = Flip.ldrMap(p[1], p[0], 30.0);
        FloatImage b = Flip.ldrMap(p[0], p[1], 30.0);
        assertEquals(1, a.channels);
        assertEquals(W, a.width);
        assertEquals(H, a.height);
        for (int i = 0; i < a.data.length; i++) {
            assertTrue(a.data[i] >= 0 && a.data[i] <= 1, "pixel " + i + ": " + a.data[i]);
            // Colour (HyAB) and feature (|difference|) terms are symmetric in the two images.
            assertEquals(a.data[i], b.data[i], 1e-6, "pixel " + i);
        }
    }

    @Test
    void ppdIsFlipsSmallAngleFormula() {
        assertEquals(3840 * Math.PI / 180, Flip.DEFAULT_PPD, 1e-12);
        assertEquals(67.0206, Flip.DEFAULT_PPD, 1e-4);
        assertEquals(Flip.DEFAULT_PPD, Flip.ppd(0.7, 0.7, 3840), 0.0);
        assertEquals(0.5 * 1920 / 0.6 * Math.PI / 180, Flip.ppd(0.5, 0.6, 1920), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Flip.ppd(0, 0.7, 3840));
        assertThrows(IllegalArgumentException.class, () -> Flip.ppd(0.7, Double.NaN, 3840));
    }

    @Test
    void spatialFilterRadiusFollowsTheReferenceRule() {
        // ceil(3 sqrt(0.04 / (2 pi^2)) ppd): 0.13505 ppd.
        assertEquals(10, Flip.spatialRadius(Flip.DEFAULT_PPD));
        assertEquals(4, Flip.spatialRadius(24.0));
        assertEquals(1, Flip.spatialRadius(1.0));
    }

    @Test
    void exposuresAreEvenlySpacedAndValidated() {
        Flip.Exposures e = new Flip.Exposures(-3.0, 2.5, 4);
        assertEquals(-3.0, e.exposure(0), 0.0);
        assertEquals(-3.0 + 5.5 / 3, e.exposure(1), 1e-15);
        assertEquals(2.5, e.exposure(3), 1e-15);
        assertEquals(1.0, new Flip.Exposures(1.0, 1.0, 1).exposure(0), 0.0);
        assertThrows(IllegalArgumentException.class, () -> new Flip.Exposures(1.0, 0.0, 3));
        assertThrows(IllegalArgumentException.class, () -> new Flip.Exposures(0.0, 1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Flip.Exposures(0.0, Double.POSITIVE_INFINITY, 2));
        // A black reference has no median luminance to expose for.
        assertThrows(IllegalArgumentException.class, () -> Flip.defaultExposures(new FloatImage(4, 4, 3)));
    }

    @Test
    void rejectsMismatchedImagesAndBadPpd() {
        FloatImage a = new FloatImage(4, 4, 3);
        assertThrows(IllegalArgumentException.class, () -> Flip.ldrMap(a, new FloatImage(4, 5, 3), 67));
        assertThrows(IllegalArgumentException.class, () -> Flip.ldrMap(a, new FloatImage(4, 4, 1), 67));
        assertThrows(IllegalArgumentException.class, () -> Flip.ldrMap(a, a, 0));
        assertThrows(IllegalArgumentException.class, () -> Flip.hdrMap(a, a, Double.NaN, null));
    }

    // ---- helpers ----

    private static void assertMap(FloatImage map, double expectedMean, double[] expectedPixels) {
        double sum = 0;
        for (float v : map.data) {
            sum += v;
        }
        assertEquals(expectedMean, sum / map.data.length, MEAN_TOL, "mean");
        for (int i = 0; i < PIXELS.length; i++) {
            int x = PIXELS[i][0];
            int y = PIXELS[i][1];
            assertEquals(expectedPixels[i], map.get(x, y, 0), PIXEL_TOL, "pixel (" + x + ", " + y + ")");
        }
    }

    /** Integer hash in [0, 1) with 24 bits; scripts/flip-reference.py's noise(), bit for bit. */
    static double noise(long x, long y, long salt) {
        long m = 0xFFFFFFFFL;
        long h = (x * 374761393L + y * 668265263L + salt * 2147483647L) & m;
        h = ((h ^ (h >>> 13)) * 1274126177L) & m;
        h ^= h >>> 16;
        return (h & 0xFFFFFF) / 16777216.0;
    }

    /**
     * {reference, test}, display-encoded sRGB in [0, 1] (scripts/flip-reference.py's ldr_pair()): colour waves, a
     * white box, a blue edge at x = 20 and a darker band from y = 18; the test moves the box one pixel right, adds
     * noise and draws a dark line at x = 26.
     */
    static FloatImage[] ldrPair() {
        FloatImage ref = new FloatImage(W, H, 3);
        FloatImage test = new FloatImage(W, H, 3);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                for (int shift = 0; shift <= 1; shift++) {
                    double r = 0.5 + 0.35 * Math.sin(0.37 * x + 0.11 * y);
                    double g = 0.5 + 0.35 * Math.cos(0.23 * y - 0.05 * x);
                    double b = 0.45 + 0.3 * Math.sin(0.17 * (x + y) + 1.0);
                    if (x >= 20) {
                        b = 1.0 - b;
                    }
                    if (8 + shift <= x && x < 14 + shift && 6 <= y && y < 12) {
                        r = g = b = 0.95;
                    }
                    if (y >= 18) {
                        r *= 0.3;
                    }
                    double[] c = {r, g, b};
                    if (shift == 1) {
                        for (int k = 0; k < 3; k++) {
                            c[k] = Math.min(1.0, Math.max(0.0, c[k] + 0.12 * (noise(x, y, k) - 0.5)));
                        }
                        if (x == 26) {
                            c = new double[] {0.05, 0.05, 0.05};
                        }
                    }
                    FloatImage img = shift == 0 ? ref : test;
                    for (int k = 0; k < 3; k++) {
                        img.set(x, y, k, (float) c[k]);
                    }
                }
            }
        }
        return new FloatImage[] {ref, test};
    }

    /**
     * {reference, test}, linear HDR (scripts/flip-reference.py's hdr_pair()): luminance waves over 2^-5..2^5, a
     * 200-unit bright box, a dim region from x = 24; the test scales each channel by 1 +- 15 % noise, moves the box one
     * row down and blacks out row 20.
     */
    static FloatImage[] hdrPair() {
        FloatImage ref = new FloatImage(W, H, 3);
        FloatImage test = new FloatImage(W, H, 3);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                for (int shift = 0; shift <= 1; shift++) {
                    double lum = Math.pow(2.0, 5.0 * Math.sin(0.21 * x) * Math.cos(0.17 * y));
                    double[] c = {lum * (0.6 + 0.3 * Math.sin(0.5 * x)), lum * (0.5 + 0.2 * Math.cos(0.3 * y)),
                        lum * 0.4};
                    if (x >= 24) {
                        for (int k = 0; k < 3; k++) {
                            c[k] *= 0.01;
                        }
                    }
                    if (shift == 1) {
                        for (int k = 0; k < 3; k++) {
                            c[k] = c[k] * (1.0 + 0.3 * (noise(x, y, k + 3) - 0.5));
                        }
                    }
                    if (4 <= x && x < 7 && 3 + shift <= y && y < 6 + shift) {
                        c = new double[] {200.0, 200.0, 200.0};
                    }
                    if (shift == 1 && y == 20) {
                        c = new double[] {0.0, 0.0, 0.0};
                    }
                    FloatImage img = shift == 0 ? ref : test;
                    for (int k = 0; k < 3; k++) {
                        img.set(x, y, k, (float) c[k]);
                    }
                }
            }
        }
        return new FloatImage[] {ref, test};
    }
}
