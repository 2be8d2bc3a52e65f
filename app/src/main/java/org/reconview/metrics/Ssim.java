package org.reconview.metrics;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.reconview.io.FloatImage;

/**
 * Mean structural similarity (Wang, Bovik, Sheikh and Simoncelli, "Image quality assessment: from error visibility to
 * structural similarity", IEEE TIP 13(4), 2004) of an image against a reference on a {@link DisplayEncoding}, exactly
 * as scikit-image 0.19 computes {@code structural_similarity(ref, img, channel_axis=-1, gaussian_weights=True,
 * sigma=1.5, use_sample_covariance=False, data_range=1)}:
 * <ul>
 * <li>window: a separable Gaussian of sigma 1.5 truncated at 3.5 sigma, radius {@code int(3.5 * 1.5 + 0.5) = 5}
 * (11 taps), weights {@code exp(-x^2 / (2 sigma^2))} normalised to sum 1 (scipy's {@code gaussian_filter});</li>
 * <li>local means mu, population variances {@code E[x^2] - mu_x^2}, covariance {@code E[xy] - mu_x mu_y};</li>
 * <li>{@code S = (2 mu_x mu_y + C1)(2 sigma_xy + C2) / ((mu_x^2 + mu_y^2 + C1)(sigma_x^2 + sigma_y^2 + C2))} with
 * {@code C1 = (K1 L)^2}, {@code C2 = (K2 L)^2}, K1 = 0.01, K2 = 0.03, L = 1;</li>
 * <li>the map averaged over the valid region: 5 pixels cropped at every border, so every window lies inside the
 * image and the border mode never matters; per channel R, G, B, then the mean of the three.</li>
 * </ul>
 * The CPU golden version, in double precision; {@link GpuMetrics} is checked against it and it is checked against
 * numbers from a numpy transcription of scikit-image ({@code src/test/resources/metrics/make_ssim_cases.py}). The
 * window and constants are defined here only: {@link #shaderDefines()} hands them to the GLSL.
 */
public final class Ssim {
    public static final double SIGMA = 1.5;
    public static final double TRUNCATE = 3.5;
    /** Window radius: 5, so the window is 11 x 11. */
    public static final int RADIUS = (int) (TRUNCATE * SIGMA + 0.5);
    public static final int WINDOW = 2 * RADIUS + 1;
    public static final double K1 = 0.01;
    public static final double K2 = 0.03;
    /** Dynamic range L of the encoded values. */
    public static final double DATA_RANGE = 1.0;
    public static final double C1 = (K1 * DATA_RANGE) * (K1 * DATA_RANGE);
    public static final double C2 = (K2 * DATA_RANGE) * (K2 * DATA_RANGE);

    private static final double[] WEIGHTS = gaussian();

    private Ssim() {
    }

    private static double[] gaussian() {
        double[] w = new double[WINDOW];
        double sum = 0;
        for (int i = -RADIUS; i <= RADIUS; i++) {
            w[i + RADIUS] = Math.exp(-0.5 / (SIGMA * SIGMA) * i * i);
            sum += w[i + RADIUS];
        }
        for (int i = 0; i < WINDOW; i++) {
            w[i] /= sum;
        }
        return w;
    }

    /** The 11 window weights, left to right (a copy). */
    public static double[] weights() {
        return WEIGHTS.clone();
    }

    /** Mean SSIM over R, G, B of the encoded images. Both must be at least 11 x 11 and the same size. */
    public static double ssim(FloatImage image, FloatImage reference, DisplayEncoding encoding) {
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            sum += channel(image, reference, encoding, c);
        }
        return sum / 3;
    }

    /** Mean SSIM of one channel (0 = R, 1 = G, 2 = B). */
    public static double channel(FloatImage image, FloatImage reference, DisplayEncoding encoding, int c) {
        Images.checkSameSize(image, reference);
        checkSize(image.width, image.height);
        return mean(Images.encodedPlane(image, c, encoding), Images.encodedPlane(reference, c, encoding),
                image.width, image.height);
    }

    static void checkSize(int width, int height) {
        if (width < WINDOW || height < WINDOW) {
            throw new IllegalArgumentException("SSIM needs at least " + WINDOW + "x" + WINDOW + " pixels, got "
                    + width + "x" + height);
        }
    }

    /**
     * The SSIM map of the encoded images, mean over R, G, B per pixel: what {@link #ssim} averages. Pixels whose
     * window does not fit (within {@link #RADIUS} of the border) are NaN.
     */
    public static double[] map(FloatImage image, FloatImage reference, DisplayEncoding encoding) {
        Images.checkSameSize(image, reference);
        checkSize(image.width, image.height);
        int w = image.width;
        int h = image.height;
        double[] out = new double[w * h];
        for (int c = 0; c < 3; c++) {
            double[] m = map(Images.encodedPlane(image, c, encoding), Images.encodedPlane(reference, c, encoding), w, h);
            for (int i = 0; i < out.length; i++) {
                out[i] += m[i] / 3;
            }
        }
        return out;
    }

    /** Mean SSIM of two single-channel planes (row-major, already encoded) over the valid region. */
    static double mean(double[] x, double[] y, int w, int h) {
        double[] m = map(x, y, w, h);
        double sum = 0;
        for (int row = RADIUS; row < h - RADIUS; row++) {
            for (int col = RADIUS; col < w - RADIUS; col++) {
                sum += m[row * w + col];
            }
        }
        return sum / ((double) (w - 2 * RADIUS) * (h - 2 * RADIUS));
    }

    /** Per-pixel SSIM of two single-channel planes (row-major, already encoded); NaN where the window does not fit. */
    static double[] map(double[] x, double[] y, int w, int h) {
        // Horizontal pass over every row, for the columns whose window fits: [R, w - R).
        int n = w * h;
        double[][] src = new double[5][n];
        for (int i = 0; i < n; i++) {
            src[0][i] = x[i];
            src[1][i] = y[i];
            src[2][i] = x[i] * x[i];
            src[3][i] = y[i] * y[i];
            src[4][i] = x[i] * y[i];
        }
        double[][] horizontal = new double[5][n];
        for (int q = 0; q < 5; q++) {
            for (int row = 0; row < h; row++) {
                for (int col = RADIUS; col < w - RADIUS; col++) {
                    double s = 0;
                    for (int k = -RADIUS; k <= RADIUS; k++) {
                        s += WEIGHTS[k + RADIUS] * src[q][row * w + col + k];
                    }
                    horizontal[q][row * w + col] = s;
                }
            }
        }
        double[] out = new double[n];
        java.util.Arrays.fill(out, Double.NaN);
        double[] m = new double[5];
        for (int row = RADIUS; row < h - RADIUS; row++) {
            for (int col = RADIUS; col < w - RADIUS; col++) {
                for (int q = 0; q < 5; q++) {
                    double s = 0;
                    for (int k = -RADIUS; k <= RADIUS; k++) {
                        s += WEIGHTS[k + RADIUS] * horizontal[q][(row + k) * w + col];
                    }
                    m[q] = s;
                }
                double ux = m[0], uy = m[1];
                double vx = m[2] - ux * ux;
                double vy = m[3] - uy * uy;
                double vxy = m[4] - ux * uy;
                double a1 = 2 * ux * uy + C1;
                double a2 = 2 * vxy + C2;
                double b1 = ux * ux + uy * uy + C1;
                double b2 = vx + vy + C2;
                out[row * w + col] = (a1 * a2) / (b1 * b2);
            }
        }
        return out;
    }

    /**
     * {@code SSIM_RADIUS}, {@code SSIM_C1}, {@code SSIM_C2} and {@code SSIM_WEIGHTS} (a GLSL
     * {@code float[11](...)} constructor) for the metrics shaders.
     */
    public static Map<String, String> shaderDefines() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("SSIM_RADIUS", Integer.toString(RADIUS));
        d.put("SSIM_C1", glsl(C1));
        d.put("SSIM_C2", glsl(C2));
        StringBuilder w = new StringBuilder("float[" + WINDOW + "](");
        for (int i = 0; i < WINDOW; i++) {
            w.append(i == 0 ? "" : ", ").append(glsl(WEIGHTS[i]));
        }
        d.put("SSIM_WEIGHTS", w.append(')').toString());
        return d;
    }

    /** A GLSL float literal that reads back as the nearest float to v. */
    static String glsl(double v) {
        return String.format(Locale.ROOT, "%.9e", v);
    }
}
