package org.reconview.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.reconview.io.FloatImage;
import org.reconview.recon.Warp;

/**
 * An augmented crop is consistent: warping its reference k-1 by its (transformed) motion k reproduces reference k as
 * well as in the untransformed crop, for every transpose/flip combination, on a non-square crop moving diagonally.
 */
class AugmentationTest {
    static final int W = 24;
    static final int H = 16;

    /** Mean |warp(ref_{k-1}, motion_k) - ref_k| over valid pixels and frames 1..n-1 of element 0. */
    static double warpError(CropSampler.Batch b, int frames) {
        double sum = 0;
        long n = 0;
        for (int t = 1; t < frames; t++) {
            FloatImage prev = new FloatImage(W, H, 3, java.util.Arrays.copyOf(b.reference()[t - 1], W * H * 3));
            FloatImage mot = new FloatImage(W, H, 2, java.util.Arrays.copyOf(b.motion()[t], W * H * 2));
            boolean[] valid = new boolean[W * H];
            FloatImage w = Warp.backward(prev, mot, valid);
            for (int p = 0; p < W * H; p++) {
                if (!valid[p]) {
                    continue;
                }
                for (int c = 0; c < 3; c++) {
                    sum += Math.abs(w.data[p * 3 + c] - b.reference()[t][p * 3 + c]);
                    n++;
                }
            }
        }
        return sum / n;
    }

    @Test
    void warpingTheTransformedReferenceByTheTransformedMotionReproducesIt() {
        TrainingFrames data = TrainingFrames.of(List.of(SyntheticSequences.sequence("s", 48, 40, 12, 3)));
        int frames = 5;
        CropSampler sampler = new CropSampler(data, frames, W, H, false, 0);
        CropSampler.Crop base = new CropSampler.Crop(0, 0, 7, 5, Augmentation.NONE);
        double plain = warpError(sampler.cut(List.of(base)), frames);
        assertTrue(plain < 0.02, "the warp explains the synthetic motion: " + plain);
        // Without the motion the error is far larger, so the comparison below can tell a wrong transform.
        CropSampler.Batch still = sampler.cut(List.of(base));
        for (float[] m : still.motion()) {
            java.util.Arrays.fill(m, 0f);
        }
        double unwarped = warpError(still, frames);
        assertTrue(unwarped > 3 * plain, "motion matters here: " + unwarped + " vs " + plain);
        for (int bits = 0; bits < 8; bits++) {
            Augmentation a = new Augmentation((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, new int[] {2, 0, 1},
                    -0.5f);
            CropSampler.Crop c = new CropSampler.Crop(0, 0, 7, 5, a);
            double e = warpError(sampler.cut(List.of(c)), frames);
            // The exposure change scales linear values by 2^-0.5 before PQ, which changes errors a little.
            assertEquals(plain, e, 0.25 * plain, a.toString());
            // Flipped images with the motion left as it was are inconsistent (the test can tell).
            if (!a.transpose() && (a.flipX() || a.flipY())) {
                CropSampler.Batch wrong = sampler.cut(List.of(c));
                CropSampler.Batch raw = sampler.cut(List.of(base));
                for (int t = 0; t < frames; t++) {
                    wrong.motion()[t] = raw.motion()[t].clone();
                }
                assertTrue(warpError(wrong, frames) > 2 * plain, "untransformed motion is caught: " + a);
            }
        }
    }

    @Test
    void anAugmentationIsAPermutationOfTheSourcePixels() {
        for (int bits = 0; bits < 8; bits++) {
            Augmentation a = new Augmentation((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0, new int[] {0, 1, 2},
                    0f);
            boolean[] seen = new boolean[W * H];
            int sw = a.sourceWidth(W, H);
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int[] s = a.source(x, y, W, H);
                    assertTrue(s[0] >= 0 && s[0] < sw && s[1] >= 0 && s[1] < a.sourceHeight(W, H));
                    assertFalse(seen[s[1] * sw + s[0]], "each source pixel once");
                    seen[s[1] * sw + s[0]] = true;
                }
            }
        }
    }

    @Test
    void batchesAreDeterministicAndWindowsStayInsideShots() {
        TrainingFrames data = TrainingFrames.of(List.of(SyntheticSequences.sequence("s", 32, 32, 12, 3)));
        CropSampler a = new CropSampler(data, 4, 16, 16, true, 7);
        CropSampler b = new CropSampler(data, 4, 16, 16, true, 7);
        assertEquals(2 * (6 - 4 + 1), a.windows(), "two shots of 6 frames, windows of 4");
        for (int k = 0; k < 20; k++) {
            CropSampler.Batch x = a.batch(k, 3);
            CropSampler.Batch y = b.batch(k, 3);
            assertArrayEquals(x.color()[3], y.color()[3]);
            for (CropSampler.Crop c : x.crops()) {
                boolean inside = (c.start() >= 0 && c.start() + 4 <= 6) || (c.start() >= 6 && c.start() + 4 <= 12);
                assertTrue(inside, "window " + c.start() + " crosses the cut");
            }
        }
        assertFalse(java.util.Arrays.equals(a.batch(0, 1).color()[0], a.batch(1, 1).color()[0]));
    }
}
