package org.reconview.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where training blocks come from (paper, sections 4 and 6.2): blocks of {@code nt} frames x {@code nx} x {@code ny}
 * pixels at temporal and spatial strides, never across a camera cut, and the culling of "easy" blocks. Pure functions
 * of their arguments: no files, no GL.
 */
public final class DatasetBlocks {
    private DatasetBlocks() {
    }

    /** Block size and strides; every value is at least 1. */
    public record Geometry(int nt, int nx, int ny, int strideTime, int strideX, int strideY) {
        public Geometry {
            if (nt < 1 || nx < 1 || ny < 1 || strideTime < 1 || strideX < 1 || strideY < 1) {
                throw new IllegalArgumentException("bad block geometry " + nt + "x" + nx + "x" + ny + " strides "
                        + strideTime + "/" + strideX + "/" + strideY);
            }
        }

        /** Floats in one block of {@code channels} channels. */
        public long values(int channels) {
            return (long) nt * nx * ny * channels;
        }
    }

    /** A candidate block: first frame {@code frame} (in its scene's sequence) and top-left pixel {@code (x, y)}. */
    public record Block(int scene, int frame, int x, int y) {
    }

    /**
     * The shots of a sequence of {@code frames} frames as {@code [start, end)} pairs; {@code cuts} lists the frames
     * that start a shot (frame 0 always does, whether listed or not; entries outside the sequence are ignored).
     */
    public static List<int[]> shots(int frames, List<Integer> cuts) {
        boolean[] starts = new boolean[frames];
        if (frames > 0) {
            starts[0] = true;
        }
        for (Integer c : cuts) {
            if (c != null && c >= 0 && c < frames) {
                starts[c] = true;
            }
        }
        List<int[]> shots = new ArrayList<>();
        int begin = 0;
        for (int f = 1; f <= frames; f++) {
            if (f == frames || starts[f]) {
                shots.add(new int[] {begin, f});
                begin = f;
            }
        }
        return shots;
    }

    /** Start positions {@code 0, stride, 2 stride, ...} of windows of {@code size} that fit in {@code length}. */
    static int positions(int length, int size, int stride) {
        return length < size ? 0 : (length - size) / stride + 1;
    }

    /**
     * The candidate blocks of one sequence ({@code width x height}, {@code frames} frames, shots starting at
     * {@code cuts}), in the order they are numbered: by shot, then first frame, then row, then column. A block's frames
     * all lie in one shot; windows start at multiples of the stride from the shot's first frame and from pixel 0 and
     * must fit whole (a remainder smaller than a stride is not covered).
     */
    public static List<Block> candidates(int scene, int width, int height, int frames, List<Integer> cuts,
            Geometry g) {
        List<Block> out = new ArrayList<>();
        int nxPos = positions(width, g.nx(), g.strideX());
        int nyPos = positions(height, g.ny(), g.strideY());
        for (int[] shot : shots(frames, cuts)) {
            int ntPos = positions(shot[1] - shot[0], g.nt(), g.strideTime());
            for (int i = 0; i < ntPos; i++) {
                int t0 = shot[0] + i * g.strideTime();
                for (int yi = 0; yi < nyPos; yi++) {
                    for (int xi = 0; xi < nxPos; xi++) {
                        out.add(new Block(scene, t0, xi * g.strideX(), yi * g.strideY()));
                    }
                }
            }
        }
        return out;
    }

    /** The median of the values (the mean of the two middle ones for an even count); NaN when there are none. */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    /**
     * Which blocks to keep: every block whose difficulty is above the median, and of the others (at or below it)
     * each with probability {@code keepEasy}, decided by a uniform number drawn from {@code seed} and the block's
     * {@code key} alone (see {@link #uniform}), so the choice is deterministic and independent of block order.
     */
    public static boolean[] cull(double[] difficulty, long[] keys, double keepEasy, long seed) {
        if (keys.length != difficulty.length) {
            throw new IllegalArgumentException(keys.length + " keys for " + difficulty.length + " blocks");
        }
        double median = median(difficulty);
        boolean[] keep = new boolean[difficulty.length];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = difficulty[i] > median || uniform(seed, keys[i]) < keepEasy;
        }
        return keep;
    }

    /** A block's identity for {@link #cull}: its scene's name, first frame and corner. */
    public static long key(String sceneName, Block b) {
        long h = mix(sceneName.hashCode());
        h = mix(h ^ b.frame());
        h = mix(h ^ ((long) b.x() << 32 | (b.y() & 0xffffffffL)));
        return h;
    }

    /** A uniform number in [0, 1) from a seed and a key (SplitMix64 finaliser, 53 bits). */
    public static double uniform(long seed, long key) {
        long h = mix(mix(seed) ^ key);
        return (h >>> 11) * 0x1.0p-53;
    }

    private static long mix(long z) {
        z += 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
