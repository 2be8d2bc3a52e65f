package org.reconview.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adam (Kingma and Ba 2015) on TensorFlow variables, with TensorFlow's own {@code ApplyAdam} kernel (tensorflow-framework's
 * optimizers are not available here). Gradients come from {@link Graph#addGradients}; the first and second moment
 * slots are variables of this class; the step count t lives in Java and beta1^t, beta2^t are fed each step, so the
 * update is exactly ApplyAdam's: lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t), m = beta1 m + (1 - beta1) g,
 * v = beta2 v + (1 - beta2) g^2, w -= lr_t m / (sqrt(v) + eps).
 */
public final class Adam implements Optimizer {
    /** Hyper-parameters; {@link #defaults} are Keras' (lr 1e-3, 0.9, 0.999, eps 1e-7). */
    public record Config(float learningRate, float beta1, float beta2, float epsilon) {
        public static Config defaults() {
            return new Config(1e-3f, 0.9f, 0.999f, 1e-7f);
        }

        public Config withLearningRate(float lr) {
            return new Config(lr, beta1, beta2, epsilon);
        }
    }

    private final Config config;
    private final Operand<TFloat32> loss;
    private final List<Variable<TFloat32>> vars;
    private final List<Output<?>> gradients = new ArrayList<>();
    private final OptimizerState slots = new OptimizerState();
    private final List<Op> updates = new ArrayList<>();
    private final List<Op> resets = new ArrayList<>();
    private final Placeholder<TFloat32> beta1Power;
    private final Placeholder<TFloat32> beta2Power;
    private final Placeholder<TFloat32> learningRate;
    private long iterations;

    /** Builds gradients of {@code loss} w.r.t. {@code vars} and one ApplyAdam per variable. */
    public Adam(Ops tf, Graph graph, Operand<TFloat32> loss, List<Variable<TFloat32>> vars, Config config) {
        this(tf, graph, loss, vars, config, null);
    }

    /**
     * As above, variable i's learning rate multiplied by {@code lrScale[i]} (null: all 1), e.g. for CADyQ's
     * selectors, whose logits must move by whole units while the weights move by thousandths.
     */
    public Adam(Ops tf, Graph graph, Operand<TFloat32> loss, List<Variable<TFloat32>> vars, Config config,
            float[] lrScale) {
        this(tf, graph, loss, vars, config, lrScale, Map.of());
    }

    /**
     * As above, and variable i in {@code elementScale} has a learning rate per element: lr lrScale[i]
     * elementScale[i][j] for element j (row-major, as many as the variable has). ApplyAdam takes a scalar rate only,
     * so those variables get the same update written out (m, v, then w from the new m and v). Why per element:
     * Adam moves every weight by about lr whatever its gradient's size, so a weight multiplying a feature 30 times
     * smaller than its neighbours moves the output 30 times less; scaling its rate is the same as rescaling that
     * feature (CADyQ's gradient features against the per-channel std, see TrainCommand --selector-gradient-lr).
     */
    public Adam(Ops tf, Graph graph, Operand<TFloat32> loss, List<Variable<TFloat32>> vars, Config config,
            float[] lrScale, Map<Integer, float[]> elementScale) {
        this.config = config;
        this.loss = loss;
        this.vars = List.copyOf(vars);
        Output<?>[] xs = new Output<?>[vars.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = vars.get(i).asOutput();
        }
        Collections.addAll(gradients, graph.addGradients(loss.asOutput(), xs));
        Ops a = tf.withSubScope("adam");
        beta1Power = a.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        beta2Power = a.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        learningRate = a.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        Operand<TFloat32> b1 = a.constant(config.beta1());
        Operand<TFloat32> b2 = a.constant(config.beta2());
        Operand<TFloat32> eps = a.constant(config.epsilon());
        for (int i = 0; i < vars.size(); i++) {
            Variable<TFloat32> v = vars.get(i);
            Variable<TFloat32> m = slots.add(a, v);
            Variable<TFloat32> s = slots.add(a, v);
            resets.add(a.assign(m, a.zerosLike(v)));
            resets.add(a.assign(s, a.zerosLike(v)));
            @SuppressWarnings("unchecked")
            Operand<TFloat32> g = (Operand<TFloat32>) gradients.get(i);
            if (g == null) {
                throw new IllegalArgumentException("no gradient path from the loss to variable " + i);
            }
            Operand<TFloat32> rate = lrScale == null || lrScale[i] == 1f ? learningRate
                    : a.math.mul(learningRate, a.constant(lrScale[i]));
            float[] perElement = elementScale.get(i);
            if (perElement == null) {
                updates.add(a.train.applyAdam(v, m, s, beta1Power, beta2Power, rate, b1, b2, eps, g));
                continue;
            }
            if (perElement.length != v.shape().size()) {
                throw new IllegalArgumentException("variable " + i + " has " + v.shape().size() + " elements, its "
                        + "learning-rate scale " + perElement.length);
            }
            Operand<TFloat32> one = a.constant(1f);
            Operand<TFloat32> mNew = a.assign(m, a.math.add(a.math.mul(b1, m), a.math.mul(a.math.sub(one, b1), g)));
            Operand<TFloat32> vNew = a.assign(s, a.math.add(a.math.mul(b2, s),
                    a.math.mul(a.math.sub(one, b2), a.math.square(g))));
            Operand<TFloat32> rateT = a.math.div(a.math.mul(rate, a.math.sqrt(a.math.sub(one, beta2Power))),
                    a.math.sub(one, beta1Power));
            Operand<TFloat32> scale = a.reshape(a.constant(perElement), a.constant(v.shape()));
            Operand<TFloat32> step = a.math.div(a.math.mul(a.math.mul(rateT, scale), mNew),
                    a.math.add(a.math.sqrt(vNew), eps));
            updates.add(a.assignSub(v, step));
        }
    }

    /** Zeroes the moments and the step count (run once before the first {@link #step}). */
    @Override
    public void reset(Session session) {
        Session.Runner r = session.runner();
        resets.forEach(r::addTarget);
        r.run();
        iterations = 0;
    }

    /**
     * One update with the configured learning rate: feeds (e.g. the batch placeholders), plus {@code extraTargets}
     * run in the same step (e.g. BN running-statistic updates). Returns the loss before the update.
     */
    public float step(Session session, Map<Operand<?>, Tensor> feeds, List<Op> extraTargets) {
        return step(session, feeds, extraTargets, config.learningRate());
    }

    /** One update with a given learning rate (for schedules). */
    public float step(Session session, Map<Operand<?>, Tensor> feeds, List<Op> extraTargets, float lr) {
        return step(session, feeds, extraTargets, lr, List.of())[0];
    }

    /**
     * One update that also fetches other scalars computed before it (e.g. the loss terms): returns the loss, then
     * each of {@code alsoFetch}, all from the same run.
     */
    @Override
    public float[] step(Session session, Map<Operand<?>, Tensor> feeds, List<Op> extraTargets, float lr,
            List<Operand<TFloat32>> alsoFetch) {
        long t = iterations + 1;
        try (TFloat32 p1 = TFloat32.scalarOf((float) Math.pow(config.beta1(), t));
             TFloat32 p2 = TFloat32.scalarOf((float) Math.pow(config.beta2(), t));
             TFloat32 rate = TFloat32.scalarOf(lr)) {
            Session.Runner r = session.runner().feed(beta1Power, p1).feed(beta2Power, p2).feed(learningRate, rate);
            feeds.forEach(r::feed);
            updates.forEach(r::addTarget);
            extraTargets.forEach(r::addTarget);
            r.fetch(loss);
            alsoFetch.forEach(r::fetch);
            try (var result = r.run()) {
                iterations = t;
                float[] out = new float[1 + alsoFetch.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = ((TFloat32) result.get(i)).getFloat();
                }
                return out;
            }
        }
    }

    /** Steps taken since {@link #reset}. */
    @Override
    public long iterations() {
        return iterations;
    }

    /** Sets the step count (after restoring the slots from a checkpoint). */
    public void setIterations(long t) {
        iterations = t;
    }

    /** The gradient operands, one per variable (for tests and gradient clipping/inspection). */
    public List<Output<?>> gradients() {
        return Collections.unmodifiableList(gradients);
    }

    /** The moment slots, m and v for each variable in order (for checkpoints). */
    public List<Variable<TFloat32>> slots() {
        return slots.variables();
    }

    /** The moment slots' values, in {@link #slots()} order (for checkpoints). */
    @Override
    public List<float[]> readSlots(Session session) {
        return slots.read(session);
    }

    /** Restores the moment slots from {@link #readSlots} values and the step count. */
    @Override
    public void restoreSlots(Session session, List<float[]> values, long steps) {
        slots.restore(session, values);
        iterations = steps;
    }

    public List<Variable<TFloat32>> variables() {
        return vars;
    }

    public Config config() {
        return config;
    }
}
