package org.reconview.metrics;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.reconview.color.Pq;
import org.reconview.io.FloatImage;

/** Closed forms derived by hand for the golden PSNR and SSIM, and their argument checks. */
class GoldenMetricsTest {
    static FloatImage constant(int w, int h, int channels, float v) {
        FloatImage img = new FloatImage(w, h, channels);
        java.util.Arrays.fill(img.data, v);
        return img;
    }

    static FloatImage random(int w, int h, int channels, long seed, float scale) {
        Random rnd = new Random(seed);
        FloatImage img = new FloatImage(w, h, channels);
        for (int i = 0; i < img.data.length; i++) {
            img.data[i] = scale * rnd.nextFloat();
        }
        return img;
    }

    @Test
    void windowIsScipysElevenTapGaussian() {
        double[] w = Ssim.weights();
        assertEquals(11, w.length);
        assertEquals(5, Ssim.RADIUS);
        assertEquals(1.0, java.util.Arrays.stream(w).sum(), 1e-15);
        // scipy.ndimage._gaussian_kernel1d(1.5, 0, 5): centre and end taps
        assertEquals(0.26601172486, w[5], 1e-11);
        assertEquals(0.00102838008, w[0], 1e-11);
        assertEquals(w[3], w[7], 0);
        assertEquals(1e-4, Ssim.C1, 1e-18);
        assertEquals(9e-4, Ssim.C2, 1e-18);
    }

    /** Constant images: mu = a, b; every variance 0, so SSIM = (2ab + C1)(C2) / ((a^2 + b^2 + C1) C2). */
    @Test
    void ssimOfTwoConstantImagesIsTheLuminanceTerm() {
        double[][] pairs = {{0.3, 0.7}, {0.5, 0.5}, {0.0, 1.0}, {0.05, 0.06}, {0.9, 0.1}};
        for (double[] ab : pairs) {
            float a = (float) ab[0];
            float b = (float) ab[1];
            FloatImage x = constant(17, 13, 3, a);
            FloatImage y = constant(17, 13, 3, b);
            double expected = (2.0 * a * b + Ssim.C1) / ((double) a * a + (double) b * b + Ssim.C1);
            assertEquals(expected, Ssim.ssim(x, y, DisplayEncoding.LINEAR), 1e-12, a + " vs " + b);
        }
    }

    /** Only one channel differs: the mean over R, G, B is (1 + 1 + s) / 3. */
    @Test
    void ssimAveragesTheThreeChannels() {
        FloatImage x = constant(12, 12, 4, 0.25f);
        FloatImage y = x.copy();
        for (int p = 0; p < 144; p++) {
            y.data[p * 4 + 1] = 0.75f;
            y.data[p * 4 + 3] = 123f; // alpha is ignored
        }
        double s = (2 * 0.25 * 0.75 + Ssim.C1) / (0.25 * 0.25 + 0.75 * 0.75 + Ssim.C1);
        assertEquals((2 + s) / 3, Ssim.ssim(x, y, DisplayEncoding.LINEAR), 1e-12);
        assertEquals(s, Ssim.channel(x, y, DisplayEncoding.LINEAR, 1), 1e-12);
    }

    /**
     * The separable golden against the definition written out directly: for every centre whose 11x11 window lies
     * inside the image (the 5-pixel crop), 2D weights w_i w_j, the weighted mean, then the population (co)variances
     * from deviations, then S; averaged over those centres and over R, G, B.
     */
    @Test
    void ssimMatchesTheDefinitionWrittenOutIn2d() {
        int w = 23, h = 17;
        FloatImage x = random(w, h, 3, 1, 1f);
        FloatImage y = random(w, h, 3, 2, 1f);
        for (int i = 0; i < y.data.length; i++) {
            y.data[i] = 0.6f * x.data[i] + 0.4f * y.data[i] * y.data[i];
        }
        double[] g = Ssim.weights();
        double total = 0;
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            int n = 0;
            for (int cy = 5; cy < h - 5; cy++) {
                for (int cx = 5; cx < w - 5; cx++) {
                    double mx = 0, my = 0;
                    for (int j = -5; j <= 5; j++) {
                        for (int i = -5; i <= 5; i++) {
                            double wt = g[i + 5] * g[j + 5];
                            mx += wt * x.get(cx + i, cy + j, c);
                            my += wt * y.get(cx + i, cy + j, c);
                        }
                    }
                    double vx = 0, vy = 0, vxy = 0;
                    for (int j = -5; j <= 5; j++) {
                        for (int i = -5; i <= 5; i++) {
                            double wt = g[i + 5] * g[j + 5];
                            double dx = x.get(cx + i, cy + j, c) - mx;
                            double dy = y.get(cx + i, cy + j, c) - my;
                            vx += wt * dx * dx;
                            vy += wt * dy * dy;
                            vxy += wt * dx * dy;
                        }
                    }
                    sum += (2 * mx * my + Ssim.C1) * (2 * vxy + Ssim.C2)
                            / ((mx * mx + my * my + Ssim.C1) * (vx + vy + Ssim.C2));
                    n++;
                }
            }
            assertEquals(13 * 7, n);
            total += sum / n;
        }
        double ssim = Ssim.ssim(x, y, DisplayEncoding.LINEAR);
        assertTrue(ssim > 0.3 && ssim < 0.95, "a pair that says something: " + ssim);
        assertEquals(total / 3, ssim, 1e-12);
    }

    @Test
    void ssimOfIdenticalImagesIsOneAndItIsSymmetric() {
        FloatImage x = random(31, 29, 3, 3, 20f);
        FloatImage y = random(31, 29, 3, 4, 20f);
        for (DisplayEncoding e : DisplayEncoding.values()) {
            assertEquals(1.0, Ssim.ssim(x, x, e), 1e-12, e.id());
        }
        assertEquals(Ssim.ssim(x, y, DisplayEncoding.PQ), Ssim.ssim(y, x, DisplayEncoding.PQ), 1e-14);
    }

    @Test
    void ssimRefusesImagesSmallerThanTheWindow() {
        FloatImage small = constant(10, 40, 3, 0.5f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ssim.ssim(small, small, DisplayEncoding.PQ));
        assertTrue(e.getMessage().contains("11x11"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Ssim.ssim(constant(40, 10, 3, 0.5f), constant(40, 10, 3, 0.5f), DisplayEncoding.PQ));
        assertEquals(1.0, Ssim.ssim(constant(11, 11, 3, 0.5f), constant(11, 11, 3, 0.5f), DisplayEncoding.PQ), 0);
        assertThrows(IllegalArgumentException.class,
                () -> Ssim.ssim(constant(12, 12, 3, 0f), constant(13, 12, 3, 0f), DisplayEncoding.PQ));
    }

    /** A uniform offset d: MSE = d^2, PSNR = -10 log10(d^2). */
    @Test
    void psnrOfAUniformOffset() {
        for (float d : new float[] {0.5f, 0.1f, 0.01f, 0.001f}) {
            FloatImage a = random(16, 16, 3, 5, 0.5f);
            FloatImage b = a.copy();
            for (int i = 0; i < b.data.length; i++) {
                b.data[i] = a.data[i] + d;
            }
            double mse = 0;
            for (int i = 0; i < a.data.length; i++) {
                double diff = (double) b.data[i] - a.data[i]; // d up to float rounding of a + d
                mse += diff * diff;
            }
            mse /= a.data.length;
            assertEquals(-10 * Math.log10(mse), Psnr.psnr(b, a, DisplayEncoding.LINEAR), 1e-9, "d " + d);
            assertEquals(-10 * Math.log10((double) d * d), Psnr.psnr(b, a, DisplayEncoding.LINEAR), 1e-3, "d " + d);
        }
    }

    @Test
    void psnrOfIdenticalImagesIsInfiniteAndMaskSelectsPixels() {
        FloatImage a = random(8, 4, 4, 6, 10f);
        assertEquals(Double.POSITIVE_INFINITY, Psnr.psnr(a, a.copy(), DisplayEncoding.PQ));
        assertEquals(Double.POSITIVE_INFINITY, Psnr.pq(a, a.copy()));
        FloatImage b = a.copy();
        b.set(3, 2, 0, b.get(3, 2, 0) + 1f);
        b.set(7, 3, 3, -5f); // alpha is ignored
        boolean[] mask = new boolean[32];
        java.util.Arrays.fill(mask, true);
        mask[2 * 8 + 3] = false;
        assertEquals(Double.POSITIVE_INFINITY, Psnr.pq(b, a, mask));
        double d = Pq.encode((double) b.get(3, 2, 0)) - Pq.encode((double) a.get(3, 2, 0));
        assertEquals(10 * Math.log10(96 / (d * d)), Psnr.pq(b, a), 1e-9);
        assertTrue(Double.isNaN(Psnr.pq(b, a, new boolean[32])), "empty mask");
    }

    @Test
    void psnrUsesTheEncoding() {
        FloatImage a = constant(4, 4, 3, 2f);
        FloatImage b = constant(4, 4, 3, 3f);
        double pq = Pq.encode(3.0) - Pq.encode(2.0);
        assertEquals(-10 * Math.log10(pq * pq), Psnr.psnr(a, b, DisplayEncoding.PQ), 1e-9);
        double srgb = DisplayEncoding.SRGB.encode(3) - DisplayEncoding.SRGB.encode(2);
        assertEquals(-10 * Math.log10(srgb * srgb), Psnr.psnr(a, b, DisplayEncoding.SRGB), 1e-9);
        assertEquals(0, Psnr.psnr(a, b, DisplayEncoding.LINEAR), 1e-12); // offset 1: not clamped
    }
}
