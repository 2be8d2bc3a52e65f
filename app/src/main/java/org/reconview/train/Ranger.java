package org.reconview.train;

import java.util.ArrayList;
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
 * Ranger (Wright 2019), the paper's optimiser (section 4): Rectified Adam (Liu et al. 2019) inside Lookahead (Zhang
 * et al. 2019). RAdam: m and v as in Adam; with rho_inf = 2 / (1 - beta2) - 1 and
 * rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t), the step is lr * r_t * m_hat / (sqrt(v_hat) + eps) with
 * r_t = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t)) once rho_t > 4 (the variance of the
 * adaptive rate is tractable), and lr * m_hat before (plain momentum, no adaptive rate in the first steps).
 * Lookahead: every k steps the slow weights move alpha of the way to the fast ones, and the fast weights restart
 * from them. Defaults: beta1 0.95, beta2 0.999, eps 1e-5, k 6, alpha 0.5 (Ranger's).
 */
public final class Ranger implements Optimizer {
    /** Hyper-parameters, with Ranger's defaults. */
    public record Config(float beta1, float beta2, float epsilon, int lookaheadSteps, float lookaheadAlpha) {
        public static Config defaults() {
            return new Config(0.95f, 0.999f, 1e-5f, 6, 0.5f);
        }
    }

    private final Config config;
    private final Operand<TFloat32> loss;
    private final OptimizerState state = new OptimizerState();
    private final List<Op> updates = new ArrayList<>();
    private final List<Op> resets = new ArrayList<>();
    private final List<Op> lookahead = new ArrayList<>();
    private final Placeholder<TFloat32> stepScale;    // lr * r_t / (1 - beta1^t), or lr / (1 - beta1^t)
    private final Placeholder<TFloat32> adaptive;     // 1 once rho_t > 4, else 0
    private final Placeholder<TFloat32> vCorrection;  // 1 / (1 - beta2^t)
    private long iterations;

    public Ranger(Ops tf, Graph graph, Operand<TFloat32> loss, List<Variable<TFloat32>> vars, Config config) {
        this.config = config;
        this.loss = loss;
        Output<?>[] xs = new Output<?>[vars.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = vars.get(i).asOutput();
        }
        Output<?>[] grads = graph.addGradients(loss.asOutput(), xs);
        Ops a = tf.withSubScope("ranger");
        stepScale = a.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        adaptive = a.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        vCorrection = a.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
        Operand<TFloat32> b1 = a.constant(config.beta1());
        Operand<TFloat32> b2 = a.constant(config.beta2());
        Operand<TFloat32> one = a.constant(1f);
        for (int i = 0; i < vars.size(); i++) {
            Variable<TFloat32> p = vars.get(i);
            @SuppressWarnings("unchecked")
            Operand<TFloat32> g = (Operand<TFloat32>) grads[i];
            if (g == null) {
                throw new IllegalArgumentException("no gradient path from the loss to variable " + i);
            }
            Variable<TFloat32> m = state.add(a, p);
            Variable<TFloat32> v = state.add(a, p);
            Variable<TFloat32> slow = state.add(a, p);
            resets.add(a.assign(m, a.zerosLike(p)));
            resets.add(a.assign(v, a.zerosLike(p)));
            resets.add(a.assign(slow, p));
            Operand<TFloat32> m1 = a.assign(m, a.math.add(a.math.mul(b1, m), a.math.mul(a.math.sub(one, b1), g)));
            Operand<TFloat32> v1 = a.assign(v, a.math.add(a.math.mul(b2, v),
                    a.math.mul(a.math.sub(one, b2), a.math.square(g))));
            // adaptive: m / (sqrt(v / (1 - beta2^t)) + eps); otherwise plain m. stepScale carries the rest.
            Operand<TFloat32> denom = a.math.add(a.math.sqrt(a.math.mul(v1, vCorrection)),
                    a.constant(config.epsilon()));
            Operand<TFloat32> direction = a.math.add(a.math.mul(adaptive, a.math.div(m1, denom)),
                    a.math.mul(a.math.sub(one, adaptive), m1));
            updates.add(a.assignSub(p, a.math.mul(stepScale, direction)));
            Operand<TFloat32> moved = a.assign(slow, a.math.add(slow,
                    a.math.mul(a.constant(config.lookaheadAlpha()), a.math.sub(p, slow))));
            lookahead.add(a.assign(p, moved));
        }
    }

    @Override
    public void reset(Session session) {
        Session.Runner r = session.runner();
        resets.forEach(r::addTarget);
        r.run();
        iterations = 0;
    }

    @Override
    public float[] step(Session session, Map<Operand<?>, Tensor> feeds, List<Op> extraTargets, float lr,
            List<Operand<TFloat32>> alsoFetch) {
        long t = iterations + 1;
        double b1t = Math.pow(config.beta1(), t);
        double b2t = Math.pow(config.beta2(), t);
        double rhoInf = 2 / (1 - config.beta2()) - 1;
        double rhoT = rhoInf - 2 * t * b2t / (1 - b2t);
        boolean rectified = rhoT > 4;
        double scale = lr / (1 - b1t);
        if (rectified) {
            scale *= Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
        }
        float[] out;
        try (TFloat32 s = TFloat32.scalarOf((float) scale); TFloat32 ad = TFloat32.scalarOf(rectified ? 1f : 0f);
                TFloat32 vc = TFloat32.scalarOf((float) (1 / (1 - b2t)))) {
            Session.Runner r = session.runner().feed(stepScale, s).feed(adaptive, ad).feed(vCorrection, vc);
            feeds.forEach(r::feed);
            updates.forEach(r::addTarget);
            extraTargets.forEach(r::addTarget);
            r.fetch(loss);
            alsoFetch.forEach(r::fetch);
            try (var result = r.run()) {
                out = new float[1 + alsoFetch.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = ((TFloat32) result.get(i)).getFloat();
                }
            }
        }
        iterations = t;
        if (t % config.lookaheadSteps() == 0) {
            Session.Runner r = session.runner();
            lookahead.forEach(r::addTarget);
            r.run();
        }
        return out;
    }

    @Override
    public long iterations() {
        return iterations;
    }

    @Override
    public List<float[]> readSlots(Session session) {
        return state.read(session);
    }

    @Override
    public void restoreSlots(Session session, List<float[]> values, long steps) {
        state.restore(session, values);
        iterations = steps;
    }

    public List<Variable<TFloat32>> state() {
        return state.variables();
    }
}
