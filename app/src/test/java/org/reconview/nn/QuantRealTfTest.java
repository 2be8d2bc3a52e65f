package org.reconview.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.EagerSession;
import org.tensorflow.op.Ops;
import org.tensorflow.op.quantization.FakeQuantWithMinMaxVars;
import org.tensorflow.types.TFloat32;

/**
 * The quantizer against TensorFlow's real {@code FakeQuantWithMinMaxVars} op (TF Java 1.1.0, TF 2.18, CPU kernel),
 * num_bits 4 and 8, narrow_range false: equal where the definitions coincide, and the one difference of definition
 * that shows on ordinary inputs (the zero-point tie, see {@link QuantTfAgreementTest}) pinned on a constructed range.
 * Also checks that {@link TfFakeQuantReference}, the op-by-op re-implementation the other tests use, is TF.
 */
@org.junit.jupiter.api.Tag("tensorflow")
class QuantRealTfTest {
    static EagerSession session;
    static Ops tf;

    @BeforeAll
    static void start() {
        session = EagerSession.create();
        tf = Ops.create(session);
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    static float[] tfFakeQuant(float[] x, float min, float max, int bits) {
        FakeQuantWithMinMaxVars op = tf.quantization.fakeQuantWithMinMaxVars(tf.constant(x), tf.constant(min),
                tf.constant(max), FakeQuantWithMinMaxVars.numBits((long) bits),
                FakeQuantWithMinMaxVars.narrowRange(false));
        try (TFloat32 out = op.outputs().asTensor()) {
            float[] r = new float[x.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = out.getFloat(i);
            }
            return r;
        }
    }

    @Test
    void equalsTensorFlowWhereTheDefinitionsCoincide() {
        Random rnd = new Random(5);
        int compared = 0;
        int nearTies = 0;
        for (int bits : new int[] {4, 8}) {
            for (int t = 0; t < 200; t++) {
                float l = Quantizer.lowerThreshold(-4 + 6 * rnd.nextDouble());
                float u = Quantizer.upperThreshold(-4 + 6 * rnd.nextDouble());
                ActivationQuant q = ActivationQuant.fromRange(l, u, bits, Rounding.NEAREST_UP);
                double zeroRatio = -(double) l / q.scale();
                if (Math.abs(zeroRatio - Math.floor(zeroRatio) - 0.5) < 1e-6) {
                    continue; // a zero-point tie: pinned below
                }
                float[] x = new float[256];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (q.lo() + (rnd.nextDouble() * 1.4 - 0.2) * (q.hi() - q.lo()));
                }
                float[] real = tfFakeQuant(x, l, u, bits);
                for (int i = 0; i < x.length; i++) {
                    compared++;
                    float ours = q.fakeQuant(x[i]);
                    float reference = TfFakeQuantReference.fakeQuant(x[i], l, u, bits, false,
                            TfFakeQuantReference.Version.CURRENT);
                    if (ours != real[i]) {
                        double v = ((double) x[i] - q.lo()) / q.scale();
                        assertTrue(Math.abs(v - Math.floor(v) - 0.5) < 1e-4,
                                "x=" + x[i] + " " + q + ": ours " + ours + ", TensorFlow " + real[i]);
                        nearTies++;
                    }
                    assertEquals(real[i], reference, 0f, "the re-implementation is TensorFlow, x=" + x[i]);
                }
            }
        }
        assertTrue(compared > 90_000);
        assertTrue(nearTies <= compared / 10_000, nearTies + " near-tie differences in " + compared);
    }

    @Test
    void theZeroPointTieDiffersAsDocumented() {
        // 4 bits, [-2.5 s, 12.5 s] with s = 1: l / s = -2.5 exactly. Eq. 5 with floor(v + 0.5) puts zero at level 2
        // above the minimum (range [-2, 13]); TensorFlow's std::round(2.5) = 3 gives [-3, 12].
        float[] x = {-3f, -2f, 12.5f, 13f};
        float[] real = tfFakeQuant(x, -2.5f, 12.5f, 4);
        ActivationQuant q = ActivationQuant.fromRange(-2.5f, 12.5f, 4, Rounding.NEAREST_UP);
        assertEquals(-3f, real[0], 0f, "TensorFlow keeps -3");
        assertEquals(12f, real[3], 0f, "TensorFlow clamps at 12");
        assertEquals(-2f, q.fakeQuant(-3f), 0f, "ours clamps at -2");
        assertEquals(13f, q.fakeQuant(13f), 0f, "ours keeps 13");
    }
}
