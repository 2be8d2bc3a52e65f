package org.reconview.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Weights;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A few Adam steps on a synthetic two-frame batch lower an L1 loss: the network unrolled over two frames with
 * I_w = previous output (a static camera, so the warp is the identity), for QW-Net and U-Net in FP32 training mode
 * and for QW-Net's simulated quantization (weights, biases and thresholds trained, BN frozen).
 */
@org.junit.jupiter.api.Tag("tensorflow")
class TrainSmokeTest {
    private static final int FRAMES = 2;

    /** A built training graph: placeholders per frame, the loss, Adam, BN updates. */
    record Setup(Graph graph, Session session, ModelVariables vars, List<Placeholder<TFloat32>> inputs,
                 List<Placeholder<TFloat32>> targets, Operand<TFloat32> loss, Adam adam, List<Op> extra) implements
            AutoCloseable {
        @Override
        public void close() {
            session.close();
            graph.close();
        }
    }

    static Setup build(NetworkSpec spec, Weights init, NetworkGraph.Mode mode, int frames, int h, int w,
            Adam.Config config) {
        Graph g = new Graph();
        Session s = TfSupport.session(g, TrainTestSupport.THREADS);
        Ops tf = Ops.create(g);
        ModelVariables vars = ModelVariables.create(tf, spec);
        NetworkGraph net = new NetworkGraph(tf, vars);
        List<Placeholder<TFloat32>> inputs = new ArrayList<>();
        List<Placeholder<TFloat32>> targets = new ArrayList<>();
        List<NetworkGraph.Step> steps = new ArrayList<>();
        Operand<TFloat32> previous = null;
        Operand<TFloat32> loss = null;
        for (int f = 0; f < frames; f++) {
            Placeholder<TFloat32> ia = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, h, w, 3)));
            Placeholder<TFloat32> ref = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, h, w, 3)));
            inputs.add(ia);
            targets.add(ref);
            // I_w = I_a at the block start, then the previous output (warped; identity here).
            NetworkGraph.Step st = net.step(ia, previous == null ? ia : previous, mode);
            steps.add(st);
            previous = st.output();
            Operand<TFloat32> l1 = tf.math.mean(tf.math.abs(tf.math.sub(st.output(), ref)),
                    tf.constant(new int[] {0, 1, 2, 3}));
            loss = loss == null ? l1 : tf.math.add(loss, l1);
        }
        loss = tf.math.div(loss, tf.constant((float) frames));
        List<Variable<TFloat32>> trainable = new ArrayList<>();
        for (String n : vars.trainable(mode == NetworkGraph.Mode.SIMULATED_QUANT)) {
            trainable.add(vars.get(n));
        }
        Adam adam = new Adam(tf, g, loss, trainable, config);
        List<Op> extra = net.runningStatUpdates(steps, 0.9f);
        vars.load(s, init);
        adam.reset(s);
        return new Setup(g, s, vars, inputs, targets, loss, adam, extra);
    }

    /** Synthetic frames: a smooth target and an aliased input (target plus sparse bright pixels and noise). */
    static List<List<org.reconview.nn.Tensor>> batch(int frames, int batch, int h, int w, long seed) {
        List<List<org.reconview.nn.Tensor>> out = new ArrayList<>(); // [frame*2 + 0: inputs, +1: targets][image]
        SplittableRandom rnd = new SplittableRandom(seed);
        List<org.reconview.nn.Tensor> clean = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            clean.add(TrainTestSupport.randomImage(h, w, seed + b));
        }
        for (int f = 0; f < frames; f++) {
            List<org.reconview.nn.Tensor> in = new ArrayList<>();
            for (org.reconview.nn.Tensor c : clean) {
                org.reconview.nn.Tensor a = c.copy();
                for (int i = 0; i < a.data.length; i++) {
                    double v = a.data[i] + 0.15 * (rnd.nextDouble() - 0.5);
                    if (rnd.nextDouble() < 0.03) {
                        v = 1;
                    }
                    a.data[i] = (float) Math.max(0, Math.min(1, v));
                }
                in.add(a);
            }
            out.add(in);
            out.add(clean);
        }
        return out;
    }

    static float[] train(Setup st, List<List<org.reconview.nn.Tensor>> data, int steps) {
        Map<Operand<?>, Tensor> feeds = new HashMap<>();
        List<TFloat32> open = new ArrayList<>();
        try {
            for (int f = 0; f < st.inputs().size(); f++) {
                TFloat32 a = TfSupport.nhwc(data.get(2 * f));
                TFloat32 r = TfSupport.nhwc(data.get(2 * f + 1));
                open.add(a);
                open.add(r);
                feeds.put(st.inputs().get(f), a);
                feeds.put(st.targets().get(f), r);
            }
            float[] losses = new float[steps + 1];
            for (int i = 0; i < steps; i++) {
                losses[i] = st.adam().step(st.session(), feeds, st.extra());
            }
            // the loss after the last update (no update: a plain run)
            Session.Runner r = st.session().runner();
            feeds.forEach(r::feed);
            try (var res = r.fetch(st.loss()).run()) {
                losses[steps] = ((TFloat32) res.get(0)).getFloat();
            }
            return losses;
        } finally {
            open.forEach(TFloat32::close);
        }
    }

    private static void assertDecrease(String what, float[] losses, double fraction) {
        float first = losses[0];
        float last = losses[losses.length - 1];
        System.out.printf("%s: L1 %.5f -> %.5f (%.1f%% lower) over %d Adam steps%n", what, first, last,
                100 * (1 - last / first), losses.length - 1);
        assertTrue(Float.isFinite(last), what + ": loss " + last);
        assertTrue(last <= first * (1 - fraction), what + ": loss " + first + " -> " + last + ", expected at least "
                + 100 * fraction + "% lower");
    }

    @Test
    void adamLowersTheLossOfQwnet() {
        NetworkSpec spec = NetworkSpec.qwnet();
        try (Setup st = build(spec, Weights.random(spec, 1), NetworkGraph.Mode.FP32_TRAIN, FRAMES, 32, 32,
                Adam.Config.defaults().withLearningRate(3e-3f))) {
            float[] before = st.vars().read(st.session(), Map.of(), "x").floats("fe.enc0.conv0.bn.mean");
            float[] losses = train(st, batch(FRAMES, 2, 32, 32, 7), 8);
            assertDecrease("qwnet fp32", losses, 0.4);
            float[] after = st.vars().read(st.session(), Map.of(), "x").floats("fe.enc0.conv0.bn.mean");
            assertFalse(java.util.Arrays.equals(before, after), "running means follow the batches");
            assertEquals(8, st.adam().iterations());
        }
    }

    @Test
    void adamLowersTheLossOfUnet() {
        NetworkSpec spec = NetworkSpec.unet();
        try (Setup st = build(spec, Weights.random(spec, 2), NetworkGraph.Mode.FP32_TRAIN, FRAMES, 32, 32,
                Adam.Config.defaults().withLearningRate(3e-3f))) {
            assertDecrease("unet fp32", train(st, batch(FRAMES, 2, 32, 32, 8), 8), 0.5);
        }
    }

    @Test
    void quantizedFineTuningLowersTheLossAndMovesThresholds() {
        NetworkSpec spec = NetworkSpec.qwnet();
        try (Setup st = build(spec, Weights.random(spec, 3), NetworkGraph.Mode.SIMULATED_QUANT, FRAMES, 32, 32,
                Adam.Config.defaults().withLearningRate(3e-3f))) {
            assertTrue(st.vars().trainable(true).contains("fe.input.t_l"));
            assertFalse(st.vars().trainable(true).contains("fe.enc0.conv0.bn.gamma"));
            float tuBefore = st.vars().read(st.session(), Map.of(), "x").floats("fe.enc1.conv0.t_u")[0];
            float[] losses = train(st, batch(FRAMES, 2, 32, 32, 9), 8);
            assertDecrease("qwnet simulated int4", losses, 0.4);
            Weights after = st.vars().read(st.session(), Map.of(), "x");
            assertNotEquals(tuBefore, after.floats("fe.enc1.conv0.t_u")[0], "thresholds are trained");
            assertArrayEquals(Weights.random(spec, 3).floats("fe.enc0.conv0.bn.mean"),
                    after.floats("fe.enc0.conv0.bn.mean"), "BN frozen");
        }
    }

    /** Step times at batch 4 x 64x64 (one frame and two unrolled); run with -Dreconview.trainBench=true. */
    @Test
    @EnabledIfSystemProperty(named = "reconview.trainBench", matches = "true")
    void stepTimes() {
        int threads = Integer.getInteger("reconview.trainBenchThreads", TrainTestSupport.THREADS);
        for (Object[] c : new Object[][] {{NetworkSpec.unet(), NetworkGraph.Mode.FP32_TRAIN},
            {NetworkSpec.qwnet(), NetworkGraph.Mode.FP32_TRAIN}, {NetworkSpec.qwnet(), NetworkGraph.Mode.SIMULATED_QUANT}}) {
            for (int frames : new int[] {1, 2}) {
                NetworkSpec spec = (NetworkSpec) c[0];
                NetworkGraph.Mode mode = (NetworkGraph.Mode) c[1];
                try (Setup st = build(spec, Weights.random(spec, 1), mode, frames, 64, 64, Adam.Config.defaults())) {
                    var data = batch(frames, 4, 64, 64, 1);
                    train(st, data, 3); // warm-up
                    long t0 = System.nanoTime();
                    int n = 10;
                    train(st, data, n);
                    double ms = (System.nanoTime() - t0) / 1e6 / (n + 1);
                    System.out.printf("STEP %s %s frames=%d batch 4 x 64x64 threads=%d: %.1f ms/step%n",
                            spec.variant(), mode, frames, threads, ms);
                }
            }
        }
    }
}
