package org.reconview.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.reconview.nn.CadyqInit;
import org.reconview.nn.CadyqSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Weights;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Attention-transfer distillation: the attention map against a plain-Java computation, and the term of a CADyQ
 * unroll near zero against its own starting point (INT4 QW-Net, every tile at 4 bits) but not against another
 * teacher.
 */
@Tag("tensorflow")
class DistillationTest {
    @Test
    void attentionIsTheUnitNormChannelMeanOfSquares() {
        int n = 2;
        int h = 3;
        int w = 5;
        int c = 4;
        SplittableRandom rnd = new SplittableRandom(7);
        float[] f = new float[n * h * w * c];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (rnd.nextDouble() * 4 - 2);
        }
        try (Graph g = new Graph(); Session s = TfSupport.session(g, TrainTestSupport.THREADS)) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, h, w, c)));
            try (TFloat32 x = TfSupport.tensor(f, n, h, w, c)) {
                float[] a = TrainTestSupport.fetch(s, Map.of(p, x), List.of(Distillation.attention(tf, p))).get(0);
                assertEquals(n * h * w, a.length);
                for (int b = 0; b < n; b++) {
                    double[] m = new double[h * w];
                    double norm = 0;
                    for (int px = 0; px < h * w; px++) {
                        for (int k = 0; k < c; k++) {
                            double v = f[(b * h * w + px) * c + k];
                            m[px] += v * v / c;
                        }
                        norm += m[px] * m[px];
                    }
                    for (int px = 0; px < h * w; px++) {
                        assertEquals(m[px] / Math.sqrt(norm), a[b * h * w + px], 1e-6, "sample " + b + " pixel " + px);
                    }
                }
            }
        }
    }

    @Test
    void termIsNearZeroAgainstTheStartingModelOnly() {
        NetworkSpec net = NetworkSpec.of(NetworkSpec.Kind.QWNET, 8, 8);
        CadyqSpec spec = CadyqSpec.of(net, CadyqSpec.DEFAULT_CANDIDATES, 32);
        Weights int4 = TrainTestSupport.randomWeights(net, 41);
        Weights start = CadyqInit.fromQwnet(int4, spec, 4);
        float own = term(spec, start, start);
        float other = term(spec, start, CadyqInit.fromQwnet(TrainTestSupport.randomWeights(net, 42), spec, 4));
        assertTrue(Float.isFinite(own) && Float.isFinite(other), own + ", " + other);
        assertTrue(own < 1e-9, "against its own start " + own);
        assertTrue(other > 1e-6, "another teacher's term " + other);
    }

    /** The distillation term of a 1-warm-up, 2-frame CADyQ unroll at 32x32 on a synthetic crop. */
    static float term(CadyqSpec spec, Weights student, Weights teacher) {
        int n = 32;
        try (Graph g = new Graph(); Session s = TfSupport.session(g, TrainTestSupport.THREADS)) {
            Ops tf = Ops.create(g);
            ModelVariables vars = ModelVariables.create(tf, spec);
            ModelVariables tv = ModelVariables.create(tf.withSubScope("teacher"), spec);
            Unroll u = new Unroll(tf, vars, NetworkGraph.Mode.CADYQ, 1, 2, 1, n, n, 0f, false, tv);
            vars.load(s, student);
            tv.load(s, teacher);
            CropSampler sampler = new CropSampler(TrainingFrames.of(List.of(SyntheticSequences.sequence("s", 48, 48,
                    6, 1))), 3, n, n, false, 3);
            CropSampler.Batch b = sampler.batch(0, 1);
            Session.Runner r = s.runner();
            List<TFloat32> open = new ArrayList<>();
            try {
                for (int t = 0; t < 3; t++) {
                    TFloat32 c = TfSupport.tensor(b.color()[t], 1, n, n, 3);
                    TFloat32 m = TfSupport.tensor(b.motion()[t], 1, n, n, 2);
                    open.add(c);
                    open.add(m);
                    r.feed(u.colors.get(t), c).feed(u.motions.get(t), m);
                }
                r.fetch(u.distill);
                try (var result = r.run()) {
                    return TfSupport.floats((TFloat32) result.get(0))[0];
                }
            } finally {
                open.forEach(TFloat32::close);
            }
        }
    }
}
