package org.reconview.scene;

/**
 * The reconstruction filter of the supersampled reference: a separable 2D Blackman-Harris window of radius
 * {@link #RADIUS} pixels (3 px wide, so neighbouring pixels share sample positions), accumulated in PQ space as the
 * paper built its references (section 6.1).
 *
 * <p>Rather than spreading samples uniformly and multiplying by the window (most samples would land where it is
 * nearly zero: with this window a quarter of them would count), sample offsets are drawn from the window itself by
 * inverting its CDF on each axis of a Halton(2,3) point, so every sample has weight 1. The expected value is the same
 * window-weighted average; the variance is about four times lower at equal sample count.
 */
public final class ReferenceFilter {
    /** Half width of the window in pixels. */
    public static final double RADIUS = 1.5;

    private static final double A0 = 0.35875;
    private static final double A1 = 0.48829;
    private static final double A2 = 0.14128;
    private static final double A3 = 0.01168;

    private ReferenceFilter() {
    }

    /** The 4-term Blackman-Harris window at offset x in pixels (1 at the centre, ~0 at +-RADIUS, 0 outside). */
    public static double window(double x) {
        if (Math.abs(x) >= RADIUS) {
            return 0;
        }
        double t = (x + RADIUS) / (2 * RADIUS);
        return A0 - A1 * Math.cos(2 * Math.PI * t) + A2 * Math.cos(4 * Math.PI * t) - A3 * Math.cos(6 * Math.PI * t);
    }

    /** Normalised integral of the window from -RADIUS to x, in [0, 1]. */
    public static double cdf(double x) {
        double t = Math.min(Math.max((x + RADIUS) / (2 * RADIUS), 0), 1);
        double twoPi = 2 * Math.PI;
        return (A0 * t - A1 * Math.sin(twoPi * t) / twoPi + A2 * Math.sin(2 * twoPi * t) / (2 * twoPi)
                - A3 * Math.sin(3 * twoPi * t) / (3 * twoPi)) / A0;
    }

    /** The offset x with cdf(x) = u, by bisection (deterministic, exact to double precision). */
    public static double inverseCdf(double u) {
        double lo = -RADIUS;
        double hi = RADIUS;
        for (int i = 0; i < 64; i++) {
            double mid = 0.5 * (lo + hi);
            if (cdf(mid) < u) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /** Offset of reference sample i in pixels from the pixel centre, {x, y}; +y is down. */
    public static float[] offset(int i) {
        return new float[] {
            (float) inverseCdf(Halton.radicalInverse(i + 1, 2)), (float) inverseCdf(Halton.radicalInverse(i + 1, 3))
        };
    }
}
