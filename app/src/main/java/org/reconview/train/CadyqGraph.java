package org.reconview.train;

import java.util.List;
import java.util.function.UnaryOperator;
import org.reconview.nn.CadyqSpec;
import org.reconview.nn.LayerSpec;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The CADyQ pieces of the training graph (see {@link CadyqSpec} for the method): tile statistics, the selector, the
 * straight-through hard/soft choice and the mixture of per-width convolutions. NHWC throughout.
 * <p>
 * <b>Straight-through choice</b> (CADyQ's public code): with p = softmax(logits) and h = one-hot(argmax logits), the
 * mask is m = h + p - stopGradient(p): its value is h (one width per tile), its gradient that of p. A selected conv's
 * output is sum_k up(m_k) conv(Q_k(x)) (up: the tile mask repeated over the tile's pixels); since the conv is linear
 * that is the conv of CADyQ's mixture of quantizers, and in the forward pass exactly the chosen width's conv, as the
 * integer model computes it. The tile's bits are sum_k m_k b_k (value: the chosen width).
 * <p>
 * The selector's features are constants to the backbone (stopGradient): the selector learns from them, the features
 * themselves are not pushed around by the bit loss.
 */
final class CadyqGraph {
    private static final float[] LUMA = {0.2126f, 0.7152f, 0.0722f};

    /** One selector's decision for a batch: the straight-through mask [N, ty, tx, K] and tile bits [N, ty, tx]. */
    record Choice(Operand<TFloat32> mask, Operand<TFloat32> bits, Operand<TFloat32> logits) {
    }

    private final Ops tf;
    private final ModelVariables vars;
    private final CadyqSpec spec;
    /** See {@link #centredGradients(boolean)}. */
    private boolean centredGradients;

    /**
     * With {@code on}, a selector is trained as W (f - m) + c with a fixed centre m (the first batch's mean feature)
     * while the model stays W f + b exactly: the logits' value is unchanged, their gradient to W is taken at f - m,
     * and after each optimiser step the trainer moves b by -(change of W) m ({@link Centring}), which is Adam on the
     * centred parameters (W, c = b + W m). Why: the features are all positive, so with Adam (every weight moving by
     * about its rate) the plain parametrisation makes each weight act as a second bias scaled by its feature, and
     * the bit loss then takes bits first from the tiles with the largest features, the textured ones.
     */
    void centredGradients(boolean on) {
        centredGradients = on;
    }

    /**
     * One selector's centring state (not part of the model): the centre m [1, F], the weight as it was at the last
     * compensation [K, F], and the batch mean of the features (for {@link #init}).
     */
    record Centring(Variable<TFloat32> weight, Variable<TFloat32> bias, Variable<TFloat32> centre,
                    Variable<TFloat32> previousWeight, Operand<TFloat32> batchMean) {
        /**
         * The op that zeroes the centre: run first, since the batch means of later selectors go through the logits
         * of earlier ones, which read their centre (its value cancels, but it must have one).
         */
        org.tensorflow.op.Op zero(Ops tf) {
            return tf.assign(centre, tf.zeros(tf.constant(new long[] {1, centre.shape().get(1)}), TFloat32.class));
        }

        /** Ops that set the centre to the fed batch's mean features and remember the weight. */
        List<org.tensorflow.op.Op> init(Ops tf) {
            return List.of(tf.assign(centre, batchMean), tf.assign(previousWeight, weight));
        }

        /** The op that moves the bias by -(W - previous W) m, run after an optimiser step and before {@link #sync}. */
        org.tensorflow.op.Op compensate(Ops tf) {
            Operand<TFloat32> shift = tf.linalg.matMul(tf.math.sub(weight, previousWeight), centre,
                    org.tensorflow.op.linalg.MatMul.transposeB(true)); // [K, 1]
            return tf.assignSub(bias, tf.reshape(shift, tf.constant(new long[] {-1})));
        }

        /** The op that remembers the weight as it is now. */
        org.tensorflow.op.Op sync(Ops tf) {
            return tf.assign(previousWeight, weight);
        }
    }

    private final java.util.Map<String, Centring> centrings = new java.util.LinkedHashMap<>();

    /** The selectors' centring states, with {@link #centredGradients} on (else empty). */
    java.util.Collection<Centring> centrings() {
        return centrings.values();
    }

    CadyqSpec spec() {
        return spec;
    }

    CadyqGraph(Ops tf, ModelVariables vars) {
        if (vars.cadyq() == null) {
            throw new IllegalArgumentException("not CADyQ variables");
        }
        this.tf = tf;
        this.vars = vars;
        this.spec = vars.cadyq();
    }

    /**
     * Per tile of the full-resolution image, mean |d/dx| and mean |d/dy| of the luma of {@code rgb} (central
     * differences, edge clamped: BitSelector.tileGradients): [N, ty, tx, 2], without gradient.
     */
    Operand<TFloat32> tileGradients(Operand<TFloat32> rgb) {
        int h = (int) rgb.shape().get(1);
        int w = (int) rgb.shape().get(2);
        Operand<TFloat32> luma = tf.sum(tf.math.mul(rgb, tf.constant(LUMA)), tf.constant(3), Sum.keepDims(true));
        Operand<TFloat32> p = tf.mirrorPad(luma, tf.constant(new int[][] {{0, 0}, {1, 1}, {1, 1}, {0, 0}}),
                "SYMMETRIC");
        Operand<TFloat32> half = tf.constant(0.5f);
        Operand<TFloat32> gx = tf.math.mul(tf.math.sub(window(p, 1, 2, h, w), window(p, 1, 0, h, w)), half);
        Operand<TFloat32> gy = tf.math.mul(tf.math.sub(window(p, 2, 1, h, w), window(p, 0, 1, h, w)), half);
        Operand<TFloat32> both = tf.concat(List.of(tf.math.abs(gx), tf.math.abs(gy)), tf.constant(3));
        return tf.stopGradient(tileMean(both, spec.tile()));
    }

    /** Floor of the flatness weighting, as a fraction of the batch's mean tile gradient. */
    static final float FLATNESS_FLOOR = 0.25f;

    /**
     * The bit loss's per-tile weights [N, ty, tx] from tile gradients [N, ty, tx, 2] (no gradient): with g the mean
     * of a tile's two gradients and gm its mean over the batch's tiles, r = (gm / (g + FLATNESS_FLOOR gm))^exponent,
     * normalised to mean 1. A flat tile's bit costs more than an edge tile's, so under the same budget bits move to
     * where the image has structure (the paper's premise: flat patches need fewer bits); the floor bounds the
     * weight of a perfectly flat tile at 4^exponent times the mean.
     */
    static Operand<TFloat32> flatnessWeights(Ops tf, Operand<TFloat32> gradients, float exponent) {
        Operand<TFloat32> g = tf.math.mean(gradients, tf.constant(3));
        Operand<TInt32> all = tf.constant(new int[] {0, 1, 2});
        Operand<TFloat32> gm = tf.math.maximum(tf.math.mean(g, all), tf.constant(1e-12f));
        Operand<TFloat32> r = tf.math.pow(tf.math.div(gm, tf.math.add(g, tf.math.mul(tf.constant(FLATNESS_FLOOR), gm))),
                tf.constant(exponent));
        return tf.stopGradient(tf.math.div(r, tf.math.mean(r, all)));
    }

    /** The selector of {@code conv} on its input {@code x} [N, h, w, C] with the tile gradients. */
    Choice choose(LayerSpec conv, Operand<TFloat32> x, Operand<TFloat32> gradients) {
        int t = spec.tile(conv.scale());
        int h = (int) x.shape().get(1);
        int w = (int) x.shape().get(2);
        Operand<TFloat32> mean = tileMean(x, t);
        Operand<TFloat32> centred = tf.math.sub(x, tf.image.resizeNearestNeighbor(mean, tf.constant(new int[] {h, w})));
        Operand<TFloat32> std = tf.math.sqrt(tileMean(tf.math.mul(centred, centred), t));
        Operand<TFloat32> features = tf.stopGradient(tf.concat(List.of(gradients, std), tf.constant(3)));
        int f = spec.features(conv);
        int k = spec.candidates().size();
        int ty = h / t;
        int tx = w / t;
        Operand<TFloat32> flat = tf.reshape(features, tf.constant(new long[] {-1, f}));
        Variable<TFloat32> weight = vars.get(CadyqSpec.selectorWeight(conv.name())); // [K][F]
        Variable<TFloat32> bias = vars.get(CadyqSpec.selectorBias(conv.name()));
        Operand<TFloat32> logits;
        if (centredGradients) {
            Centring c = centrings.computeIfAbsent(conv.name(), n -> new Centring(weight, bias,
                    tf.variable(Shape.of(1, f), TFloat32.class), tf.variable(Shape.of(k, f), TFloat32.class),
                    tf.math.mean(flat, tf.constant(0), org.tensorflow.op.math.Mean.keepDims(true))));
            logits = selectorLogits(tf, flat, weight, bias, c.centre());
        } else {
            logits = selectorLogits(tf, flat, weight, bias, null);
        }
        logits = tf.reshape(logits, tf.constant(new long[] {-1, ty, tx, k}));
        Operand<TFloat32> mask = straightThrough(tf, logits, k);
        float[] widths = new float[k];
        for (int i = 0; i < k; i++) {
            widths[i] = spec.candidates().get(i);
        }
        Operand<TFloat32> bits = tf.sum(tf.math.mul(mask, tf.constant(widths)), tf.constant(3));
        return new Choice(mask, bits, logits);
    }

    /**
     * A selector's logits [T, K] = features [T, F] x weight^T [F, K] + bias [K]; with a {@code centre} m [1, F] (null:
     * none), the same value but the gradient to the weight taken at the features minus m ({@link #centredGradients}).
     */
    static Operand<TFloat32> selectorLogits(Ops tf, Operand<TFloat32> flat, Operand<TFloat32> weight,
            Operand<TFloat32> bias, Operand<TFloat32> centre) {
        org.tensorflow.op.linalg.MatMul.Options tb = org.tensorflow.op.linalg.MatMul.transposeB(true);
        if (centre == null) {
            return tf.math.add(tf.linalg.matMul(flat, weight, tb), bias);
        }
        // value: stopGradient(W) f + b = W f + b; gradient to W: that of W (f - m), whose value is cancelled
        Operand<TFloat32> plain = tf.math.add(tf.linalg.matMul(flat, tf.stopGradient(weight), tb), bias);
        Operand<TFloat32> centredFeatures = tf.math.sub(flat, tf.stopGradient(centre));
        Operand<TFloat32> c = tf.linalg.matMul(centredFeatures, weight, tb);
        return tf.math.add(plain, tf.math.sub(c, tf.stopGradient(c)));
    }

    /**
     * m = onehot(argmax) + softmax - stopGradient(softmax) over the last axis (K entries); ties go to the later
     * (wider) candidate, as BitSelector.argmax.
     */
    static Operand<TFloat32> straightThrough(Ops tf, Operand<TFloat32> logits, int k) {
        Operand<TFloat32> soft = tf.nn.softmax(logits);
        // argmax of the reversed logits returns the first maximum from the wide end: the widest of tied candidates
        Operand<TInt64> fromEnd = tf.math.argMax(tf.reverse(logits, tf.constant(new int[] {-1})), tf.constant(-1),
                TInt64.class);
        Operand<TInt64> index = tf.math.sub(tf.constant((long) (k - 1)), fromEnd);
        Operand<TFloat32> hard = tf.oneHot(index, tf.constant(k), tf.constant(1f), tf.constant(0f));
        return tf.math.add(hard, tf.math.sub(soft, tf.stopGradient(soft)));
    }

    /**
     * sum_k up(mask_k) convOf(Q_k(x)): each candidate width's fake-quantized input ({@code RANGE.bB} thresholds)
     * through the same conv, weighted by the tile mask repeated over the tile's pixels.
     */
    Operand<TFloat32> mix(LayerSpec conv, Operand<TFloat32> x, Choice choice, UnaryOperator<Operand<TFloat32>> convOf) {
        int h = (int) x.shape().get(1);
        int w = (int) x.shape().get(2);
        Operand<TFloat32> up = tf.image.resizeNearestNeighbor(choice.mask(), tf.constant(new int[] {h, w}));
        String range = spec.inputRange(conv);
        Operand<TFloat32> y = null;
        List<Integer> c = spec.candidates();
        for (int i = 0; i < c.size(); i++) {
            int b = c.get(i);
            Operand<TFloat32> q = SimQuant.activation(tf, x, vars.get(CadyqSpec.threshold(range, b, "t_l")),
                    vars.get(CadyqSpec.threshold(range, b, "t_u")), b);
            Operand<TFloat32> m = tf.slice(up, tf.constant(new int[] {0, 0, 0, i}), tf.constant(new int[] {-1, -1, -1, 1}));
            Operand<TFloat32> term = tf.math.mul(m, convOf.apply(q));
            y = y == null ? term : tf.math.add(y, term);
        }
        return y;
    }

    /** Mean over t x t tiles (VALID average pooling). */
    private Operand<TFloat32> tileMean(Operand<TFloat32> x, int t) {
        return tf.nn.avgPool(x, List.of(1L, (long) t, (long) t, 1L), List.of(1L, (long) t, (long) t, 1L), "VALID");
    }

    private Operand<TFloat32> window(Operand<TFloat32> padded, int dy, int dx, int h, int w) {
        return tf.slice(padded, tf.constant(new int[] {0, dy, dx, 0}), tf.constant(new int[] {-1, h, w, -1}));
    }
}
