package org.reconview.metrics;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.reconview.io.FloatImage;

/** The golden temporal error (eq. 2 of the paper for one frame) on hand-made images. */
class TemporalErrorTest {
    static final int W = 12, H = 7;

    /** A smooth RGBA image in [0.1, 0.9] with alpha 1. */
    static FloatImage ramp(float offset) {
        FloatImage img = new FloatImage(W, H, 4);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                for (int c = 0; c < 3; c++) {
                    img.set(x, y, c, 0.1f + 0.8f * (x + 2 * y + 3 * c) / (W + 2 * H + 6) + offset);
                }
                img.set(x, y, 3, 1f);
            }
        }
        return img;
    }

    @Test
    void flickerTheReferenceDoesNotHaveCountsOnValidPixels() {
        float d = 0.0625f; // exact in float: the differences below are exact too
        FloatImage previous = ramp(0);
        FloatImage reference = ramp(0);
        FloatImage output = ramp(d); // output jumps by d, the reference stays
        assertEquals(d, TemporalError.error(output, previous, reference, reference, DisplayEncoding.LINEAR), 1e-7);
        // the reference changes by the same d: no temporal error
        assertEquals(0, TemporalError.error(output, previous, ramp(d), reference, DisplayEncoding.LINEAR), 1e-7);
        // the reference changes by d and the output does not: |0 - d| = d
        assertEquals(d, TemporalError.error(previous, previous, ramp(d), reference, DisplayEncoding.LINEAR), 1e-7);
    }

    @Test
    void invalidPixelsOfTheWarpedOutputAreLeftOut() {
        FloatImage phi = ramp(0);
        FloatImage output = ramp(0);
        FloatImage reference = ramp(0);
        // A big flicker in column 0 only, where the warp found nothing (alpha 0).
        for (int y = 0; y < H; y++) {
            for (int c = 0; c < 3; c++) {
                output.set(0, y, c, output.get(0, y, c) + 0.5f);
            }
            phi.set(0, y, 3, 0f);
        }
        // and a flicker of 0.25 in one green value at a valid pixel
        output.set(5, 3, 1, output.get(5, 3, 1) + 0.25f);
        double expected = 0.25 / (3.0 * (W * H - H));
        assertEquals(expected, TemporalError.error(output, phi, reference, reference, DisplayEncoding.LINEAR), 1e-8);
        boolean[] all = new boolean[W * H];
        java.util.Arrays.fill(all, true);
        double withColumn = (0.25 + 0.5 * 3 * H) / (3.0 * W * H);
        assertEquals(withColumn, TemporalError.error(output, phi, reference, reference, DisplayEncoding.LINEAR, all),
                1e-8);
        assertTrue(Double.isNaN(TemporalError.error(output, phi, reference, reference, DisplayEncoding.LINEAR,
                new boolean[W * H])));
    }

    @Test
    void differencesAreTakenAfterTheEncoding() {
        FloatImage phi = ramp(0);
        FloatImage output = ramp(0);
        output.set(2, 2, 0, 3f);
        phi.set(2, 2, 0, 2f);
        double expected = (DisplayEncoding.PQ.encode(3) - DisplayEncoding.PQ.encode(2)) / (3.0 * W * H);
        assertEquals(expected, TemporalError.error(output, phi, phi, phi, DisplayEncoding.PQ), 1e-12);
        assertEquals(1.0 / (3.0 * W * H), TemporalError.error(output, phi, phi, phi, DisplayEncoding.LINEAR), 1e-12);
    }
}
