package org.reconview.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.reconview.nn.FloatOps;
import org.reconview.nn.LayerSpec;
import org.reconview.nn.NetworkSpec;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The TensorFlow graph of a {@link NetworkSpec}, generated from the same layer list as
 * {@link org.reconview.nn.GoldenModel} (FP32) and {@link org.reconview.nn.QuantizedModel} (simulated INT4), NHWC,
 * reading the parameters from {@link ModelVariables}. {@link #step} builds one time step of the network on given
 * input operands and returns its output operand, so a trainer can unroll N_t frames with
 * I_w = Warp(previous output) by calling it repeatedly on the same variables.
 * <p>
 * Layer by layer, each the graph form of a {@link FloatOps} definition: 3x3 convs "SAME" with zero padding (OIHW
 * variables transposed to HWIO); batch norm per {@link Mode}; ELU; 2x2 max/avg pool VALID; nearest upsampling
 * (ResizeNearestNeighbor, exact 2x); bilinear upsampling (ResizeBilinear with half_pixel_centers, TensorFlow's edge
 * clamping = FloatOps'); gradient magnitude of Rec. 709 luma with central differences, edge clamped by SYMMETRIC
 * padding of one pixel (= edge replication); softmax over channels; the 3x3 kernel filters on an edge-replicated image
 * as nine shifted slices weighted by the kernel channels; the upsampling filter's tenth weight scaling the skip.
 * <p>
 * The gradient magnitude is sqrt(max(g, 1e-20)) rather than sqrt(g): equal to FloatOps' value to 1e-10, and its
 * gradient is 0 instead of NaN on flat regions (relevant once I_w depends on the weights through the warp).
 */
public final class NetworkGraph {
    /** How batch norm and quantization are built. */
    public enum Mode {
        /** FP32, BN with the batch's statistics (training); {@link Step#batchStats()} feeds the running averages. */
        FP32_TRAIN,
        /** FP32, BN with the running mean and variance (inference; equals the golden model). */
        FP32_INFERENCE,
        /**
         * QW-Net's simulated quantization (section 5.1): BN folded from the frozen running statistics into the
         * weights and bias (as {@link org.reconview.nn.QuantizedConv} does), per-channel symmetric weight fake-quant
         * with the layer's bits, activation fake-quant per range from the threshold variables; kernel prediction with
         * 8-bit weights and FP32 outputs; the filter network FP32.
         */
        SIMULATED_QUANT,
        /**
         * CADyQ on QW-Net ({@link CadyqGraph}): as SIMULATED_QUANT, but the feature extractor keeps the float values
         * after each ELU and every conv quantizes its input: a selected conv per tile at the width its selector
         * chooses (straight-through), the kernel-prediction convs at their range's fixed 4 bits, the input conv the
         * 8-bit {@code fe.input}. Needs CADyQ variables.
         */
        CADYQ
    }

    /** The batch mean and (Bessel-corrected) variance a training-mode BN layer used. */
    public record BatchStats(Operand<TFloat32> mean, Operand<TFloat32> variance) {
    }

    /**
     * One time step.
     *
     * @param output     the network output, NHWC [N, H, W, 3], PQ-encoded RGB
     * @param tensors    every layer's output by layer name (NHWC), for tests and debugging
     * @param batchStats per BN layer (FP32_TRAIN only, else empty)
     * @param tileBits   per selected conv, each tile's chosen width [N, ty, tx] with the straight-through gradient
     *                   (CADYQ only, else empty)
     * @param tileGradients the selectors' tile gradients of this step's I_a [N, ty, tx, 2] (CADYQ only, else null)
     */
    public record Step(Operand<TFloat32> output, Map<String, Operand<TFloat32>> tensors,
                       Map<String, BatchStats> batchStats, Map<String, Operand<TFloat32>> tileBits,
                       Operand<TFloat32> tileGradients) {
    }

    /** What one step's layers share: CADyQ's tile gradients and the choices made. */
    private record StepState(Operand<TFloat32> tileGradients, Map<String, Operand<TFloat32>> tileBits) {
    }

    private static final float[] LUMA = {0.2126f, 0.7152f, 0.0722f};
    private static final float GRADIENT_FLOOR = 1e-20f;

    private final Ops tf;
    private final NetworkSpec spec;
    private final ModelVariables vars;
    /** FP32_TRAIN's mix of batch statistics (1) and running statistics (0); null: batch statistics only. */
    private final Operand<TFloat32> bnBatchWeight;
    /** CADyQ's graph pieces when the variables are a CADyQ network's, else null. */
    private final CadyqGraph cadyq;

    public NetworkGraph(Ops tf, ModelVariables vars) {
        this(tf, vars, null);
    }

    /**
     * @param bnBatchWeight a scalar s: FP32_TRAIN's BN is s * BN(batch statistics) + (1 - s) * BN(running
     *                      statistics), so one graph trains with batch statistics (s = 1) and, later, with the frozen
     *                      running statistics that inference uses (s = 0); null for batch statistics only
     */
    public NetworkGraph(Ops tf, ModelVariables vars, Operand<TFloat32> bnBatchWeight) {
        this.tf = tf;
        this.spec = vars.spec();
        this.vars = vars;
        this.bnBatchWeight = bnBatchWeight;
        this.cadyq = vars.cadyq() == null ? null : new CadyqGraph(tf, vars);
    }

    public NetworkSpec spec() {
        return spec;
    }

    /** CADyQ with centred selector gradients: each selector's centring state, once its step is built. */
    java.util.Collection<CadyqGraph.Centring> centrings() {
        return cadyq == null ? java.util.List.of() : cadyq.centrings();
    }

    /** CADyQ: the selectors' weights learn from centred features ({@link CadyqGraph#centredGradients}). */
    public NetworkGraph centredSelectorGradients(boolean on) {
        if (cadyq != null) {
            cadyq.centredGradients(on);
        }
        return this;
    }

    public ModelVariables variables() {
        return vars;
    }

    /**
     * Builds one step of the network on I_a and I_w (NHWC [N, H, W, 3], PQ-encoded; H and W known and multiples of
     * {@link org.reconview.nn.GoldenModel#PAD_MULTIPLE}; N may be unknown).
     */
    public Step step(Operand<TFloat32> aliased, Operand<TFloat32> warped, Mode mode) {
        if ((mode == Mode.SIMULATED_QUANT || mode == Mode.CADYQ) && spec.kind() != NetworkSpec.Kind.QWNET) {
            throw new IllegalArgumentException("simulated quantization is QW-Net's, not " + spec.variant() + "'s");
        }
        if (mode == Mode.CADYQ && cadyq == null) {
            throw new IllegalArgumentException("CADyQ mode needs CADyQ variables");
        }
        Shape s = aliased.shape();
        if (s.numDimensions() != 4 || s.isUnknown() || s.get(1) < 0 || s.get(2) < 0 || s.get(3) != 3) {
            throw new IllegalArgumentException("inputs must be NHWC [N, H, W, 3] with known H, W; got " + s);
        }
        Map<String, Operand<TFloat32>> t = new LinkedHashMap<>();
        Map<String, BatchStats> stats = new LinkedHashMap<>();
        StepState state = new StepState(mode == Mode.CADYQ ? cadyq.tileGradients(aliased) : null,
                new LinkedHashMap<>());
        t.put(NetworkSpec.INPUT_ALIASED, aliased);
        t.put(NetworkSpec.INPUT_WARPED, warped);
        for (LayerSpec l : spec.layers()) {
            List<Operand<TFloat32>> in = new ArrayList<>();
            for (String n : l.inputs()) {
                in.add(t.get(n));
            }
            Operand<TFloat32> y = layer(l, in, mode, stats, state);
            t.put(l.name(), y);
        }
        return new Step(t.get(spec.output()), Collections.unmodifiableMap(t), Collections.unmodifiableMap(stats),
                Collections.unmodifiableMap(state.tileBits()), state.tileGradients());
    }

    /**
     * Ops that move each BN layer's running mean and variance towards the batch statistics of the given steps
     * (averaged over the steps): r = momentum r + (1 - momentum) batch (Keras' rule; momentum 0.99 there).
     */
    public List<Op> runningStatUpdates(List<Step> steps, float momentum) {
        return runningStatUpdates(steps, tf.constant(momentum));
    }

    /** {@link #runningStatUpdates(List, float)} with the momentum fed at run time (a scalar). */
    public List<Op> runningStatUpdates(List<Step> steps, Operand<TFloat32> momentum) {
        List<Op> ops = new ArrayList<>();
        if (steps.isEmpty() || steps.get(0).batchStats().isEmpty()) {
            return ops;
        }
        Operand<TFloat32> keep = momentum;
        Operand<TFloat32> take = tf.math.div(tf.math.sub(tf.constant(1f), momentum), tf.constant((float) steps.size()));
        for (String layer : steps.get(0).batchStats().keySet()) {
            Operand<TFloat32> mean = null;
            Operand<TFloat32> var = null;
            for (Step st : steps) {
                BatchStats b = st.batchStats().get(layer);
                mean = mean == null ? b.mean() : tf.math.add(mean, b.mean());
                var = var == null ? b.variance() : tf.math.add(var, b.variance());
            }
            var mv = vars.get(layer + ".bn.mean");
            var vv = vars.get(layer + ".bn.var");
            ops.add(tf.assign(mv, tf.math.add(tf.math.mul(keep, mv), tf.math.mul(take, mean))));
            ops.add(tf.assign(vv, tf.math.add(tf.math.mul(keep, vv), tf.math.mul(take, var))));
        }
        return ops;
    }

    private Operand<TFloat32> layer(LayerSpec l, List<Operand<TFloat32>> in, Mode mode, Map<String, BatchStats> stats,
            StepState state) {
        return switch (l.op()) {
            case GRADIENT_MAGNITUDE -> gradientMagnitude(in.get(0));
            case CONCAT -> {
                Operand<TFloat32> c = tf.concat(in, tf.constant(3));
                // fe.input concatenates FP32 tensors and is quantized here; decoder concats join tensors already
                // quantized in their shared range (Figure 4), so they pass through as QuantizedModel does.
                boolean inputsQuantized = spec.tensor(l.inputs().get(0)).range() != null;
                boolean quantizing = mode == Mode.SIMULATED_QUANT || mode == Mode.CADYQ;
                yield quantizing && l.range() != null && !inputsQuantized ? quantize(c, l.range()) : c;
            }
            case CONV3X3, CONV1X1 -> conv(l, in.get(0), mode, stats, state);
            case MAXPOOL2 -> tf.nn.maxPool(in.get(0), tf.constant(new int[] {1, 2, 2, 1}),
                    tf.constant(new int[] {1, 2, 2, 1}), "VALID");
            case AVGPOOL2 -> tf.nn.avgPool(in.get(0), List.of(1L, 2L, 2L, 1L), List.of(1L, 2L, 2L, 1L), "VALID");
            case UPSAMPLE_NEAREST2 -> tf.image.resizeNearestNeighbor(in.get(0), doubled(in.get(0)));
            case UPSAMPLE_BILINEAR2 -> tf.image.resizeBilinear(in.get(0), doubled(in.get(0)),
                    ResizeBilinear.halfPixelCenters(true));
            case KERNEL_FILTER -> kernelFilter(spec.filterKind(l), in);
        };
    }

    private Operand<TInt32> doubled(Operand<TFloat32> x) {
        Shape s = x.shape();
        return tf.constant(new int[] {(int) s.get(1) * 2, (int) s.get(2) * 2});
    }

    private Operand<TFloat32> quantize(Operand<TFloat32> x, String range) {
        return SimQuant.activation(tf, x, vars.get(range + ".t_l"), vars.get(range + ".t_u"),
                spec.rangePrecision(range).bits());
    }

    private Operand<TFloat32> conv(LayerSpec l, Operand<TFloat32> x, Mode mode, Map<String, BatchStats> stats,
            StepState state) {
        String n = l.name();
        // OIHW -> HWIO
        Operand<TFloat32> w = tf.linalg.transpose(vars.get(n + ".weight"), tf.constant(new int[] {2, 3, 1, 0}));
        Operand<TFloat32> bias = l.bias() ? vars.get(n + ".bias") : null;
        boolean quant = mode == Mode.SIMULATED_QUANT || mode == Mode.CADYQ;
        Operand<TFloat32> y;
        if (quant) {
            if (l.batchNorm()) {
                // Fold the frozen BN (section 5.2): w' = lambda w, b' = beta + lambda (b - mean).
                Operand<TFloat32> lambda = tf.math.div(vars.get(n + ".bn.gamma"),
                        tf.math.sqrt(tf.math.add(vars.get(n + ".bn.var"), tf.constant(NetworkSpec.BN_EPSILON))));
                w = tf.math.mul(w, lambda);
                Operand<TFloat32> centred = tf.math.neg(vars.get(n + ".bn.mean"));
                if (bias != null) {
                    centred = tf.math.add(bias, centred);
                }
                bias = tf.math.add(vars.get(n + ".bn.beta"), tf.math.mul(lambda, centred));
            }
            Operand<TFloat32> wq = SimQuant.weightsHwio(tf, w, l.weightPrecision().bits());
            Operand<TFloat32> b = bias;
            UnaryOperator<Operand<TFloat32>> convOf = xi -> {
                Operand<TFloat32> r = tf.nn.conv2d(xi, wq, List.of(1L, 1L, 1L, 1L), "SAME");
                return b == null ? r : tf.nn.biasAdd(r, b);
            };
            if (mode == Mode.CADYQ && cadyq.spec().isSelected(n)) {
                CadyqGraph.Choice choice = cadyq.choose(l, x, state.tileGradients());
                state.tileBits().put(n, choice.bits());
                y = cadyq.mix(l, x, choice, convOf);
            } else if (mode == Mode.CADYQ && l.stage() == LayerSpec.Stage.KERNEL_PREDICTION) {
                y = convOf.apply(quantize(x, spec.tensor(l.inputs().get(0)).range())); // the carrier at 4 bits
            } else {
                y = convOf.apply(x);
            }
        } else {
            y = tf.nn.conv2d(x, w, List.of(1L, 1L, 1L, 1L), "SAME");
            if (bias != null) {
                y = tf.nn.biasAdd(y, bias);
            }
            if (l.batchNorm()) {
                y = batchNorm(n, y, mode == Mode.FP32_TRAIN, stats);
            }
        }
        y = switch (l.activation()) {
            case ELU -> tf.nn.elu(y);
            case SOFTMAX -> tf.nn.softmax(y);
            case NONE -> y;
        };
        if (mode == Mode.SIMULATED_QUANT && l.range() != null) {
            y = quantize(y, l.range());
        }
        return y;
    }

    private Operand<TFloat32> batchNorm(String n, Operand<TFloat32> y, boolean training,
            Map<String, BatchStats> stats) {
        String bn = n + ".bn.";
        if (training) {
            FusedBatchNorm<TFloat32, TFloat32> f = tf.nn.fusedBatchNorm(y, vars.get(bn + "gamma"),
                    vars.get(bn + "beta"), tf.constant(new float[0]), tf.constant(new float[0]),
                    FusedBatchNorm.epsilon(NetworkSpec.BN_EPSILON), FusedBatchNorm.isTraining(true),
                    FusedBatchNorm.dataFormat("NHWC"));
            stats.put(n, new BatchStats(f.batchMean(), f.batchVariance()));
            if (bnBatchWeight == null) {
                return f.y();
            }
            // s * batch + (1 - s) * running: exactly the batch-statistics value at s = 1 (so the running
            // statistics, which the same step may be updating, do not touch it) and the running one at s = 0.
            Operand<TFloat32> running = batchNorm(n, y, false, stats);
            return tf.math.add(tf.math.mul(bnBatchWeight, f.y()),
                    tf.math.mul(tf.math.sub(tf.constant(1f), bnBatchWeight), running));
        }
        // Inference: (x - mean) * gamma / sqrt(var + eps) + beta, as FloatOps.batchNorm.
        Operand<TFloat32> scale = tf.math.div(vars.get(bn + "gamma"),
                tf.math.sqrt(tf.math.add(vars.get(bn + "var"), tf.constant(NetworkSpec.BN_EPSILON))));
        return tf.math.add(tf.math.mul(tf.math.sub(y, vars.get(bn + "mean")), scale), vars.get(bn + "beta"));
    }

    /** Rec. 709 luma, central differences with edge clamping, magnitude (FloatOps.gradientMagnitude). */
    private Operand<TFloat32> gradientMagnitude(Operand<TFloat32> rgb) {
        Shape s = rgb.shape();
        int h = (int) s.get(1);
        int w = (int) s.get(2);
        Operand<TFloat32> luma = tf.sum(tf.math.mul(rgb, tf.constant(LUMA)), tf.constant(3), Sum.keepDims(true));
        Operand<TFloat32> p = edgePad(luma);
        Operand<TFloat32> half = tf.constant(0.5f);
        Operand<TFloat32> gx = tf.math.mul(tf.math.sub(shifted(p, 1, 2, h, w), shifted(p, 1, 0, h, w)), half);
        Operand<TFloat32> gy = tf.math.mul(tf.math.sub(shifted(p, 2, 1, h, w), shifted(p, 0, 1, h, w)), half);
        Operand<TFloat32> sq = tf.math.add(tf.math.mul(gx, gx), tf.math.mul(gy, gy));
        return tf.math.sqrt(tf.math.maximum(sq, tf.constant(GRADIENT_FLOOR)));
    }

    /** Pads H and W by one pixel replicating the edge (SYMMETRIC mirror of width 1 = edge replication). */
    private Operand<TFloat32> edgePad(Operand<TFloat32> x) {
        return tf.mirrorPad(x, tf.constant(new int[][] {{0, 0}, {1, 1}, {1, 1}, {0, 0}}), "SYMMETRIC");
    }

    /** The h x w window of a padded tensor starting at (dy, dx), all images and channels. */
    private Operand<TFloat32> shifted(Operand<TFloat32> padded, int dy, int dx, int h, int w) {
        return tf.slice(padded, tf.constant(new int[] {0, dy, dx, 0}), tf.constant(new int[] {-1, h, w, -1}));
    }

    /** The channel range [from, from + count) of an NHWC tensor. */
    private Operand<TFloat32> channels(Operand<TFloat32> x, int from, int count) {
        return tf.slice(x, tf.constant(new int[] {0, 0, 0, from}), tf.constant(new int[] {-1, -1, -1, count}));
    }

    /**
     * sum_k K[first + k] * img(p + offset_k) over the 3x3 taps in row order, edge clamped (FloatOps.filter3x3): the
     * nine shifted windows stacked to [N, H, W, 9, C] times the kernels [N, H, W, 9, 1], summed over the taps.
     */
    private Operand<TFloat32> filter3x3(Operand<TFloat32> image, Operand<TFloat32> kernels, int first) {
        Shape s = image.shape();
        int h = (int) s.get(1);
        int w = (int) s.get(2);
        Operand<TFloat32> p = edgePad(image);
        List<Operand<TFloat32>> taps = new ArrayList<>(9);
        for (int k = 0; k < 9; k++) {
            taps.add(shifted(p, k / 3, k % 3, h, w));
        }
        Operand<TFloat32> stacked = tf.stack(taps, org.tensorflow.op.core.Stack.axis(3L));
        Operand<TFloat32> k9 = tf.expandDims(channels(kernels, first, 9), tf.constant(4));
        return tf.sum(tf.math.mul(stacked, k9), tf.constant(3));
    }

    /** GoldenModel.kernelFilter for the declared kind. */
    private Operand<TFloat32> kernelFilter(NetworkSpec.FilterKind kind, List<Operand<TFloat32>> in) {
        Operand<TFloat32> k = in.get(0);
        int weights = (int) k.shape().get(3);
        if (weights != kind.weights()) {
            throw new IllegalArgumentException(kind + " filter with " + weights + " weights");
        }
        Operand<TFloat32> filtered = filter3x3(in.get(1), k, 0);
        return switch (kind) {
            case INPUT -> tf.math.add(filtered, filter3x3(in.get(2), k, 9));
            case DOWN, BOTTLENECK -> filtered;
            case UP -> tf.math.add(filtered, tf.math.mul(channels(k, 9, 1), in.get(2)));
        };
    }
}
