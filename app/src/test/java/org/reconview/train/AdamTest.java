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
 * Adam against the algorithm written out in plain Java on f(x) = sum (x - c)^2, with a per-variable and a
 * per-element learning-rate scale: the written-out update for per-element variables must follow the same
 * trajectory as ApplyAdam would at that element's rate.
 */
@org.junit.jupiter.api.Tag("tensorflow")
class AdamTest {
    static final float[] START = {3f, -2f, 0.5f, 4f};
    static final float[] TARGET = {1f, 1f, -1f, 2f};
    static final float LR = 0.05f;

    /** Adam in double precision with a learning rate per element. */
    static double[] reference(int steps, double[] rate) {
        Adam.Config c = Adam.Config.defaults();
        int n = START.length;
        double[] x = new double[n];
        double[] m = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = START[i];
        }
        for (int t = 1; t <= steps; t++) {
            double lrT = Math.sqrt(1 - Math.pow(c.beta2(), t)) / (1 - Math.pow(c.beta1(), t));
            for (int i = 0; i < n; i++) {
                double g = 2 * (x[i] - TARGET[i]);
                m[i] = c.beta1() * m[i] + (1 - c.beta1()) * g;
                v[i] = c.beta2() * v[i] + (1 - c.beta2()) * g * g;
                x[i] -= rate[i] * lrT * m[i] / (Math.sqrt(v[i]) + c.epsilon());
            }
        }
        return x;
    }

    static float[] run(float variableScale, float[] elementScale, int steps) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Variable<TFloat32> x = tf.variable(Shape.of(2, 2), TFloat32.class);
            Operand<TFloat32> loss = tf.reduceSum(tf.math.square(tf.math.sub(x,
                    tf.reshape(tf.constant(TARGET), tf.constant(new long[] {2, 2})))), tf.constant(new int[] {0, 1}));
            Adam adam = new Adam(tf, g, loss, List.of(x), Adam.Config.defaults().withLearningRate(LR),
                    new float[] {variableScale}, elementScale == null ? Map.of() : Map.of(0, elementScale));
            s.runner().addTarget(tf.assign(x, tf.reshape(tf.constant(START), tf.constant(new long[] {2, 2})))).run();
            adam.reset(s);
            for (int t = 0; t < steps; t++) {
                adam.step(s, Map.of(), List.of(), LR);
            }
            return RangerTest.read(s, x);
        }
    }

    @Test
    void applyAdamAndTheWrittenOutUpdateFollowTheAlgorithm() {
        int steps = 12;
        float[] plain = run(2f, null, steps);
        double[] expected = reference(steps, new double[] {2 * LR, 2 * LR, 2 * LR, 2 * LR});
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i], plain[i], 1e-5, "ApplyAdam x[" + i + "]");
        }
        float[] scale = {1f, 30f, 0.25f, 1f};
        float[] perElement = run(2f, scale, steps);
        double[] expectedPer = reference(steps, new double[] {2 * LR, 60 * LR, 0.5 * LR, 2 * LR});
        for (int i = 0; i < 4; i++) {
            assertEquals(expectedPer[i], perElement[i], 1e-5, "per-element x[" + i + "]");
        }
        // Scale 1 on an element is exactly the ApplyAdam path (to float rounding of the written-out formula).
        assertEquals(plain[0], perElement[0], 1e-6);
        assertEquals(plain[3], perElement[3], 1e-6);
        assertNotEquals(plain[1], perElement[1], 1e-3);
    }

    @Test
    void cadyqSelectorWeightsScaleOnlyTheGradientColumns() {
        try (Graph g = new Graph()) {
            Variable<TFloat32> w = Ops.create(g).variable(Shape.of(3, 5), TFloat32.class);
            float[] s = Trainer.gradientColumnScale(w, 40f);
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 5; c++) {
                    assertEquals(c < 2 ? 40f : 1f, s[r * 5 + c], "row " + r + " column " + c);
                }
            }
        }
    }

    @Test
    void refusesAScaleOfTheWrongSize() {
        assertThrows(IllegalArgumentException.class, () -> run(1f, new float[] {1f, 2f}, 1));
    }
}
