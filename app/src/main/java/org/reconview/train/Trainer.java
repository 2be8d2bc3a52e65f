package org.reconview.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.reconview.UserException;
import org.reconview.color.Pq;
import org.reconview.io.SafeTensors;
import org.reconview.io.TextFiles;
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
 * Trains a network on dataset blocks (paper section 4): each step takes a batch of blocks of N_t frames, unrolls the
 * network over them with I_w = I_a on the first frame and the previous output warped by the frame's motion after
 * (I_a where the warp leaves the screen), and back-propagates L = 0.3 L_s + 0.7 L_t through all frames with Adam.
 * FP32 training updates the BN running statistics; with {@code quantizeBits} it runs the simulated quantization of
 * section 5.1 (weights, biases and log-space thresholds trained, BN frozen), usually from FP32 weights.
 * <p>
 * Deterministic: batch k is drawn from a generator seeded by (seed, k), so a run resumed from a checkpoint takes the
 * same batches and ends with the same weights as one that never stopped. Checkpoints hold the variables, Adam's
 * moments and the step; the CSV log has one line per step.
 */
public final class Trainer implements AutoCloseable {
    /** What to train and how. */
    public record Config(NetworkSpec spec, int quantizeBits, int batch, float learningRate, long seed, int threads,
            float bnMomentum, String optimizer) {
        public Config {
            if (!optimizer.equals("adam") && !optimizer.equals("ranger")) {
                throw new UserException("--optimizer: unknown '" + optimizer + "' (adam, ranger)");
            }
        }
    }

    /** One step's numbers. */
    public record StepResult(int step, float loss, float spatial, float temporal, double seconds) {
    }

    private final Config config;
    private final DatasetReader data;
    private final int frames;
    private final int height;
    private final int width;
    private final Graph graph = new Graph();
    private final Session session;
    private final ModelVariables vars;
    private final List<Placeholder<TFloat32>> colors = new ArrayList<>();
    private final List<Placeholder<TFloat32>> motions = new ArrayList<>();
    private final List<Placeholder<TFloat32>> references = new ArrayList<>();
    private final ReconstructionLoss.Terms loss;
    private final Optimizer optimizer;
    private final List<Op> extra;
    private int step;
    /** Checkpoint tensor names of the optimiser's state (flattened; restored into the variables' shapes). */
    static final String SLOT = "optimizer.slot.";

    public Trainer(Config config, DatasetReader data, Weights init) {
        this.config = config;
        this.data = data;
        if (data.size() == 0) {
            throw new UserException(data.dir() + ": the dataset has no blocks");
        }
        DatasetBlockFile.Header h = data.load(0).header();
        this.frames = h.nt();
        this.height = h.ny();
        this.width = h.nx();
        if (height % 16 != 0 || width % 16 != 0) {
            throw new UserException(data.dir() + ": blocks of " + width + "x" + height + " are not multiples of 16");
        }
        session = TfSupport.session(graph, config.threads());
        Ops tf = Ops.create(graph);
        vars = ModelVariables.create(tf, config.spec());
        NetworkGraph net = new NetworkGraph(tf, vars);
        NetworkGraph.Mode mode = config.quantizeBits() > 0 ? NetworkGraph.Mode.SIMULATED_QUANT
                : NetworkGraph.Mode.FP32_TRAIN;
        List<Operand<TFloat32>> outputs = new ArrayList<>();
        List<Operand<TFloat32>> refs = new ArrayList<>();
        List<Operand<TFloat32>> mots = new ArrayList<>();
        List<NetworkGraph.Step> steps = new ArrayList<>();
        Operand<TFloat32> previous = null;
        for (int t = 0; t < frames; t++) {
            Placeholder<TFloat32> c = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, height, width, 3)));
            Placeholder<TFloat32> m = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, height, width, 2)));
            Placeholder<TFloat32> r = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, height, width, 3)));
            colors.add(c);
            motions.add(m);
            references.add(r);
            Operand<TFloat32> iw = c;
            if (previous != null) {
                WarpOp.Result w = WarpOp.warp(tf, previous, m, config.batch(), height, width);
                // I_w = warped previous output where the warp lands on screen, I_a elsewhere.
                iw = tf.math.add(w.image(), tf.math.mul(tf.math.sub(tf.constant(1f), w.valid()), c));
            }
            NetworkGraph.Step st = net.step(c, iw, mode);
            steps.add(st);
            outputs.add(st.output());
            refs.add(r);
            mots.add(m);
            previous = st.output();
        }
        loss = ReconstructionLoss.build(tf, outputs, refs, mots, config.batch(), height, width);
        List<Variable<TFloat32>> trainable = new ArrayList<>();
        for (String n : vars.trainable(config.quantizeBits() > 0)) {
            trainable.add(vars.get(n));
        }
        optimizer = config.optimizer().equals("ranger")
                ? new Ranger(tf, graph, loss.total(), trainable, Ranger.Config.defaults())
                : new Adam(tf, graph, loss.total(), trainable,
                        Adam.Config.defaults().withLearningRate(config.learningRate()));
        extra = config.quantizeBits() > 0 ? List.of() : net.runningStatUpdates(steps, config.bnMomentum());
        vars.load(session, init);
        optimizer.reset(session);
    }

    public int frames() {
        return frames;
    }

    public int step() {
        return step;
    }

    /** Runs steps until {@code until}, reporting each. */
    public List<StepResult> train(int until, java.util.function.Consumer<StepResult> report) {
        List<StepResult> results = new ArrayList<>();
        while (step < until) {
            long t0 = System.nanoTime();
            Map<Operand<?>, Tensor> feeds = new HashMap<>();
            List<TFloat32> open = new ArrayList<>();
            try {
                fillBatch(step, feeds, open);
                float[] v = optimizer.step(session, feeds, extra, config.learningRate(),
                        List.of(loss.spatial(), loss.temporal()));
                StepResult r = new StepResult(step, v[0], v[1], v[2], (System.nanoTime() - t0) / 1e9);
                results.add(r);
                report.accept(r);
            } finally {
                open.forEach(TFloat32::close);
            }
            step++;
        }
        return results;
    }

    /** Batch k: blocks drawn with a generator seeded by (seed, k); colour and reference PQ-encoded. */
    private void fillBatch(int k, Map<Operand<?>, Tensor> feeds, List<TFloat32> open) {
        SplittableRandom rnd = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + k);
        int b = config.batch();
        int plane = height * width;
        float[][] color = new float[frames][b * plane * 3];
        float[][] motion = new float[frames][b * plane * 2];
        float[][] reference = new float[frames][b * plane * 3];
        for (int i = 0; i < b; i++) {
            DatasetBlockFile.Block block = data.load(rnd.nextInt(data.size()));
            for (int t = 0; t < frames; t++) {
                for (int p = 0; p < plane; p++) {
                    int src = (t * plane + p) * 8; // color RGB, motion XY, reference RGB
                    int dst = i * plane + p;
                    for (int c = 0; c < 3; c++) {
                        color[t][dst * 3 + c] = Pq.encode(block.data()[src + c]);
                        reference[t][dst * 3 + c] = Pq.encode(block.data()[src + 5 + c]);
                    }
                    motion[t][dst * 2] = block.data()[src + 3];
                    motion[t][dst * 2 + 1] = block.data()[src + 4];
                }
            }
        }
        for (int t = 0; t < frames; t++) {
            TFloat32 c = TfSupport.tensor(color[t], b, height, width, 3);
            TFloat32 m = TfSupport.tensor(motion[t], b, height, width, 2);
            TFloat32 r = TfSupport.tensor(reference[t], b, height, width, 3);
            open.add(c);
            open.add(m);
            open.add(r);
            feeds.put(colors.get(t), c);
            feeds.put(motions.get(t), m);
            feeds.put(references.get(t), r);
        }
    }

    /** The current weights with metadata. */
    public Weights weights(Map<String, String> metadata) {
        return vars.read(session, metadata, "training");
    }

    /** Saves variables, Adam's moments and the step (atomically, safetensors). */
    public void checkpoint(Path file, Map<String, String> metadata) {
        Weights w = weights(metadata);
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>(w.tensors());
        List<float[]> slots = optimizer.readSlots(session);
        for (int i = 0; i < slots.size(); i++) {
            tensors.put(SLOT + i, SafeTensors.Tensor.ofFloats(new int[] {slots.get(i).length}, slots.get(i)));
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("checkpoint_step", Integer.toString(step));
        meta.put("optimizer", config.optimizer());
        meta.put("optimizer_iterations", Long.toString(optimizer.iterations()));
        SafeTensors.write(file, tensors, meta);
    }

    /** Restores a {@link #checkpoint}: variables, moments and the step. */
    public void resume(Path file) {
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!meta.containsKey("checkpoint_step")) {
            throw new UserException(file + ": not a training checkpoint (no checkpoint_step)");
        }
        Map<String, SafeTensors.Tensor> weights = new LinkedHashMap<>();
        List<float[]> slots = new ArrayList<>();
        if (!config.optimizer().equals(meta.get("optimizer"))) {
            throw new UserException(file + ": checkpoint of optimizer '" + meta.get("optimizer") + "', this run uses '"
                    + config.optimizer() + "'");
        }
        for (int i = 0; c.tensors().containsKey(SLOT + i); i++) {
            slots.add(c.tensors().get(SLOT + i).floats());
        }
        c.tensors().forEach((n, t) -> {
            if (!n.startsWith(SLOT)) {
                weights.put(n, t);
            }
        });
        vars.load(session, new Weights(weights, meta, file.toString()));
        optimizer.restoreSlots(session, slots, Long.parseLong(meta.get("optimizer_iterations")));
        step = Integer.parseInt(meta.get("checkpoint_step"));
    }

    /** Appends steps to the CSV log (header written when the file is new). */
    public static void log(Path csv, List<StepResult> rows) {
        StringBuilder sb = new StringBuilder();
        try {
            if (Files.exists(csv)) {
                sb.append(Files.readString(csv));
            } else {
                sb.append("step,loss,spatial,temporal,seconds\n");
            }
        } catch (java.io.IOException e) {
            throw new UserException(csv + ": cannot read (" + e.getMessage() + ")");
        }
        for (StepResult r : rows) {
            sb.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.3f%n", r.step(), r.loss(), r.spatial(),
                    r.temporal(), r.seconds()));
        }
        TextFiles.writeAtomic(csv, sb.toString());
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }

}
