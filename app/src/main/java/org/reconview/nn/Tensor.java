package org.reconview.nn;

import java.util.Arrays;

/**
 * A feature map or image for the networks: channels x height x width floats, channel-major (CHW), row 0 = top.
 * Channel c, row y, column x lives at {@code (c * height + y) * width + x}. The GLSL passes use the same layout in
 * shader storage buffers, so tensors move between the CPU golden model and the GPU without reordering.
 */
public final class Tensor {
    public final int channels;
    public final int height;
    public final int width;
    public final float[] data;

    public Tensor(int channels, int height, int width) {
        this(channels, height, width, new float[checkedSize(channels, height, width)]);
    }

    public Tensor(int channels, int height, int width, float[] data) {
        if (data.length != checkedSize(channels, height, width)) {
            throw new IllegalArgumentException("tensor " + channels + "x" + height + "x" + width + " needs "
                    + (long) channels * height * width + " values, got " + data.length);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.data = data;
    }

    private static int checkedSize(int c, int h, int w) {
        if (c <= 0 || h <= 0 || w <= 0 || (long) c * h * w > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor size " + c + "x" + h + "x" + w);
        }
        return c * h * w;
    }

    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    public void set(int c, int y, int x, float v) {
        data[(c * height + y) * width + x] = v;
    }

    public int plane() {
        return height * width;
    }

    public Tensor copy() {
        return new Tensor(channels, height, width, data.clone());
    }

    /** Channels [from, from + count) as a new tensor. */
    public Tensor slice(int from, int count) {
        return new Tensor(count, height, width, Arrays.copyOfRange(data, from * plane(), (from + count) * plane()));
    }

    @Override
    public String toString() {
        return "Tensor[" + channels + "x" + height + "x" + width + "]";
    }
}
