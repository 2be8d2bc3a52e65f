package org.reconview.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Weights;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Warm-up frames carry no gradient: d loss / d (warm-up colour) is zero, d loss / d (loss-frame colour) is not. */
@Tag("tensorflow")
class UnrollTest {
    @Test
    void warmupFramesCarryNoGradient() {
        NetworkSpec spec = NetworkSpec.qwnet();
        int warmup = 2;
        int frames = 2;
        int n = 16;
        try (Graph g = new Graph(); Session s = TfSupport.session(g, TrainTestSupport.THREADS)) {
            Ops tf = Ops.create(g);
            ModelVariables vars = ModelVariables.create(tf, spec);
            Unroll u = new Unroll(tf, vars, NetworkGraph.Mode.FP32_TRAIN, warmup, frames, 1, n, n);
            List<Operand<TFloat32>> xs = new ArrayList<>(u.colors);
            Output<?>[] grads = g.addGradients(u.loss.total().asOutput(),
                    xs.stream().map(Operand::asOutput).toArray(Output<?>[]::new));
            vars.load(s, FilterInit.taaLike(TrainTestSupport.randomWeights(spec, 4), spec));
            CropSampler sampler = new CropSampler(TrainingFrames.of(List.of(SyntheticSequences.sequence("s", 32, 32,
                    12, 1))), warmup + frames, n, n, true, 3);
            CropSampler.Batch b = sampler.batch(0, 1);
            Session.Runner r = s.runner();
            List<TFloat32> open = new ArrayList<>();
            for (int t = 0; t < warmup + frames; t++) {
                TFloat32 c = TfSupport.tensor(b.color()[t], 1, n, n, 3);
                TFloat32 m = TfSupport.tensor(b.motion()[t], 1, n, n, 2);
                open.add(c);
                open.add(m);
                r.feed(u.colors.get(t), c).feed(u.motions.get(t), m);
                if (t >= warmup) {
                    TFloat32 ref = TfSupport.tensor(b.reference()[t], 1, n, n, 3);
                    open.add(ref);
                    r.feed(u.references.get(t - warmup), ref);
                }
            }
            // TensorFlow gives no gradient output at all where the loss does not depend on an input (no path).
            List<Integer> connected = new ArrayList<>();
            for (int t = 0; t < grads.length; t++) {
                try {
                    r.fetch(grads[t]);
                    connected.add(t);
                } catch (IllegalStateException noPath) {
                    assertTrue(t < warmup, "loss frame " + t + " has no gradient path");
                }
            }
            try (var result = r.run()) {
                for (int t = 0; t < warmup + frames; t++) {
                    double norm = 0;
                    int at = connected.indexOf(t);
                    if (at >= 0) {
                        for (float v : TfSupport.floats((TFloat32) result.get(at))) {
                            norm += Math.abs(v);
                        }
                    }
                    if (t < warmup) {
                        assertEquals(0.0, norm, "warm-up frame " + t + " has a gradient");
                    } else {
                        assertTrue(norm > 1e-6, "loss frame " + t + " has none: " + norm);
                    }
                }
            } finally {
                open.forEach(TFloat32::close);
            }
        }
    }
}
