package org.reconview.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Ranger in TF against the algorithm written out in plain Java (RAdam's rectification switching on at rho_t > 4,
 * Lookahead every 6 steps), on f(x) = sum (x - c)^2 over 14 steps, and its state round trip for checkpoints.
 */
@org.junit.jupiter.api.Tag("tensorflow")
class RangerTest {
    static final float[] START = {3f, -2f, 0.5f};
    static final float[] TARGET = {1f, 1f, -1f};
    static final float LR = 0.05f;

    /** The same optimiser in double precision Java. */
    static double[] reference(int steps) {
        Ranger.Config c = Ranger.Config.defaults();
        int n = START.length;
        double[] x = new double[n];
        double[] m = new double[n];
        double[] v = new double[n];
        double[] slow = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = START[i];
            slow[i] = START[i];
        }
        double rhoInf = 2 / (1 - c.beta2()) - 1;
        for (int t = 1; t <= steps; t++) {
            double b1t = Math.pow(c.beta1(), t);
            double b2t = Math.pow(c.beta2(), t);
            double rhoT = rhoInf - 2 * t * b2t / (1 - b2t);
            for (int i = 0; i < n; i++) {
                double g = 2 * (x[i] - TARGET[i]);
                m[i] = c.beta1() * m[i] + (1 - c.beta1()) * g;
                v[i] = c.beta2() * v[i] + (1 - c.beta2()) * g * g;
                double mHat = m[i] / (1 - b1t);
                if (rhoT > 4) {
                    double r = Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
                    x[i] -= LR * r * mHat / (Math.sqrt(v[i] / (1 - b2t)) + c.epsilon());
                } else {
                    x[i] -= LR * mHat;
                }
            }
            if (t % c.lookaheadSteps() == 0) {
                for (int i = 0; i < n; i++) {
                    slow[i] += c.lookaheadAlpha() * (x[i] - slow[i]);
                    x[i] = slow[i];
                }
            }
        }
        return x;
    }

    @Test
    void followsTheAlgorithmAndCheckpointsItsState() {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Variable<TFloat32> x = tf.variable(Shape.of(3), TFloat32.class);
            Operand<TFloat32> loss = tf.reduceSum(tf.math.square(tf.math.sub(x, tf.constant(TARGET))),
                    tf.constant(0));
            Ranger ranger = new Ranger(tf, g, loss, List.of(x), Ranger.Config.defaults());
            s.runner().addTarget(tf.assign(x, tf.constant(START))).run();
            ranger.reset(s);
            for (int t = 0; t < 8; t++) {
                ranger.step(s, Map.of(), List.of(), LR, List.of());
            }
            List<float[]> state = ranger.readSlots(s);
            float[] x8 = read(s, x);
            for (int t = 8; t < 14; t++) {
                ranger.step(s, Map.of(), List.of(), LR, List.of());
            }
            float[] x14 = read(s, x);
            double[] expected = reference(14);
            for (int i = 0; i < 3; i++) {
                assertEquals(expected[i], x14[i], 1e-5, "x[" + i + "] after 14 steps");
            }
            // Restore the state at step 8 and replay: the same trajectory.
            s.runner().addTarget(tf.assign(x, tf.constant(x8))).run();
            ranger.restoreSlots(s, state, 8);
            for (int t = 8; t < 14; t++) {
                ranger.step(s, Map.of(), List.of(), LR, List.of());
            }
            assertArrayEquals(x14, read(s, x), 0f);
        }
    }

    static float[] read(Session s, Variable<TFloat32> x) {
        try (var r = s.runner().fetch(x).run()) {
            return TfSupport.floats((TFloat32) r.get(0));
        }
    }
}
