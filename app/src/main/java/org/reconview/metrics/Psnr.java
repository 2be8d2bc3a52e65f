package org.reconview.metrics;

import org.reconview.color.Pq;
import org.reconview.io.FloatImage;

/**
 * Peak signal-to-noise ratio of an image against a reference, on the PQ display encoding (linear HDR through
 * {@link Pq}, so values lie in [0, 1] and the peak is 1), over R, G and B of all pixels, or of the pixels a mask
 * keeps. The CPU golden version; the GPU metrics are checked against it.
 */
public final class Psnr {
    private Psnr() {
    }

    /** PSNR in dB over all pixels; +infinity for identical images. */
    public static double pq(FloatImage image, FloatImage reference) {
        return pq(image, reference, null);
    }

    /** PSNR in dB over the pixels where mask is true (row-major, one entry per pixel; null keeps all). */
    public static double pq(FloatImage image, FloatImage reference, boolean[] mask) {
        if (image.width != reference.width || image.height != reference.height) {
            throw new IllegalArgumentException("sizes differ: " + image.width + "x" + image.height + " vs "
                    + reference.width + "x" + reference.height);
        }
        double sum = 0;
        long n = 0;
        for (int y = 0; y < image.height; y++) {
            for (int x = 0; x < image.width; x++) {
                if (mask != null && !mask[y * image.width + x]) {
                    continue;
                }
                for (int c = 0; c < 3; c++) {
                    double d = Pq.encode(image.get(x, y, c)) - Pq.encode(reference.get(x, y, c));
                    sum += d * d;
                    n++;
                }
            }
        }
        if (n == 0) {
            return Double.NaN;
        }
        double mse = sum / n;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1.0 / mse);
    }
}
