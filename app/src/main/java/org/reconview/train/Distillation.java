package org.reconview.train;

import java.util.List;
import org.reconview.nn.LayerSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Attention-transfer distillation (Zagoruyko and Komodakis 2017), the form CADyQ trains its selectors with: a
 * feature map's attention is the channel mean of its squares, flattened per sample and scaled to unit L2 norm; the
 * loss is the mean squared difference of the student's and the teacher's attention, summed over the distilled layers
 * and averaged over the steps. The teacher's side carries no gradient.
 */
final class Distillation {
    private Distillation() {
    }

    /** at(f) for an NHWC feature map: [N, H*W], each row of unit L2 norm. */
    static Operand<TFloat32> attention(Ops tf, Operand<TFloat32> features) {
        Operand<TFloat32> a = tf.math.mean(tf.math.square(features), tf.constant(3));
        long n = features.shape().get(0);
        Operand<TFloat32> flat = tf.reshape(a, tf.constant(new long[] {n, -1}));
        Operand<TFloat32> norm = tf.math.sqrt(tf.math.add(tf.reduceSum(tf.math.square(flat), tf.constant(1),
                org.tensorflow.op.core.ReduceSum.keepDims(true)), tf.constant(1e-12f)));
        return tf.math.div(flat, norm);
    }

    /**
     * sum over {@code layers} of mean((at(student) - at(teacher))^2), averaged over the step pairs (same length
     * lists of the two networks' steps on the same inputs).
     */
    static Operand<TFloat32> loss(Ops tf, List<NetworkGraph.Step> student, List<NetworkGraph.Step> teacher,
            List<LayerSpec> layers) {
        if (student.size() != teacher.size() || student.isEmpty()) {
            throw new IllegalArgumentException(student.size() + " student steps, " + teacher.size() + " teacher");
        }
        Operand<TFloat32> sum = null;
        for (int i = 0; i < student.size(); i++) {
            for (LayerSpec l : layers) {
                Operand<TFloat32> s = attention(tf, student.get(i).tensors().get(l.name()));
                Operand<TFloat32> t = tf.stopGradient(attention(tf, teacher.get(i).tensors().get(l.name())));
                Operand<TFloat32> term = tf.math.mean(tf.math.squaredDifference(s, t), tf.constant(new int[] {0, 1}));
                sum = sum == null ? term : tf.math.add(sum, term);
            }
        }
        return tf.math.div(sum, tf.constant((float) student.size()));
    }
}
