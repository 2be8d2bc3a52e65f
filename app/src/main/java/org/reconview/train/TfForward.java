package org.reconview.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.reconview.nn.MacCount;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Weights;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * TensorFlow's CPU forward of a network, timed: the peer that {@code bench --what nn} sets the GLSL paths against.
 * The graph is the training graph in inference mode ({@link NetworkGraph}: FP32 with running BN statistics, or QW-Net's
 * simulated quantization), one frame of batch 1 at a size, the network alone (no warp, no metrics), as
 * {@code NetworkTimings} times the GLSL paths. Runs only in a process without GL (bench starts it as a child).
 */
public final class TfForward {
    private TfForward() {
    }

    /**
     * ms per frame (mean of {@code runs} after one untimed run) and G(FL)OP/s (2 x MACs x pixels / time) of the network
     * at w x h with random weights, {@code threads} threads per pool (0: TensorFlow's default).
     */
    public static Map<String, Double> time(NetworkSpec spec, boolean int4, int w, int h, int runs, int threads) {
        Map<String, Double> r = new LinkedHashMap<>();
        try (Net net = new Net(spec, int4, w, h, threads);
                TFloat32 a = TfSupport.tensor(random(w * h * 3, 1), 1, h, w, 3);
                TFloat32 b = TfSupport.tensor(random(w * h * 3, 2), 1, h, w, 3)) {
            net.run(a, b).close();
            long t0 = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                net.run(a, b).close();
            }
            double ms = (System.nanoTime() - t0) / 1e6 / runs;
            r.put("ms", ms);
            r.put("gops", MacCount.of(spec).gops(w, h, ms));
        }
        return r;
    }

    /** The output that {@link #time} computes for the inputs (NHWC, batch 1, PQ-encoded values): the timed work. */
    static float[] output(NetworkSpec spec, boolean int4, int w, int h, float[] aliased, float[] warped) {
        try (Net net = new Net(spec, int4, w, h, 1);
                TFloat32 a = TfSupport.tensor(aliased, 1, h, w, 3);
                TFloat32 b = TfSupport.tensor(warped, 1, h, w, 3);
                TFloat32 out = net.run(a, b)) {
            return TfSupport.floats(out);
        }
    }

    /** One network's forward graph and session, random weights (seed 1) loaded. */
    private static final class Net implements AutoCloseable {
        private final Graph graph = new Graph();
        private final Session session;
        private final Placeholder<TFloat32> color;
        private final Placeholder<TFloat32> warped;
        private final Operand<TFloat32> out;

        Net(NetworkSpec spec, boolean int4, int w, int h, int threads) {
            Ops tf = Ops.create(graph);
            ModelVariables vars = ModelVariables.create(tf, spec);
            color = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, h, w, 3)));
            warped = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, h, w, 3)));
            out = new NetworkGraph(tf, vars).step(color, warped,
                    int4 ? NetworkGraph.Mode.SIMULATED_QUANT : NetworkGraph.Mode.FP32_INFERENCE).output();
            session = TfSupport.session(graph, threads);
            vars.load(session, Weights.random(spec, 1));
        }

        /** The output for one frame (caller closes it). */
        TFloat32 run(TFloat32 a, TFloat32 b) {
            var result = session.runner().feed(color, a).feed(warped, b).fetch(out).run();
            return (TFloat32) result.get(0);
        }

        @Override
        public void close() {
            session.close();
            graph.close();
        }
    }

    private static float[] random(int n, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextFloat();
        }
        return v;
    }
}
