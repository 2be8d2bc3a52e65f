package org.reconview.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.reconview.UserException;
import org.reconview.io.SafeTensors;
import org.reconview.io.TextFiles;
import org.reconview.nn.CadyqSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Weights;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Trains a network (paper section 4) on crops cut on the fly from whole frames ({@link CropSampler}): each step
 * unrolls the network over a window of {@code warmup} forward-only frames and {@code frames} loss frames
 * ({@link Unroll}) for a batch of crops and back-propagates L = 0.3 L_s + 0.7 L_t with Adam or Ranger, the learning
 * rate following a {@link LearningRateSchedule}. FP32 training uses BN batch statistics and moves the running
 * statistics (momentum {@code bnMomentum}) until step {@code bnFreezeStep}; there the running statistics are
 * recomputed as the plain mean over {@link #STAT_BATCHES} batches and frozen, and training goes on with BN as
 * inference computes it, so the two agree. With {@code quantizeBits} it runs the simulated quantization of section
 * 5.1 (weights, biases and log-space thresholds trained, BN frozen and folded).
 * <p>
 * {@link #validate} scores a long recurrent rollout over whole validation sequences with eval's PSNR.
 * Deterministic: batch k is drawn from (seed, k), so a run resumed from a checkpoint takes the same batches and ends
 * with the same weights as one that never stopped. Checkpoints hold the variables, the optimiser's state and the step.
 */
public final class Trainer implements AutoCloseable {
    /** Batches averaged into the running BN statistics when they are frozen. */
    public static final int STAT_BATCHES = 16;

    /** What to train and how. */
    public record Config(NetworkSpec spec, int quantizeBits, int batch, LearningRateSchedule schedule, long seed,
                         int threads, float bnMomentum, int bnFreezeStep, String optimizer, int warmupFrames,
                         int frames, int cropWidth, int cropHeight, boolean augment, CadyqSpec cadyq, float bitWeight,
                         int bitRampSteps, float selectorLrScale, float selectorGradientLrScale, float bitFlatness,
                         boolean centredSelectorGradients, float distillWeight) {
        /** A CADyQ configuration whose selector weights all share one learning-rate scale. */
        public Config(NetworkSpec spec, int quantizeBits, int batch, LearningRateSchedule schedule, long seed,
                int threads, float bnMomentum, int bnFreezeStep, String optimizer, int warmupFrames, int frames,
                int cropWidth, int cropHeight, boolean augment, CadyqSpec cadyq, float bitWeight, int bitRampSteps,
                float selectorLrScale) {
            this(spec, quantizeBits, batch, schedule, seed, threads, bnMomentum, bnFreezeStep, optimizer, warmupFrames,
                    frames, cropWidth, cropHeight, augment, cadyq, bitWeight, bitRampSteps, selectorLrScale, 1f, 0f, false,
                    0f);
        }

        /** A plain (non-CADyQ) configuration. */
        public Config(NetworkSpec spec, int quantizeBits, int batch, LearningRateSchedule schedule, long seed,
                int threads, float bnMomentum, int bnFreezeStep, String optimizer, int warmupFrames, int frames,
                int cropWidth, int cropHeight, boolean augment) {
            this(spec, quantizeBits, batch, schedule, seed, threads, bnMomentum, bnFreezeStep, optimizer, warmupFrames,
                    frames, cropWidth, cropHeight, augment, null, 0f, 0, 1f, 1f, 0f, false, 0f);
        }

        /** w_bit at a step: ramped linearly from 0 to {@link #bitWeight} over {@link #bitRampSteps}, then held. */
        public float bitWeightAt(int step) {
            return bitRampSteps <= 0 ? bitWeight : bitWeight * Math.min(1f, step / (float) bitRampSteps);
        }

        public Config {
            if (!optimizer.equals("adam") && !optimizer.equals("ranger")) {
                throw new UserException("--optimizer: unknown '" + optimizer + "' (adam, ranger)");
            }
        }
    }

    /**
     * One step's numbers; {@code bits} is CADyQ's MAC-weighted average bits of the batch, {@code distill} its
     * attention-transfer term before its weight (NaN where not trained).
     */
    public record StepResult(int step, float loss, float spatial, float temporal, float lr, double seconds,
                             float bits, float distill) {
    }

    private final Config config;
    private final CropSampler sampler;
    private final Graph graph = new Graph();
    private final Session session;
    private final ModelVariables vars;
    /** The distillation teacher's variables (frozen: not among the optimiser's), or null. */
    private final ModelVariables teacherVars;
    private final Unroll unroll;
    private final Optimizer optimizer;
    private final Map<String, Validator> validators = new HashMap<>();
    private final Validator calibrator;
    private final TrainingFrames validation;
    private int step;
    /** Checkpoint tensor names of the optimiser's state (flattened; restored into the variables' shapes). */
    static final String SLOT = "optimizer.slot.";

    /**
     * @param validation sequences scored by {@link #validate} (null: none)
     */
    public Trainer(Config config, TrainingFrames data, TrainingFrames validation, Weights init) {
        this(config, data, validation, init, null);
    }

    /**
     * @param teacher CADyQ with {@link Config#distillWeight} > 0: the CADyQ network's features are distilled
     *                (attention transfer, {@link Distillation}) towards this one's, a CADyQ file of the fixed-width
     *                teacher (e.g. {@code CadyqInit.fromQwnet} of INT4 QW-Net at 4 bits everywhere), so that both
     *                networks' features are the same kind of tensor; else null
     */
    public Trainer(Config config, TrainingFrames data, TrainingFrames validation, Weights init, Weights teacher) {
        this.config = config;
        if ((config.distillWeight() > 0) != (teacher != null) || (teacher != null && config.cadyq() == null)) {
            throw new IllegalArgumentException("distillation needs a CADyQ run, a weight > 0 and a teacher");
        }
        this.validation = validation;
        int h = config.cropHeight();
        int w = config.cropWidth();
        if (h % 16 != 0 || w % 16 != 0) {
            throw new UserException("--crop: " + w + "x" + h + " is not a multiple of 16 on both axes");
        }
        sampler = new CropSampler(data, config.warmupFrames() + config.frames(), w, h, config.augment(),
                config.seed());
        session = TfSupport.session(graph, config.threads());
        Ops tf = Ops.create(graph);
        boolean cadyq = config.cadyq() != null;
        vars = cadyq ? ModelVariables.create(tf, config.cadyq()) : ModelVariables.create(tf, config.spec());
        boolean quant = config.quantizeBits() > 0 || cadyq;
        NetworkGraph.Mode mode = cadyq ? NetworkGraph.Mode.CADYQ
                : quant ? NetworkGraph.Mode.SIMULATED_QUANT : NetworkGraph.Mode.FP32_TRAIN;
        teacherVars = teacher == null ? null : ModelVariables.create(tf.withSubScope("teacher"), config.cadyq());
        unroll = new Unroll(tf, vars, mode, config.warmupFrames(), config.frames(), config.batch(), h, w,
                config.bitFlatness(), config.centredSelectorGradients(), teacherVars);
        for (CadyqGraph.Centring c : unroll.centrings) {
            centringZero.add(c.zero(tf));
            centringInit.addAll(c.init(tf));
            centringCompensate.add(c.compensate(tf));
            centringSync.add(c.sync(tf));
        }
        NetworkGraph.Mode inference = cadyq ? NetworkGraph.Mode.CADYQ
                : quant ? NetworkGraph.Mode.SIMULATED_QUANT : NetworkGraph.Mode.FP32_INFERENCE;
        if (validation != null) {
            for (TrainingFrames.Sequence q : validation.sequences()) {
                validators.computeIfAbsent(q.width() + "x" + q.height(),
                        k -> new Validator(tf, vars, inference, 1, q.height(), q.width()));
            }
        }
        calibrator = new Validator(tf, vars, NetworkGraph.Mode.FP32_INFERENCE, config.batch(), h, w);
        List<Variable<TFloat32>> trainable = new ArrayList<>();
        List<String> names = vars.trainable(quant);
        float[] lrScale = new float[names.size()];
        Map<Integer, float[]> elementScale = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            trainable.add(vars.get(names.get(i)));
            lrScale[i] = names.get(i).contains(".selector.") ? config.selectorLrScale() : 1f;
            if (cadyq && config.selectorGradientLrScale() != 1f && names.get(i).endsWith(".selector.weight")) {
                elementScale.put(i, gradientColumnScale(vars.get(names.get(i)), config.selectorGradientLrScale()));
            }
        }
        Operand<TFloat32> total = unroll.objective;
        optimizer = config.optimizer().equals("ranger")
                ? new Ranger(tf, graph, total, trainable, Ranger.Config.defaults())
                : new Adam(tf, graph, total, trainable,
                        Adam.Config.defaults().withLearningRate(config.schedule().lr()), lrScale, elementScale);
        vars.load(session, init);
        if (teacherVars != null) {
            teacherVars.load(session, teacher);
        }
        optimizer.reset(session);
    }

    public int step() {
        return step;
    }

    /** Centred selector training: the centring ops, built once; whether the centres were set in this session. */
    private final List<org.tensorflow.op.Op> centringZero = new ArrayList<>();
    private final List<org.tensorflow.op.Op> centringInit = new ArrayList<>();
    private final List<org.tensorflow.op.Op> centringCompensate = new ArrayList<>();
    private final List<org.tensorflow.op.Op> centringSync = new ArrayList<>();
    private boolean centred;

    private static void runTargets(Session session, Map<Operand<?>, Tensor> feeds, List<org.tensorflow.op.Op> ops) {
        if (ops.isEmpty()) {
            return;
        }
        Session.Runner r = session.runner();
        feeds.forEach(r::feed);
        ops.forEach(r::addTarget);
        r.run();
    }

    /**
     * A selector weight [K][F]'s per-element learning-rate scale: {@code gradientScale} on the columns of the
     * {@link CadyqSpec#GRADIENT_FEATURES} gradient means, 1 on the per-channel std columns.
     */
    static float[] gradientColumnScale(Variable<TFloat32> weight, float gradientScale) {
        int k = (int) weight.shape().get(0);
        int f = (int) weight.shape().get(1);
        float[] s = new float[k * f];
        java.util.Arrays.fill(s, 1f);
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < CadyqSpec.GRADIENT_FEATURES; c++) {
                s[r * f + c] = gradientScale;
            }
        }
        return s;
    }

    private boolean bnFrozen(int k) {
        return config.quantizeBits() > 0 || config.cadyq() != null
                || (config.bnFreezeStep() >= 0 && k >= config.bnFreezeStep());
    }

    /** Runs steps until {@code until}, reporting each. */
    public List<StepResult> train(int until, java.util.function.Consumer<StepResult> report) {
        List<StepResult> results = new ArrayList<>();
        while (step < until) {
            long t0 = System.nanoTime();
            if (config.quantizeBits() == 0 && config.cadyq() == null && step == config.bnFreezeStep()) {
                recomputeRunningStatistics();
            }
            Map<Operand<?>, Tensor> feeds = new HashMap<>();
            List<TFloat32> open = new ArrayList<>();
            try {
                feed(sampler.batch(step, config.batch()), feeds, open);
                boolean frozen = bnFrozen(step);
                TFloat32 s = TfSupport.scalar(frozen ? 0f : 1f);
                TFloat32 mom = TfSupport.scalar(config.bnMomentum());
                open.add(s);
                open.add(mom);
                feeds.put(unroll.bnBatchWeight, s);
                feeds.put(unroll.bnMomentum, mom);
                List<Operand<TFloat32>> fetched = new ArrayList<>(List.of(unroll.loss.spatial(),
                        unroll.loss.temporal()));
                if (unroll.avgBits != null) {
                    TFloat32 wb = TfSupport.scalar(config.bitWeightAt(step));
                    open.add(wb);
                    feeds.put(unroll.bitWeight, wb);
                    fetched.add(unroll.avgBits);
                }
                if (unroll.distill != null) {
                    TFloat32 wd = TfSupport.scalar(config.distillWeight());
                    open.add(wd);
                    feeds.put(unroll.distillWeight, wd);
                    fetched.add(unroll.distill);
                }
                float lr = config.schedule().at(step);
                if (!centringInit.isEmpty() && !centred) {
                    // centres from this first batch (also after a resume: they steer the steps, not the model)
                    runTargets(session, Map.of(), centringZero);
                    runTargets(session, feeds, centringInit);
                    centred = true;
                }
                float[] v = optimizer.step(session, feeds, frozen ? List.of() : unroll.statUpdates, lr, fetched);
                if (centred) {
                    runTargets(session, Map.of(), centringCompensate);
                    runTargets(session, Map.of(), centringSync);
                }
                StepResult r = new StepResult(step, v[0], v[1], v[2], lr, (System.nanoTime() - t0) / 1e9,
                        unroll.avgBits != null ? v[3] : Float.NaN,
                        unroll.distill != null ? v[v.length - 1] : Float.NaN);
                results.add(r);
                report.accept(r);
            } finally {
                open.forEach(TFloat32::close);
            }
            step++;
        }
        return results;
    }

    /**
     * Sets the BN running statistics to the plain mean of the batch statistics over {@link #STAT_BATCHES} batches
     * (drawn apart from the training batches) with the current weights: what inference will use from here on.
     */
    public void recomputeRunningStatistics() {
        if (unroll.statUpdates.isEmpty()) {
            return;
        }
        for (int k = 0; k < STAT_BATCHES; k++) {
            Map<Operand<?>, Tensor> feeds = new HashMap<>();
            List<TFloat32> open = new ArrayList<>();
            try {
                feed(sampler.batch(-1 - k, config.batch()), feeds, open);
                TFloat32 mom = TfSupport.scalar(k / (k + 1f));
                open.add(mom);
                feeds.put(unroll.bnMomentum, mom);
                Session.Runner r = session.runner();
                feeds.forEach(r::feed);
                unroll.statUpdates.forEach(r::addTarget);
                r.run();
            } finally {
                open.forEach(TFloat32::close);
            }
        }
    }

    /**
     * The training loss on {@code batches} fixed batches (drawn apart from the training batches) with BN as training
     * computes it (batch statistics) and as inference does (running statistics): {@code {train, inference}}.
     */
    public double[] bnGap(int batches) {
        double[] sum = new double[2];
        for (int k = 0; k < batches; k++) {
            for (int mode = 0; mode < 2; mode++) {
                Map<Operand<?>, Tensor> feeds = new HashMap<>();
                List<TFloat32> open = new ArrayList<>();
                try {
                    feed(sampler.batch(-1000 - k, config.batch()), feeds, open);
                    TFloat32 s = TfSupport.scalar(mode == 0 ? 1f : 0f);
                    open.add(s);
                    feeds.put(unroll.bnBatchWeight, s);
                    Session.Runner r = session.runner();
                    feeds.forEach(r::feed);
                    r.fetch(unroll.loss.total());
                    try (var result = r.run()) {
                        sum[mode] += TfSupport.floats((TFloat32) result.get(0))[0];
                    }
                } finally {
                    open.forEach(TFloat32::close);
                }
            }
        }
        return new double[] {sum[0] / batches, sum[1] / batches};
    }

    /** Per validation sequence, the per-frame PSNR of a rollout over all its frames (empty without validation). */
    public Map<String, double[]> validate() {
        Map<String, double[]> out = new LinkedHashMap<>();
        if (validation == null) {
            return out;
        }
        for (TrainingFrames.Sequence q : validation.sequences()) {
            out.put(q.name(), validators.get(q.width() + "x" + q.height()).psnr(session, q));
        }
        return out;
    }

    /** The mean over sequences of each rollout's mean PSNR after its warm-up frames. */
    public static double meanPsnr(Map<String, double[]> perSequence) {
        double s = 0;
        for (double[] v : perSequence.values()) {
            s += Validator.mean(v);
        }
        return s / perSequence.size();
    }

    /**
     * The FP32 outputs of the named layers at the last frame of {@code batches} training windows (a rollout through
     * each window as inference runs it), for threshold calibration: per layer, all values in one array.
     */
    public Map<String, float[]> activations(List<String> layers, int batches) {
        Map<String, List<float[]>> parts = new LinkedHashMap<>();
        layers.forEach(l -> parts.put(l, new ArrayList<>()));
        int n = config.warmupFrames() + config.frames();
        for (int k = 0; k < batches; k++) {
            CropSampler.Batch b = sampler.batch(-2000 - k, config.batch());
            boolean[] cut = new boolean[n];
            calibrator.rollout(session, b.color(), b.motion(), cut, layers, (t, o, extra) -> {
                if (t == n - 1) {
                    for (int i = 0; i < layers.size(); i++) {
                        parts.get(layers.get(i)).add(extra.get(i));
                    }
                }
            });
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        parts.forEach((l, list) -> out.put(l, ThresholdCalibration.concat(list)));
        return out;
    }

    private void feed(CropSampler.Batch b, Map<Operand<?>, Tensor> feeds, List<TFloat32> open) {
        int n = config.batch();
        int h = config.cropHeight();
        int w = config.cropWidth();
        for (int t = 0; t < unroll.colors.size(); t++) {
            TFloat32 c = TfSupport.tensor(b.color()[t], n, h, w, 3);
            TFloat32 m = TfSupport.tensor(b.motion()[t], n, h, w, 2);
            open.add(c);
            open.add(m);
            feeds.put(unroll.colors.get(t), c);
            feeds.put(unroll.motions.get(t), m);
            if (t >= unroll.warmup) {
                TFloat32 r = TfSupport.tensor(b.reference()[t], n, h, w, 3);
                open.add(r);
                feeds.put(unroll.references.get(t - unroll.warmup), r);
            }
        }
    }

    /** The current weights with metadata. */
    public Weights weights(Map<String, String> metadata) {
        return vars.read(session, metadata, "training");
    }

    /** Replaces the variables' values (e.g. calibrated thresholds). */
    public void load(Weights w) {
        vars.load(session, w);
    }

    /** Saves variables, the optimiser's state and the step (atomically, safetensors). */
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

    /** Restores a {@link #checkpoint}: variables, the optimiser's state and the step; returns its metadata. */
    public Map<String, String> resume(Path file) {
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
        return meta;
    }

    /** Appends steps to the CSV log (header written when the file is new). */
    public static void log(Path csv, List<StepResult> rows) {
        StringBuilder sb = new StringBuilder();
        boolean bits = !rows.isEmpty() && Float.isFinite(rows.get(0).bits());
        try {
            if (Files.exists(csv)) {
                sb.append(Files.readString(csv));
            } else {
                sb.append("step,loss,spatial,temporal,lr,seconds").append(bits ? ",avg_bits" : "").append('\n');
            }
        } catch (java.io.IOException e) {
            throw new UserException(csv + ": cannot read (" + e.getMessage() + ")");
        }
        for (StepResult r : rows) {
            sb.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.3g,%.3f", r.step(), r.loss(), r.spatial(),
                    r.temporal(), r.lr(), r.seconds()));
            sb.append(bits ? String.format(Locale.ROOT, ",%.4f%n", r.bits()) : String.format(Locale.ROOT, "%n"));
        }
        TextFiles.writeAtomic(csv, sb.toString());
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
