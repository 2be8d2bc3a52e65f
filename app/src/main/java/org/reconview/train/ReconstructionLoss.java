package org.reconview.train;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The paper's training loss (section 4.1) as TensorFlow operations over an unrolled block of N_t frames:
 * L = 0.3 L_s + 0.7 L_t with the spatial L1 loss L_s = mean |o_k - r_k| over all frames and pixels (eq. 1), and the
 * temporal loss L_t = mean |(o_k - phi_k) - (r_k - psi_k)| over frames k >= 2 (eq. 2), phi_k and psi_k being the
 * previous output and reference warped by frame k's motion ({@link WarpOp}). Pixels whose warp leaves the screen
 * are left out of L_t (the mean is over valid pixels). All images NHWC, PQ space.
 */
public final class ReconstructionLoss {
    public static final float SPATIAL_WEIGHT = 0.3f;
    public static final float TEMPORAL_WEIGHT = 0.7f;

    /** The loss and its two terms. */
    public record Terms(Operand<TFloat32> total, Operand<TFloat32> spatial, Operand<TFloat32> temporal) {
    }

    private ReconstructionLoss() {
    }

    /**
     * @param outputs    o_k, k = 0..N_t-1, each [B, H, W, 3]
     * @param references r_k
     * @param motions    motion of frame k (current to previous, pixels), each [B, H, W, 2]; motions.get(0) unused
     */
    public static Terms build(Ops tf, List<Operand<TFloat32>> outputs, List<Operand<TFloat32>> references,
            List<Operand<TFloat32>> motions, int batch, int height, int width) {
        int n = outputs.size();
        Operand<TFloat32> spatial = null;
        for (int k = 0; k < n; k++) {
            Operand<TFloat32> l1 = tf.math.mean(tf.math.abs(tf.math.sub(outputs.get(k), references.get(k))),
                    tf.constant(new int[] {0, 1, 2, 3}));
            spatial = spatial == null ? l1 : tf.math.add(spatial, l1);
        }
        spatial = tf.math.div(spatial, tf.constant((float) n));
        Operand<TFloat32> temporalSum = tf.constant(0f);
        Operand<TFloat32> validSum = tf.constant(0f);
        for (int k = 1; k < n; k++) {
            WarpOp.Result phi = WarpOp.warp(tf, outputs.get(k - 1), motions.get(k), batch, height, width);
            WarpOp.Result psi = WarpOp.warp(tf, references.get(k - 1), motions.get(k), batch, height, width);
            Operand<TFloat32> diff = tf.math.abs(tf.math.sub(tf.math.sub(outputs.get(k), phi.image()),
                    tf.math.sub(references.get(k), psi.image())));
            temporalSum = tf.math.add(temporalSum, tf.reduceSum(tf.math.mul(diff, phi.valid()),
                    tf.constant(new int[] {0, 1, 2, 3})));
            validSum = tf.math.add(validSum, tf.math.mul(tf.reduceSum(phi.valid(), tf.constant(new int[] {0, 1, 2, 3})),
                    tf.constant(3f)));
        }
        Operand<TFloat32> temporal = n > 1 ? tf.math.divNoNan(temporalSum, validSum) : tf.constant(0f);
        Operand<TFloat32> total = tf.math.add(tf.math.mul(tf.constant(SPATIAL_WEIGHT), spatial),
                tf.math.mul(tf.constant(TEMPORAL_WEIGHT), temporal));
        return new Terms(total, spatial, temporal);
    }
}
