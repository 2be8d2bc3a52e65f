package org.reconview.color;

/**
 * SMPTE ST 2084 (PQ) inverse EOTF, normalised to a 1000-nit range, as the paper encodes network inputs and
 * accumulates references (section 3, section 6.1). Scene-linear 1.0 is taken as 100 nits, so linear values in
 * [0, 10] map onto [0, 1]; brighter values clip at 1000 nits. {@code shaders/common/pq.glsl} implements the same
 * curve and is tested against this class.
 */
public final class Pq {
    /** Nits that scene-linear 1.0 stands for. */
    public static final double NITS_PER_UNIT = 100.0;
    /** Peak luminance of the encoding (maps to 1.0). */
    public static final double PEAK_NITS = 1000.0;
    /** Largest linear value that encodes below 1.0. */
    public static final double MAX_LINEAR = PEAK_NITS / NITS_PER_UNIT;

    static final double M1 = 2610.0 / 16384.0;
    static final double M2 = 2523.0 / 4096.0 * 128.0;
    static final double C1 = 3424.0 / 4096.0;
    static final double C2 = 2413.0 / 4096.0 * 32.0;
    static final double C3 = 2392.0 / 4096.0 * 32.0;
    /** ST 2084 code value of the peak: dividing by it makes the peak 1.0. */
    static final double PEAK_CODE = st2084(PEAK_NITS / 10000.0);

    private Pq() {
    }

    /** ST 2084 inverse EOTF of y = nits / 10000 in [0,1]. */
    static double st2084(double y) {
        double p = Math.pow(y, M1);
        return Math.pow((C1 + C2 * p) / (1.0 + C3 * p), M2);
    }

    /** Linear scene value to the normalised PQ code in [0, 1]. Negative and NaN inputs give 0. */
    public static double encode(double linear) {
        if (!(linear > 0)) {
            return 0;
        }
        double clipped = Math.min(linear, MAX_LINEAR);
        return st2084(clipped * NITS_PER_UNIT / 10000.0) / PEAK_CODE;
    }

    /** Normalised PQ code in [0, 1] back to the linear scene value in [0, {@link #MAX_LINEAR}]. */
    public static double decode(double code) {
        double e = Math.min(Math.max(code, 0.0), 1.0) * PEAK_CODE;
        double p = Math.pow(e, 1.0 / M2);
        double y = Math.pow(Math.max(p - C1, 0.0) / (C2 - C3 * p), 1.0 / M1);
        return y * 10000.0 / NITS_PER_UNIT;
    }

    public static float encode(float linear) {
        return (float) encode((double) linear);
    }

    public static float decode(float code) {
        return (float) decode((double) code);
    }
}
