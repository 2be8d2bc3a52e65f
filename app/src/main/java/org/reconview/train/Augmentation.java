package org.reconview.train;

import java.util.SplittableRandom;

/**
 * A consistent transform of a training crop: transpose, then horizontal and vertical flips, with the motion vectors
 * transformed alike (a vector is a difference of positions, so it takes the linear part of the map: swapped by the
 * transpose, negated along a flipped axis), the same permutation of R, G, B in colour and reference, and an exposure
 * change (a factor 2^stops on the linear values, before PQ). Warping the transformed reference by the transformed
 * motion therefore gives what warping the original gives, transformed.
 */
public record Augmentation(boolean transpose, boolean flipX, boolean flipY, int[] channels, float exposureStops) {
    public static final Augmentation NONE = new Augmentation(false, false, false, new int[] {0, 1, 2}, 0f);
    private static final int[][] PERMUTATIONS = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};

    /** A random transform: each flip and the transpose with probability 1/2, any channel order, and half the time an
     * exposure change uniform in [minStops, maxStops]. */
    public static Augmentation random(SplittableRandom rnd, float minStops, float maxStops) {
        boolean t = rnd.nextBoolean();
        boolean fx = rnd.nextBoolean();
        boolean fy = rnd.nextBoolean();
        int[] perm = PERMUTATIONS[rnd.nextInt(PERMUTATIONS.length)].clone();
        float e = rnd.nextBoolean() ? (float) (minStops + (maxStops - minStops) * rnd.nextDouble()) : 0f;
        return new Augmentation(t, fx, fy, perm, e);
    }

    /** Width and height of the source region that becomes a {@code w x h} crop. */
    public int sourceWidth(int w, int h) {
        return transpose ? h : w;
    }

    public int sourceHeight(int w, int h) {
        return transpose ? w : h;
    }

    /**
     * The source pixel (relative to the region's corner, as {@code {sx, sy}}) that lands on crop pixel (ox, oy) of a
     * {@code w x h} crop.
     */
    public int[] source(int ox, int oy, int w, int h) {
        int fx = flipX ? w - 1 - ox : ox;
        int fy = flipY ? h - 1 - oy : oy;
        return transpose ? new int[] {fy, fx} : new int[] {fx, fy};
    }

    /** The motion vector (mx, my) in crop coordinates, written to {@code out[at]}, {@code out[at + 1]}. */
    public void motion(float mx, float my, float[] out, int at) {
        float x = transpose ? my : mx;
        float y = transpose ? mx : my;
        out[at] = flipX ? -x : x;
        out[at + 1] = flipY ? -y : y;
    }

    /** Linear exposure factor. */
    public float gain() {
        return (float) Math.pow(2, exposureStops);
    }

    @Override
    public String toString() {
        return (transpose ? "T" : "") + (flipX ? "X" : "") + (flipY ? "Y" : "") + " rgb<-" + channels[0] + channels[1]
                + channels[2] + " " + exposureStops + " stops";
    }
}
