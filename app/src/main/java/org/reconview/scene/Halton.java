package org.reconview.scene;

/** The Halton low-discrepancy sequence: sub-pixel jitter (bases 2, 3) and reference sample positions. */
public final class Halton {
    private Halton() {
    }

    /** Radical inverse of index in the given base, in [0, 1). */
    public static double radicalInverse(int index, int base) {
        double result = 0;
        double f = 1.0 / base;
        int i = index;
        while (i > 0) {
            result += f * (i % base);
            i /= base;
            f /= base;
        }
        return result;
    }

    /**
     * Sub-pixel jitter of a frame in pixels, each component in [-0.5, 0.5): Halton(2,3) point number
     * {@code (frame mod period) + 1} (point 0 is the corner (0,0) and is skipped), centred on the pixel.
     */
    public static float[] jitter(int frame, int period) {
        int i = Math.floorMod(frame, period) + 1;
        return new float[] {(float) (radicalInverse(i, 2) - 0.5), (float) (radicalInverse(i, 3) - 0.5)};
    }
}
