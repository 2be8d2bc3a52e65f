package org.reconview.metrics;

import java.util.ArrayDeque;
import org.reconview.gl.Texture2D;
import org.reconview.io.FloatImage;

/**
 * A temporal profile as in the paper's Fig. 13: one row (or column) of a method's output taken every frame and
 * stacked downwards, so that flicker shows as horizontal streaks and ghosting as smears. The image is width = line
 * length, height = frames, linear HDR; only that line is read back from the GPU each frame. A profile made with a
 * capacity keeps only the newest that many lines (the viewer's, so that a session of hours holds flat); eval's keep all.
 */
public final class TemporalProfile {
    public enum Axis { ROW, COLUMN }

    private final Axis axis;
    private final int index;
    private final int capacity;
    private final ArrayDeque<float[]> lines = new ArrayDeque<>();
    private long appended;

    public TemporalProfile(Axis axis, int index) {
        this(axis, index, Integer.MAX_VALUE);
    }

    /** A profile that keeps the newest {@code capacity} lines. */
    public TemporalProfile(Axis axis, int index, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.axis = axis;
        this.index = index;
        this.capacity = capacity;
    }

    public Axis axis() {
        return axis;
    }

    public int index() {
        return index;
    }

    /** Appends the chosen line of this frame's image. */
    public void append(Texture2D image) {
        int limit = axis == Axis.ROW ? image.height() : image.width();
        if (index < 0 || index >= limit) {
            throw new IllegalArgumentException(axis.name().toLowerCase() + " " + index + " outside 0.." + (limit - 1));
        }
        float[] rgba = axis == Axis.ROW ? image.download(0, index, image.width(), 1, 4)
                : image.download(index, 0, 1, image.height(), 4);
        append(rgba);
    }

    /** Appends a line given as RGBA floats (for CPU sources and tests). */
    public void append(float[] rgba) {
        if (!lines.isEmpty() && lines.peekFirst().length != rgba.length) {
            throw new IllegalArgumentException("line length changed");
        }
        // Reuse the dropped line's array: a full profile appends without allocating.
        float[] line = lines.size() == capacity ? lines.pollFirst() : new float[rgba.length];
        System.arraycopy(rgba, 0, line, 0, rgba.length);
        lines.addLast(line);
        appended++;
    }

    /** The lines held: all appended, or the newest {@code capacity}. */
    public int frames() {
        return lines.size();
    }

    /** Pixels per line (0 before the first). */
    public int length() {
        return lines.isEmpty() ? 0 : lines.peekFirst().length / 4;
    }

    /** Lines appended in all, including those a capacity dropped. */
    public long appended() {
        return appended;
    }

    /** The stacked lines held: row k is the k-th oldest. */
    public FloatImage image() {
        return tail(Math.max(lines.size(), 1));
    }

    /**
     * The newest {@code rows} lines as a {@code rows}-high image, newest at the bottom; rows without a line yet (at
     * the top) are zero.
     */
    public FloatImage tail(int rows) {
        int length = length();
        FloatImage img = new FloatImage(Math.max(length, 1), rows, 4);
        int skip = Math.max(0, lines.size() - rows);
        int row = rows - Math.min(rows, lines.size());
        int k = 0;
        for (float[] line : lines) {
            if (k++ >= skip) {
                System.arraycopy(line, 0, img.data, row++ * length * 4, length * 4);
            }
        }
        return img;
    }
}
