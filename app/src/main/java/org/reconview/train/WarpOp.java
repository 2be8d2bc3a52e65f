package org.reconview.train;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The bilinear backward warp of {@link org.reconview.recon.Warp} as TensorFlow operations, for the recurrent
 * training graph (I_w = warp(previous output)) and the temporal loss: output pixel (x, y) takes the image at
 * (x + mx, y + my) in texel coordinates, neighbours clamped to the edge, and is valid where that position lies on the
 * image (in [-0.5, size - 0.5]); invalid pixels are 0. Differentiable with respect to the image (through GatherNd);
 * the motion is data. Tensors are NHWC: image [B, H, W, C], motion [B, H, W, 2] in pixels, +y down.
 */
public final class WarpOp {
    /** The warped image and its validity mask [B, H, W, 1] (1 valid, 0 off screen). */
    public record Result(Operand<TFloat32> image, Operand<TFloat32> valid) {
    }

    private WarpOp() {
    }

    public static Result warp(Ops tf, Operand<TFloat32> image, Operand<TFloat32> motion, int batch, int height,
            int width) {
        // Pixel grids [1, H, W] of x and y, and the batch index [B, 1, 1].
        float[][][] xs = new float[1][height][width];
        float[][][] ys = new float[1][height][width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                xs[0][y][x] = x;
                ys[0][y][x] = y;
            }
        }
        int[][][] bs = new int[batch][1][1];
        for (int b = 0; b < batch; b++) {
            bs[b][0][0] = b;
        }
        Operand<TFloat32> mx = tf.squeeze(tf.slice(motion, tf.constant(new int[] {0, 0, 0, 0}),
                tf.constant(new int[] {-1, -1, -1, 1})), org.tensorflow.op.core.Squeeze.axis(java.util.List.of(3L)));
        Operand<TFloat32> my = tf.squeeze(tf.slice(motion, tf.constant(new int[] {0, 0, 0, 1}),
                tf.constant(new int[] {-1, -1, -1, 1})), org.tensorflow.op.core.Squeeze.axis(java.util.List.of(3L)));
        Operand<TFloat32> u = tf.math.add(tf.constant(xs), mx);
        Operand<TFloat32> v = tf.math.add(tf.constant(ys), my);
        Operand<TFloat32> u0 = tf.math.floor(u);
        Operand<TFloat32> v0 = tf.math.floor(v);
        Operand<TFloat32> fx = tf.expandDims(tf.math.sub(u, u0), tf.constant(3));
        Operand<TFloat32> fy = tf.expandDims(tf.math.sub(v, v0), tf.constant(3));
        Operand<TInt32> x0 = tf.dtypes.cast(u0, TInt32.class);
        Operand<TInt32> y0 = tf.dtypes.cast(v0, TInt32.class);
        Operand<TInt32> one = tf.constant(1);
        Operand<TInt32> batchIndex = tf.math.add(tf.constant(bs), tf.zerosLike(x0));
        Operand<TFloat32> a = gather(tf, image, batchIndex, y0, x0, height, width);
        Operand<TFloat32> b = gather(tf, image, batchIndex, y0, tf.math.add(x0, one), height, width);
        Operand<TFloat32> c = gather(tf, image, batchIndex, tf.math.add(y0, one), x0, height, width);
        Operand<TFloat32> d = gather(tf, image, batchIndex, tf.math.add(y0, one), tf.math.add(x0, one), height,
                width);
        Operand<TFloat32> oneF = tf.constant(1f);
        Operand<TFloat32> top = tf.math.add(tf.math.mul(a, tf.math.sub(oneF, fx)), tf.math.mul(b, fx));
        Operand<TFloat32> bottom = tf.math.add(tf.math.mul(c, tf.math.sub(oneF, fx)), tf.math.mul(d, fx));
        Operand<TFloat32> value = tf.math.add(tf.math.mul(top, tf.math.sub(oneF, fy)), tf.math.mul(bottom, fy));
        Operand<TFloat32> inside = tf.dtypes.cast(tf.math.logicalAnd(
                tf.math.logicalAnd(tf.math.greaterEqual(u, tf.constant(-0.5f)),
                        tf.math.lessEqual(u, tf.constant(width - 0.5f))),
                tf.math.logicalAnd(tf.math.greaterEqual(v, tf.constant(-0.5f)),
                        tf.math.lessEqual(v, tf.constant(height - 0.5f)))), TFloat32.class);
        Operand<TFloat32> valid = tf.expandDims(inside, tf.constant(3));
        return new Result(tf.math.mul(value, valid), valid);
    }

    /** image[b, clamp(y), clamp(x), :] for index grids [B, H, W]. */
    private static Operand<TFloat32> gather(Ops tf, Operand<TFloat32> image, Operand<TInt32> b, Operand<TInt32> y,
            Operand<TInt32> x, int height, int width) {
        Operand<TInt32> yc = tf.clipByValue(y, tf.constant(0), tf.constant(height - 1));
        Operand<TInt32> xc = tf.clipByValue(x, tf.constant(0), tf.constant(width - 1));
        Operand<TInt32> idx = tf.stack(java.util.List.of(b, yc, xc), org.tensorflow.op.core.Stack.axis(3L));
        return tf.gatherNd(image, idx);
    }
}
