package org.reconview.metrics;

import java.util.ArrayList;
import java.util.List;
import org.reconview.gl.Texture2D;
import org.reconview.io.FloatImage;

/**
 * A temporal profile as in the paper's Fig. 13: one row (or column) of a method's output taken every frame and
 * stacked downwards, so that flicker shows as horizontal streaks and ghosting as smears. The image is width = line
 * length, height = frames, linear HDR; only that line is read back from the GPU each frame.
 */
public final class TemporalProfile {
    public enum Axis { ROW, COLUMN }

    private final Axis axis;
    private final int index;
    private final List<float[]> lines = new ArrayList<>();

    public TemporalProfile(Axis axis, int index) {
        this.axis = axis;
        this.index = index;
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
        if (!lines.isEmpty() && lines.get(0).length != rgba.length) {
            throw new IllegalArgumentException("line length changed");
        }
        lines.add(rgba.clone());
    }

    public int frames() {
        return lines.size();
    }

    /** The stacked lines: row k is frame k. */
    public FloatImage image() {
        int length = lines.isEmpty() ? 0 : lines.get(0).length / 4;
        FloatImage img = new FloatImage(Math.max(length, 1), Math.max(lines.size(), 1), 4);
        for (int k = 0; k < lines.size(); k++) {
            System.arraycopy(lines.get(k), 0, img.data, k * length * 4, length * 4);
        }
        return img;
    }
}
