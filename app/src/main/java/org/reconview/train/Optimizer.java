package org.reconview.train;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/** A training optimiser over TF variables ({@link Adam}, {@link Ranger}), with state a checkpoint can hold. */
public interface Optimizer {
    /** Zeroes the state and the step count (once before the first step). */
    void reset(Session session);

    /**
     * One update with learning rate {@code lr}; returns the loss before the update, then each of {@code alsoFetch},
     * from the same run. {@code extraTargets} run in the same step (e.g. BN statistic updates).
     */
    float[] step(Session session, Map<Operand<?>, Tensor> feeds, List<Op> extraTargets, float lr,
            List<Operand<TFloat32>> alsoFetch);

    long iterations();

    /** The optimiser's state (moments, slow weights), for checkpoints. */
    List<float[]> readSlots(Session session);

    /** Restores {@link #readSlots} values and the step count. */
    void restoreSlots(Session session, List<float[]> values, long steps);
}
