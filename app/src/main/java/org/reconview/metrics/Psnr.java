package org.reconview.metrics;

import org.reconview.io.FloatImage;

/**
 * Peak signal-to-noise ratio of an image against a reference on a {@link DisplayEncoding} (values in [0, 1], peak 1):
 * {@code 10 log10(1 / MSE)} with the MSE taken over R, G and B of every pixel, or of the pixels a mask keeps, as
 * scikit-image's {@code peak_signal_noise_ratio(reference, image, data_range=1)} on the encoded images. Identical
 * images give +infinity; an empty mask gives NaN. The CPU golden version (double precision); {@link GpuMetrics} is
 * checked against it. Images are {@link FloatImage}s with at least 3 channels (R, G, B first, row 0 = top).
 */
public final class Psnr {
    private Psnr() {
    }

    /** PSNR in dB over all pixels on the PQ encoding; +infinity for identical images. */
    public static double pq(FloatImage image, FloatImage reference) {
        return psnr(image, reference, DisplayEncoding.PQ, null);
    }

    /** PSNR in dB on the PQ encoding over the pixels where mask is true (row-major, one entry per pixel; null: all). */
    public static double pq(FloatImage image, FloatImage reference, boolean[] mask) {
        return psnr(image, reference, DisplayEncoding.PQ, mask);
    }

    /** PSNR in dB over all pixels; +infinity for identical images. */
    public static double psnr(FloatImage image, FloatImage reference, DisplayEncoding encoding) {
        return psnr(image, reference, encoding, null);
    }

    /** PSNR in dB over the pixels where mask is true (row-major, one entry per pixel; null keeps all). */
    public static double psnr(FloatImage image, FloatImage reference, DisplayEncoding encoding, boolean[] mask) {
        return fromMse(mse(image, reference, encoding, mask));
    }

    /** Mean squared error of the encoded R, G, B values over the kept pixels; NaN when none is kept. */
    public static double mse(FloatImage image, FloatImage reference, DisplayEncoding encoding, boolean[] mask) {
        Images.checkSameSize(image, reference);
        Images.checkMask(mask, image);
        double sum = 0;
        long n = 0;
        int ci = image.channels;
        int cr = reference.channels;
        for (int p = 0, pixels = image.width * image.height; p < pixels; p++) {
            if (mask != null && !mask[p]) {
                continue;
            }
            for (int c = 0; c < 3; c++) {
                double d = encoding.encode(image.data[p * ci + c]) - encoding.encode(reference.data[p * cr + c]);
                sum += d * d;
            }
            n += 3;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** {@code 10 log10(1 / mse)}: +infinity for 0, NaN for NaN. */
    public static double fromMse(double mse) {
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1.0 / mse);
    }
}
