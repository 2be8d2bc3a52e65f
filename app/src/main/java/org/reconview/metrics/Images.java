package org.reconview.metrics;

import org.reconview.io.FloatImage;

/** Argument checks and encoding shared by the golden metrics. */
final class Images {
    private Images() {
    }

    static void checkSameSize(FloatImage image, FloatImage reference) {
        if (image.width != reference.width || image.height != reference.height) {
            throw new IllegalArgumentException("sizes differ: " + image.width + "x" + image.height + " vs "
                    + reference.width + "x" + reference.height);
        }
        if (image.channels < 3 || reference.channels < 3) {
            throw new IllegalArgumentException("need R, G, B: " + image.channels + " and " + reference.channels
                    + " channels");
        }
    }

    static void checkMask(boolean[] mask, FloatImage image) {
        if (mask != null && mask.length != image.width * image.height) {
            throw new IllegalArgumentException("mask of " + mask.length + " entries for " + image.width + "x"
                    + image.height + " pixels");
        }
    }

    /** Channel c (0..2) of every pixel, encoded, in row-major order. */
    static double[] encodedPlane(FloatImage image, int c, DisplayEncoding encoding) {
        int n = image.width * image.height;
        double[] out = new double[n];
        for (int p = 0; p < n; p++) {
            out[p] = encoding.encode(image.data[p * image.channels + c]);
        }
        return out;
    }
}
