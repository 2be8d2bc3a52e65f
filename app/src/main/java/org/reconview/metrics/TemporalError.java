package org.reconview.metrics;

import org.reconview.io.FloatImage;

/**
 * Temporal error of one frame k, the paper's temporal loss (Thomas et al. 2020, eq. 2) for a single time step:
 * <pre>
 *   mean over valid pixels i and channels R, G, B of | (E(o_k) - E(phi)) - (E(r_k) - E(psi)) |
 * </pre>
 * where E is the {@link DisplayEncoding}, o_k the output of frame k, phi the previous output already warped to frame
 * k, r_k the reference of frame k and psi the previous reference warped the same way. The warps are the caller's,
 * done in linear space; this class only compares. It measures flicker the reference does not have: an output that
 * follows the reference's changes scores 0 whatever its spatial error. Pixels that the warp could not fill
 * (disocclusions, off-screen) are left out: the mask, or by default the alpha channel of phi (above 0.5 = valid, which
 * is what the warp pass writes: 1 valid, 0 invalid); phi without alpha keeps every pixel. No valid pixel gives NaN.
 * The CPU golden version in double precision; {@link GpuMetrics#temporalError} is checked against it.
 */
public final class TemporalError {
    private TemporalError() {
    }

    /** Validity from the alpha channel of {@code outputPrevWarped} (all valid when it has fewer than 4 channels). */
    public static double error(FloatImage output, FloatImage outputPrevWarped, FloatImage reference,
            FloatImage referencePrevWarped, DisplayEncoding encoding) {
        return error(output, outputPrevWarped, reference, referencePrevWarped, encoding, alphaMask(outputPrevWarped));
    }

    /** Validity from {@code mask} (row-major, one entry per pixel, true = valid; null keeps every pixel). */
    public static double error(FloatImage output, FloatImage outputPrevWarped, FloatImage reference,
            FloatImage referencePrevWarped, DisplayEncoding encoding, boolean[] mask) {
        Images.checkSameSize(output, outputPrevWarped);
        Images.checkSameSize(output, reference);
        Images.checkSameSize(output, referencePrevWarped);
        Images.checkMask(mask, output);
        double sum = 0;
        long n = 0;
        for (int p = 0, pixels = output.width * output.height; p < pixels; p++) {
            if (mask != null && !mask[p]) {
                continue;
            }
            for (int c = 0; c < 3; c++) {
                double o = encoding.encode(output.data[p * output.channels + c]);
                double phi = encoding.encode(outputPrevWarped.data[p * outputPrevWarped.channels + c]);
                double r = encoding.encode(reference.data[p * reference.channels + c]);
                double psi = encoding.encode(referencePrevWarped.data[p * referencePrevWarped.channels + c]);
                sum += Math.abs((o - phi) - (r - psi));
            }
            n += 3;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** alpha > 0.5 per pixel, or null (all valid) for an image without a fourth channel. */
    public static boolean[] alphaMask(FloatImage image) {
        if (image.channels < 4) {
            return null;
        }
        boolean[] mask = new boolean[image.width * image.height];
        for (int p = 0; p < mask.length; p++) {
            mask[p] = image.data[p * image.channels + 3] > 0.5f;
        }
        return mask;
    }
}
