package org.reconview.train;

import java.util.ArrayList;
import java.util.List;
import org.reconview.color.Pq;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The network as inference runs it, one frame at a time over a whole sequence (a long recurrent rollout): I_a the
 * PQ-encoded frame, I_w the previous output (clamped to [0, 1]) warped by the motion, I_a where the warp leaves the
 * image and on a shot's first frame; BN with running statistics (FP32) or the simulated quantization, which equals
 * the integer model. Scores each frame with eval's PSNR: 10 log10(1 / MSE) over R, G, B of the PQ-encoded output and
 * reference. Also hands out named layer outputs along the way (threshold calibration).
 */
final class Validator {
    /** Frames at the start of each rollout left out of its mean, as eval's default warm-up. */
    static final int WARMUP = 8;

    private final int batch;
    private final int height;
    private final int width;
    private final Placeholder<TFloat32> color;
    private final Placeholder<TFloat32> motion;
    private final Placeholder<TFloat32> previous;
    private final Operand<TFloat32> output;
    private final NetworkGraph.Step step;

    Validator(Ops tf, ModelVariables vars, NetworkGraph.Mode mode, int batch, int height, int width) {
        this.batch = batch;
        this.height = height;
        this.width = width;
        color = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, height, width, 3)));
        motion = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, height, width, 2)));
        previous = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, height, width, 3)));
        WarpOp.Result w = WarpOp.warp(tf, previous, motion, batch, height, width);
        Operand<TFloat32> iw = tf.math.add(w.image(), tf.math.mul(tf.math.sub(tf.constant(1f), w.valid()), color));
        step = new NetworkGraph(tf, vars).step(color, iw, mode);
        output = tf.clipByValue(step.output(), tf.constant(0f), tf.constant(1f));
    }

    int height() {
        return height;
    }

    int width() {
        return width;
    }

    /**
     * Runs frames {@code 0..n-1} of a rollout: {@code colorPq[t]}, {@code motion[t]} NHWC planes of this validator's
     * batch and size; {@code cut[t]} restarts the history. Calls {@code perFrame} with each frame's output and the
     * requested layer outputs.
     */
    void rollout(Session session, float[][] colorPq, float[][] motionPlanes, boolean[] cut, List<String> layers,
            FrameConsumer perFrame) {
        float[] prev = null;
        float[] zeroMotion = new float[batch * height * width * 2];
        for (int t = 0; t < colorPq.length; t++) {
            boolean restart = prev == null || cut[t];
            try (TFloat32 c = TfSupport.tensor(colorPq[t], batch, height, width, 3);
                 TFloat32 m = TfSupport.tensor(restart ? zeroMotion : motionPlanes[t], batch, height, width, 2);
                 TFloat32 p = TfSupport.tensor(restart ? colorPq[t] : prev, batch, height, width, 3)) {
                Session.Runner r = session.runner().feed(color, c).feed(motion, m).feed(previous, p).fetch(output);
                for (String l : layers) {
                    r.fetch(step.tensors().get(l));
                }
                try (var result = r.run()) {
                    prev = TfSupport.floats((TFloat32) result.get(0));
                    List<float[]> extra = new ArrayList<>();
                    for (int i = 0; i < layers.size(); i++) {
                        extra.add(TfSupport.floats((TFloat32) result.get(i + 1)));
                    }
                    perFrame.accept(t, prev, extra);
                }
            }
        }
    }

    /** Per-frame PSNR (dB) of a rollout over a whole sequence (batch 1, the validator's size). */
    double[] psnr(Session session, TrainingFrames.Sequence q) {
        int n = q.frames();
        int plane = q.width() * q.height();
        float[][] c = new float[n][];
        boolean[] cut = new boolean[n];
        for (int t = 0; t < n; t++) {
            c[t] = pq(q.color()[t]);
        }
        for (int[] shot : q.shots()) {
            cut[shot[0]] = true;
        }
        double[] out = new double[n];
        rollout(session, c, q.motion(), cut, List.of(), (t, o, extra) -> {
            float[] ref = q.reference()[t];
            double se = 0;
            for (int i = 0; i < plane * 3; i++) {
                double d = o[i] - Pq.encode(ref[i]);
                se += d * d;
            }
            out[t] = 10 * Math.log10(1.0 / Math.max(se / (plane * 3), 1e-20));
        });
        return out;
    }

    static float[] pq(float[] linear) {
        float[] out = new float[linear.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Pq.encode(linear[i]);
        }
        return out;
    }

    /** Mean of a rollout's PSNR after its warm-up frames (all frames when the rollout is shorter). */
    static double mean(double[] psnr) {
        int from = psnr.length > WARMUP ? WARMUP : 0;
        double s = 0;
        for (int i = from; i < psnr.length; i++) {
            s += psnr[i];
        }
        return s / (psnr.length - from);
    }

    @FunctionalInterface
    interface FrameConsumer {
        void accept(int frame, float[] output, List<float[]> layers);
    }
}
