package org.reconview.train;

import java.util.ArrayList;
import java.util.List;
import org.reconview.nn.CadyqSpec;
import org.reconview.nn.LayerSpec;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.types.TFloat32;

/**
 * The recurrent training graph over one window (paper section 4): {@code warmup} forward-only frames, so the frames
 * that carry gradient see a settled history, then {@code frames} frames through which L = 0.3 L_s + 0.7 L_t is
 * back-propagated. Frame 0 takes I_w = I_a; every later frame the previous output, clamped to [0, 1] as inference
 * clamps it, warped by the frame's motion, and I_a where the warp leaves the crop. A warm-up output enters the next
 * frame through a stop-gradient, so no gradient reaches a warm-up frame. Placeholders: colour and motion for every
 * frame, references for the loss frames; two scalars with defaults, the BN batch-statistics weight (see
 * {@link NetworkGraph}) and the running-statistics momentum.
 */
public final class Unroll {
    public final List<Placeholder<TFloat32>> colors = new ArrayList<>();
    public final List<Placeholder<TFloat32>> motions = new ArrayList<>();
    /** References of the loss frames only (index 0 = frame {@code warmup}). */
    public final List<Placeholder<TFloat32>> references = new ArrayList<>();
    public final List<Operand<TFloat32>> outputs = new ArrayList<>();
    public final PlaceholderWithDefault<TFloat32> bnBatchWeight;
    public final PlaceholderWithDefault<TFloat32> bnMomentum;
    public final ReconstructionLoss.Terms loss;
    /**
     * CADyQ: the MAC-weighted average activation bits of the selected convs over the loss frames (straight-through:
     * its value is the chosen widths', its gradient the selectors' softmax); null for other modes.
     */
    public final Operand<TFloat32> avgBits;
    /** The bit loss weight w_bit, fed per step (CADyQ; default 0). */
    public final PlaceholderWithDefault<TFloat32> bitWeight;
    /**
     * CADyQ: what the bit loss charges, {@link #avgBits} with each tile's bits weighted by its flatness
     * ({@link CadyqGraph#flatnessWeights}; equal to avgBits when the flatness exponent is 0); null for other modes.
     */
    public final Operand<TFloat32> bitCost;
    /**
     * CADyQ with a teacher: the attention-transfer term ({@link Distillation}) between the selected convs' outputs
     * and the teacher's on the same inputs, before its weight; null otherwise.
     */
    public final Operand<TFloat32> distill;
    /** The distillation weight, fed per step (default 0). */
    public final PlaceholderWithDefault<TFloat32> distillWeight;
    /**
     * What the optimiser minimises: the reconstruction loss, plus w_bit times {@link #bitCost} for CADyQ, plus the
     * distillation weight times {@link #distill} with a teacher.
     */
    public final Operand<TFloat32> objective;
    /** BN running-statistics updates from every frame's batch statistics (FP32 training only; else empty). */
    public final List<Op> statUpdates;
    public final int warmup;
    public final int frames;
    /** CADyQ with centred selector gradients: the selectors' centring states (else empty). */
    final java.util.List<CadyqGraph.Centring> centrings;

    public Unroll(Ops tf, ModelVariables vars, NetworkGraph.Mode mode, int warmup, int frames, int batch, int height,
            int width) {
        this(tf, vars, mode, warmup, frames, batch, height, width, 0f, false);
    }

    /**
     * @param bitFlatness CADyQ: the exponent of the flatness weighting of the bit loss (0: CADyQ's plain MAC-weighted
     *                    average bits)
     * @param centredSelectorGradients CADyQ: {@link CadyqGraph#centredGradients}
     */
    public Unroll(Ops tf, ModelVariables vars, NetworkGraph.Mode mode, int warmup, int frames, int batch, int height,
            int width, float bitFlatness, boolean centredSelectorGradients) {
        this(tf, vars, mode, warmup, frames, batch, height, width, bitFlatness, centredSelectorGradients, null);
    }

    /**
     * @param teacher CADyQ: the variables of the CADyQ network to distil from (a fixed-width one: every tile at the
     *                same bits; its frames see this network's inputs, the warped history included), or null
     */
    public Unroll(Ops tf, ModelVariables vars, NetworkGraph.Mode mode, int warmup, int frames, int batch, int height,
            int width, float bitFlatness, boolean centredSelectorGradients, ModelVariables teacher) {
        if (teacher != null && mode != NetworkGraph.Mode.CADYQ) {
            throw new IllegalArgumentException("distillation is for CADyQ training");
        }
        this.warmup = warmup;
        this.frames = frames;
        bnBatchWeight = tf.placeholderWithDefault(tf.constant(1f), Shape.scalar());
        bnMomentum = tf.placeholderWithDefault(tf.constant(0.99f), Shape.scalar());
        NetworkGraph net = new NetworkGraph(tf, vars, bnBatchWeight).centredSelectorGradients(centredSelectorGradients);
        NetworkGraph teacherNet = teacher == null ? null : new NetworkGraph(tf, teacher);
        List<NetworkGraph.Step> teacherSteps = new ArrayList<>();
        List<NetworkGraph.Step> steps = new ArrayList<>();
        List<Operand<TFloat32>> lossOutputs = new ArrayList<>();
        List<Operand<TFloat32>> lossMotions = new ArrayList<>();
        List<Operand<TFloat32>> lossRefs = new ArrayList<>();
        Operand<TFloat32> previous = null;
        for (int t = 0; t < warmup + frames; t++) {
            Placeholder<TFloat32> c = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, height, width,
                    3)));
            Placeholder<TFloat32> m = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, height, width,
                    2)));
            colors.add(c);
            motions.add(m);
            Operand<TFloat32> iw = c;
            if (previous != null) {
                Operand<TFloat32> history = tf.clipByValue(previous, tf.constant(0f), tf.constant(1f));
                if (t - 1 < warmup) {
                    history = tf.stopGradient(history);
                }
                WarpOp.Result w = WarpOp.warp(tf, history, m, batch, height, width);
                iw = tf.math.add(w.image(), tf.math.mul(tf.math.sub(tf.constant(1f), w.valid()), c));
            }
            NetworkGraph.Step st = net.step(c, iw, mode);
            steps.add(st);
            outputs.add(st.output());
            if (t >= warmup) {
                if (teacherNet != null) {
                    teacherSteps.add(teacherNet.step(c, tf.stopGradient(iw), NetworkGraph.Mode.CADYQ));
                }
                Placeholder<TFloat32> r = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, height,
                        width, 3)));
                references.add(r);
                lossOutputs.add(st.output());
                lossMotions.add(m);
                lossRefs.add(r);
            }
            previous = st.output();
        }
        centrings = java.util.List.copyOf(net.centrings());
        loss = ReconstructionLoss.build(tf, lossOutputs, lossRefs, lossMotions, batch, height, width);
        statUpdates = mode == NetworkGraph.Mode.FP32_TRAIN ? net.runningStatUpdates(steps, bnMomentum) : List.of();
        bitWeight = tf.placeholderWithDefault(tf.constant(0f), Shape.scalar());
        distillWeight = tf.placeholderWithDefault(tf.constant(0f), Shape.scalar());
        if (mode == NetworkGraph.Mode.CADYQ) {
            List<NetworkGraph.Step> lossSteps = steps.subList(warmup, steps.size());
            avgBits = averageBits(tf, vars.cadyq(), lossSteps, 0f);
            bitCost = bitFlatness == 0f ? avgBits : averageBits(tf, vars.cadyq(), lossSteps, bitFlatness);
            distill = teacher == null ? null : Distillation.loss(tf, lossSteps, teacherSteps, vars.cadyq().selected());
            Operand<TFloat32> o = tf.math.add(loss.total(), tf.math.mul(bitWeight, bitCost));
            objective = distill == null ? o : tf.math.add(o, tf.math.mul(distillWeight, distill));
        } else {
            distill = null;
            avgBits = null;
            bitCost = null;
            objective = loss.total();
        }
    }

    /**
     * sum over selected convs of MACs_L mean(bits_L) / sum MACs_L (a conv's tiles have equal MACs), averaged over
     * the given steps: BitOps' {@code avg_bits} of the batch. With {@code flatness} > 0 each tile's bits are weighted
     * by {@link CadyqGraph#flatnessWeights} of its step's tile gradients (mean weight 1 over the batch's tiles).
     */
    static Operand<TFloat32> averageBits(Ops tf, CadyqSpec spec, List<NetworkGraph.Step> steps, float flatness) {
        double total = 0;
        for (LayerSpec l : spec.selected()) {
            total += l.weightCount() * l.pixelFraction();
        }
        Operand<TFloat32> sum = null;
        for (NetworkGraph.Step st : steps) {
            Operand<TFloat32> weights = flatness == 0f ? null
                    : CadyqGraph.flatnessWeights(tf, st.tileGradients(), flatness);
            for (LayerSpec l : spec.selected()) {
                float share = (float) (l.weightCount() * l.pixelFraction() / total / steps.size());
                Operand<TFloat32> bits = st.tileBits().get(l.name());
                if (weights != null) {
                    bits = tf.math.mul(bits, weights);
                }
                Operand<TFloat32> term = tf.math.mul(tf.constant(share), tf.math.mean(bits,
                        tf.constant(new int[] {0, 1, 2})));
                sum = sum == null ? term : tf.math.add(sum, term);
            }
        }
        return sum;
    }
}
