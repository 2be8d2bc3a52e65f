package org.reconview.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Block cutting (counts, never across a cut) and culling (median rule, easy fraction, determinism); no GL. */
class DatasetBlocksTest {
    /** Every block the definition allows, by brute force over all (t0, x0, y0): the shot-relative stride rule. */
    static Set<DatasetBlocks.Block> bruteForce(int w, int h, int frames, List<Integer> cuts, DatasetBlocks.Geometry g) {
        Set<DatasetBlocks.Block> out = new HashSet<>();
        for (int t0 = 0; t0 + g.nt() <= frames; t0++) {
            int shotStart = 0;
            for (int f = 0; f <= t0; f++) {
                if (f == 0 || cuts.contains(f)) {
                    shotStart = f;
                }
            }
            boolean crosses = false;
            for (int f = t0 + 1; f < t0 + g.nt(); f++) {
                crosses |= cuts.contains(f);
            }
            if (crosses || (t0 - shotStart) % g.strideTime() != 0) {
                continue;
            }
            for (int y = 0; y + g.ny() <= h; y++) {
                for (int x = 0; x + g.nx() <= w; x++) {
                    if (x % g.strideX() == 0 && y % g.strideY() == 0) {
                        out.add(new DatasetBlocks.Block(0, t0, x, y));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void candidateCountOfTheTinyCaseWithACut() {
        // 12 frames with a cut at 6: shots [0,6) and [6,12); Nt 4 at stride 2 -> starts 0,2 and 6,8 (4 = 2 + 2;
        // without the cut it would be 0,2,4,6,8 = 5). 32x32, 16x16 at stride 8 -> 3 x 3 corners.
        var g = new DatasetBlocks.Geometry(4, 16, 16, 2, 8, 8);
        List<DatasetBlocks.Block> c = DatasetBlocks.candidates(0, 32, 32, 12, List.of(0, 6), g);
        assertEquals(4 * 9, c.size());
        assertEquals(5 * 9, DatasetBlocks.candidates(0, 32, 32, 12, List.of(0), g).size());
        assertEquals(bruteForce(32, 32, 12, List.of(0, 6), g), new HashSet<>(c));
        for (DatasetBlocks.Block b : c) {
            assertFalse(b.frame() < 6 && b.frame() + 4 > 6, () -> "block " + b + " spans the cut at 6");
        }
    }

    @Test
    void matchesBruteForceAndNeverSpansACutOnRandomCases() {
        Random r = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int frames = 1 + r.nextInt(40);
            int w = 8 + r.nextInt(40);
            int h = 8 + r.nextInt(40);
            List<Integer> cuts = new ArrayList<>(List.of(0));
            for (int k = r.nextInt(5); k > 0; k--) {
                cuts.add(r.nextInt(frames));
            }
            var g = new DatasetBlocks.Geometry(1 + r.nextInt(8), 1 + r.nextInt(w), 1 + r.nextInt(h),
                    1 + r.nextInt(6), 1 + r.nextInt(20), 1 + r.nextInt(20));
            List<DatasetBlocks.Block> c = DatasetBlocks.candidates(0, w, h, frames, cuts, g);
            assertEquals(c.size(), new HashSet<>(c).size(), "no duplicates");
            assertEquals(bruteForce(w, h, frames, cuts, g), new HashSet<>(c), () -> "trial " + frames + " " + cuts);
            for (DatasetBlocks.Block b : c) {
                for (int f = b.frame() + 1; f < b.frame() + g.nt(); f++) {
                    assertFalse(cuts.contains(f), "block " + b + " spans the cut at " + f + ", cuts " + cuts);
                }
                assertTrue(b.frame() + g.nt() <= frames && b.x() + g.nx() <= w && b.y() + g.ny() <= h);
            }
        }
    }

    @Test
    void shotsIgnoreRepeatsAndOutOfRangeCutsAndAlwaysStartAtZero() {
        List<int[]> s = DatasetBlocks.shots(10, List.of(4, 4, 12, 7));
        assertEquals(3, s.size());
        assertArrayEquals(new int[] {0, 4}, s.get(0));
        assertArrayEquals(new int[] {4, 7}, s.get(1));
        assertArrayEquals(new int[] {7, 10}, s.get(2));
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, DatasetBlocks.median(new double[] {3, 1, 2}));
        assertEquals(2.5, DatasetBlocks.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void keepsEveryHardBlockAndTheEasyFractionWithinBinomialTolerance() {
        int n = 20000;
        Random r = new Random(3);
        double[] d = new double[n];
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            d[i] = r.nextDouble() * r.nextDouble();
            keys[i] = DatasetBlocks.key("synthetic", new DatasetBlocks.Block(0, i / 100, i % 100, 0));
        }
        double median = DatasetBlocks.median(d);
        for (double p : new double[] {0.0, 0.25, 0.6, 1.0}) {
            boolean[] keep = DatasetBlocks.cull(d, keys, p, 42);
            int easy = 0;
            int easyKept = 0;
            for (int i = 0; i < n; i++) {
                if (d[i] > median) {
                    assertTrue(keep[i], "block above the median culled");
                } else {
                    easy++;
                    easyKept += keep[i] ? 1 : 0;
                }
            }
            assertEquals(n / 2, easy);
            double mean = easy * p;
            double sd = Math.sqrt(easy * p * (1 - p));
            assertTrue(Math.abs(easyKept - mean) <= 4 * sd + 1e-9,
                    "kept " + easyKept + " of " + easy + " easy blocks at p " + p + " (expected " + mean + " +- 4 x "
                            + sd + ")");
        }
    }

    @Test
    void cullingIsDeterministicForASeedAndChangesWithIt() {
        int n = 2000;
        double[] d = new double[n];
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            d[i] = (i * 7919 % n) / (double) n;
            keys[i] = DatasetBlocks.key("garden", new DatasetBlocks.Block(0, i, 0, 0));
        }
        assertArrayEquals(DatasetBlocks.cull(d, keys, 0.25, 5), DatasetBlocks.cull(d, keys, 0.25, 5));
        assertFalse(java.util.Arrays.equals(DatasetBlocks.cull(d, keys, 0.25, 5), DatasetBlocks.cull(d, keys, 0.25, 6)));
        // A block's decision depends on its key, not its position in the list.
        boolean[] a = DatasetBlocks.cull(d, keys, 0.25, 5);
        double[] d2 = new double[n];
        long[] k2 = new long[n];
        for (int i = 0; i < n; i++) {
            d2[i] = d[n - 1 - i];
            k2[i] = keys[n - 1 - i];
        }
        boolean[] b = DatasetBlocks.cull(d2, k2, 0.25, 5);
        for (int i = 0; i < n; i++) {
            assertEquals(a[i], b[n - 1 - i]);
        }
    }
}
