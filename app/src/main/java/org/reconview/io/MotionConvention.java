package org.reconview.io;

import com.google.gson.annotations.SerializedName;
import org.reconview.UserException;

import java.util.List;

/**
 * How a sequence stores its motion vectors (the {@code motion} object of {@code sequence.json}), and the conversion
 * to the canonical convention used everywhere else: a vector points from the current pixel to where that surface
 * was in the previous frame, in pixels, +x right, +y down (image row order), so the previous position of pixel
 * {@code (x, y)} is {@code (x + R, y + G)}.
 * <p>
 * Fields: {@code direction} "current-to-previous" (default) or "previous-to-current" (negated); {@code units}
 * "pixels" (default), "ndc" (x*W/2, y*H/2) or "uv" (x*W, y*H); {@code y} "down" (default) or "up" (y negated after
 * the unit conversion); {@code scale} a multiplier (default 1).
 */
public final class MotionConvention {
    public static final String CURRENT_TO_PREVIOUS = "current-to-previous";
    public static final String PREVIOUS_TO_CURRENT = "previous-to-current";
    public static final String PIXELS = "pixels";
    public static final String NDC = "ndc";
    public static final String UV = "uv";
    public static final String DOWN = "down";
    public static final String UP = "up";

    @SerializedName("direction")
    private String direction = CURRENT_TO_PREVIOUS;
    @SerializedName("units")
    private String units = PIXELS;
    @SerializedName("y")
    private String y = DOWN;
    @SerializedName("scale")
    private float scale = 1f;

    /** The canonical convention (current-to-previous, pixels, y down, scale 1). */
    public MotionConvention() {
    }

    public MotionConvention(String direction, String units, String y, float scale) {
        this.direction = direction;
        this.units = units;
        this.y = y;
        this.scale = scale;
    }

    public static MotionConvention canonical() {
        return new MotionConvention();
    }

    public String direction() {
        return direction;
    }

    public String units() {
        return units;
    }

    public String y() {
        return y;
    }

    public float scale() {
        return scale;
    }

    public boolean isCanonical() {
        validate("motion");
        return CURRENT_TO_PREVIOUS.equals(direction) && PIXELS.equals(units) && DOWN.equals(y) && scale == 1f;
    }

    /** Fills missing fields with defaults and checks the strings; errors name {@code where} (e.g. the json file). */
    public void validate(String where) {
        if (direction == null) direction = CURRENT_TO_PREVIOUS;
        if (units == null) units = PIXELS;
        if (y == null) y = DOWN;
        check(where, "direction", direction, List.of(CURRENT_TO_PREVIOUS, PREVIOUS_TO_CURRENT));
        check(where, "units", units, List.of(PIXELS, NDC, UV));
        check(where, "y", y, List.of(DOWN, UP));
        if (!Float.isFinite(scale)) {
            throw new UserException(where + ": motion.scale " + scale + " is not a finite number");
        }
    }

    private static void check(String where, String field, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw new UserException(where + ": motion." + field + " '" + value + "' unknown ("
                    + String.join(", ", allowed) + ")");
        }
    }

    /**
     * Converts channels 0 (x) and 1 (y) of {@code motion} to the canonical convention in place; {@code width} and
     * {@code height} are the frame size in pixels (for ndc and uv units).
     */
    public void toCanonical(FloatImage motion, int width, int height) {
        if (motion.channels < 2) {
            throw new IllegalArgumentException("motion needs 2 channels, has " + motion.channels);
        }
        validate("motion");
        float sx = scale, sy = scale;
        if (PREVIOUS_TO_CURRENT.equals(direction)) {
            sx = -sx;
            sy = -sy;
        }
        if (NDC.equals(units)) {
            sx *= width * 0.5f;
            sy *= height * 0.5f;
        } else if (UV.equals(units)) {
            sx *= width;
            sy *= height;
        }
        if (UP.equals(y)) {
            sy = -sy;
        }
        if (sx == 1f && sy == 1f) {
            return;
        }
        float[] d = motion.data;
        int nc = motion.channels;
        for (int i = 0; i < d.length; i += nc) {
            d[i] *= sx;
            d[i + 1] *= sy;
        }
    }

    @Override
    public String toString() {
        return "motion{direction=" + direction + ", units=" + units + ", y=" + y + ", scale=" + scale + "}";
    }
}
