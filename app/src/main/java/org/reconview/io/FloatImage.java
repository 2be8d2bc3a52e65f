package org.reconview.io;

/**
 * A float image held in memory: {@code width x height} pixels of {@code channels} floats each, interleaved
 * ({@code data[(y * width + x) * channels + c]}), row-major, row 0 = the TOP row of the image. No colour space or
 * channel names are attached: the reader that made it says what the channels mean.
 */
public final class FloatImage {
    public final int width;
    public final int height;
    public final int channels;
    public final float[] data;

    /** A zero-filled image. */
    public FloatImage(int width, int height, int channels) {
        this(width, height, channels, new float[checkedLength(width, height, channels)]);
    }

    /** Wraps {@code data} (not copied); its length must be {@code width * height * channels}. */
    public FloatImage(int width, int height, int channels, float[] data) {
        int n = checkedLength(width, height, channels);
        if (data == null || data.length != n) {
            throw new IllegalArgumentException("data length " + (data == null ? "null" : data.length) + ", expected "
                    + width + "x" + height + "x" + channels + " = " + n);
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.data = data;
    }

    private static int checkedLength(int width, int height, int channels) {
        if (width <= 0 || height <= 0 || channels <= 0) {
            throw new IllegalArgumentException("bad image size " + width + "x" + height + "x" + channels);
        }
        long n = (long) width * height * channels;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("image too large: " + width + "x" + height + "x" + channels);
        }
        return (int) n;
    }

    public int index(int x, int y, int c) {
        if (x < 0 || x >= width || y < 0 || y >= height || c < 0 || c >= channels) {
            throw new IndexOutOfBoundsException("(" + x + ", " + y + ", " + c + ") outside " + width + "x" + height
                    + "x" + channels);
        }
        return (y * width + x) * channels + c;
    }

    public float get(int x, int y, int c) {
        return data[index(x, y, c)];
    }

    public void set(int x, int y, int c, float v) {
        data[index(x, y, c)] = v;
    }

    public FloatImage copy() {
        return new FloatImage(width, height, channels, data.clone());
    }

    /** How many values are NaN or infinite. */
    public int countNonFinite() {
        int n = 0;
        for (float v : data) {
            if (!Float.isFinite(v)) {
                n++;
            }
        }
        return n;
    }

    /** Replaces every NaN or infinite value by {@code v}; returns how many were replaced. */
    public int replaceNonFinite(float v) {
        int n = 0;
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                data[i] = v;
                n++;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "FloatImage[" + width + "x" + height + "x" + channels + "]";
    }
}
