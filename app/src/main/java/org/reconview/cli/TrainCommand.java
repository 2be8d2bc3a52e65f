package org.reconview.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reconview.UserException;
import org.reconview.io.SequenceFolder;
import org.reconview.nn.CadyqInit;
import org.reconview.nn.CadyqSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Weights;
import org.reconview.scene.Scene;
import org.reconview.scene.builtin.BuiltinScenes;
import org.reconview.train.BestCheckpoint;
import org.reconview.train.DatasetWriter;
import org.reconview.train.FilterInit;
import org.reconview.train.LearningRateSchedule;
import org.reconview.train.LossPlot;
import org.reconview.train.ThresholdCalibration;
import org.reconview.train.Trainer;
import org.reconview.train.TrainingFrames;
import org.reconview.train.ValidationLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train",
        description = {"Train a network with TensorFlow on crops cut on the fly from the whole frames of --data "
            + "(dataset or sequence folders), augmented (flips and transposes with the motion transformed, channel "
            + "permutations, exposure): per step, --warmup-frames forward-only frames then --frames frames through "
            + "which L = 0.3 L_s + 0.7 L_t is back-propagated; learning rate with warm-up and cosine decay; BN "
            + "statistics recomputed and frozen at --bn-freeze. --val sequences are scored every --val-every steps "
            + "by a rollout over all their frames (eval's PSNR); FILE keeps the best-scoring weights. --quantize 4 "
            + "fine-tunes with simulated quantization from --init FP32 weights, thresholds calibrated first.",
            "Writes FILE, FILE.ckpt.safetensors (continue with --resume), FILE.log.csv, FILE.loss.png, "
                + "FILE.val.csv, FILE.val-frames.csv and FILE.val.png.",
            "--seed here seeds training's random numbers (initialisation, crops, augmentation), not a scene layout: "
                + "the data is rendered already."})
final class TrainCommand implements Callable<Integer> {
    /** {@code --resume} without a value: the checkpoint beside {@code --out}. */
    static final String RESUME_BESIDE_OUT = "FILE.ckpt.safetensors";

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "<VARIANT>",
            completionCandidates = TypedOptions.Variants.class,
            description = "${COMPLETION-CANDIDATES} (or unet-B-S / qwnet-B-S: base width B, step S)")
    NetworkSpec model;

    @Option(names = "--data", required = true, paramLabel = "<DIR>",
            description = "training data: dataset folders (their sequences/) or sequence folders; repeatable")
    List<Path> data;

    @Option(names = "--val", paramLabel = "<DIR>",
            description = "validation sequences (dataset or sequence folders, never the held-out scene); repeatable")
    List<Path> val;

    @Option(names = "--out", required = true, paramLabel = "<FILE>",
            description = "weights file to write (.safetensors)")
    Path out;

    @Option(names = "--quantize", defaultValue = "0", paramLabel = "<BITS>",
            description = "simulated quantization bits: 0 (FP32) or 4 (default: ${DEFAULT-VALUE})")
    int quantize;

    @Option(names = "--cadyq", split = ",", paramLabel = "<B,...>",
            description = "train CADyQ on QW-Net (Hong et al. 2022) with these candidate activation widths, e.g. "
                    + "2,4,8: a bit selector per tile and 4-bit conv, straight-through, with a bit loss; --init is "
                    + "the trained INT4 QW-Net (every tile starts at 4 bits) or a CADyQ file; implies --quantize 4 "
                    + "weights, thresholds are not recalibrated")
    List<Integer> cadyq;

    @Option(names = "--cadyq-tile", defaultValue = "32", paramLabel = "<PX>",
            description = "with --cadyq: tile side at full resolution, a power of two of at least 32 (2x2 pixels "
                    + "at the bottleneck; default: ${DEFAULT-VALUE})")
    int cadyqTile;

    @Option(names = "--bit-weight", defaultValue = "0.002", paramLabel = "<W>",
            description = "with --cadyq: weight w_bit of the bit loss (the MAC-weighted average bits of the "
                    + "batch) added to the reconstruction loss (default: ${DEFAULT-VALUE})")
    float bitWeight;

    @Option(names = "--bit-ramp", defaultValue = "0.5", paramLabel = "<F>",
            description = "with --cadyq: fraction of --steps over which w_bit grows linearly from 0; only "
                    + "validations from there on may become the shipped weights (default: ${DEFAULT-VALUE})")
    double bitRamp;

    @Option(names = "--selector-lr", defaultValue = "100", paramLabel = "<X>",
            description = "with --cadyq: the selectors' learning rate as a multiple of --lr (their logits must move "
                    + "by units, the weights by thousandths; default: ${DEFAULT-VALUE})")
    float selectorLr;

    @Option(names = "--selector-gradient-lr", defaultValue = "1", paramLabel = "<X>",
            description = "with --cadyq: a further learning-rate multiple for the selector weights of the two tile "
                    + "gradient features (on [0, 1] images they are tens of times smaller than the per-channel std "
                    + "features, so at one rate they hardly move a logit; CADyQ's code sees 0-255 images; default: "
                    + "${DEFAULT-VALUE})")
    float selectorGradientLr;

    @Option(names = "--bit-flatness", defaultValue = "0", paramLabel = "<G>",
            description = "with --cadyq: weight each tile's bits in the bit loss by (mean gradient / (tile gradient + "
                    + "0.25 mean))^G, normalised to mean 1, so a bit costs more in flat tiles than at edges (0: CADyQ's "
                    + "plain average; default: ${DEFAULT-VALUE})")
    float bitFlatness;

    @Option(names = "--selector-centred", description = "with --cadyq: the selectors' weights learn from centred "
            + "features (the logits' value unchanged; their gradient to the weights at f minus the batch mean): with "
            + "all-positive features and Adam, the plain gradient lets the bit loss take bits first from textured "
            + "tiles")
    boolean selectorCentred;

    @Option(names = "--distill", defaultValue = "0", paramLabel = "<W>",
            description = "with --cadyq: add W x attention-transfer distillation (the selected convs' outputs against "
                    + "the fixed-width teacher's on the same inputs, CADyQ's form; 0: none; default: ${DEFAULT-VALUE})")
    float distill;

    @Option(names = "--distill-from", paramLabel = "<FILE>", description = "with --distill: the teacher, an INT4 "
            + "QW-Net weights file (default: --init, when that is one)")
    Path distillFrom;

    @Option(names = "--steps", defaultValue = "1000", paramLabel = "<N>",
            description = "training steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--batch", defaultValue = "4", paramLabel = "<N>",
            description = "crops per step (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--crop", defaultValue = "64x64", paramLabel = "<WxH>",
            description = "crop size, multiples of 16 (default: ${DEFAULT-VALUE})")
    Size crop;

    @Option(names = "--frames", defaultValue = "4", paramLabel = "<N>",
            description = "frames per window that carry gradient (N_t; default: ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--warmup-frames", defaultValue = "4", paramLabel = "<N>",
            description = "forward-only frames before them, so the history is settled (default: ${DEFAULT-VALUE})")
    int warmupFrames;

    @Option(names = "--no-augment", description = "no flips, transposes, channel permutations or exposure changes")
    boolean noAugment;

    @Option(names = "--lr", defaultValue = "0.0005", paramLabel = "<RATE>",
            description = "peak learning rate (paper: 0.0005; default: ${DEFAULT-VALUE})")
    float lr;

    @Option(names = "--lr-warmup", defaultValue = "100", paramLabel = "<N>",
            description = "steps of linear learning-rate warm-up (default: ${DEFAULT-VALUE})")
    int lrWarmup;

    @Option(names = "--lr-final", defaultValue = "0.05", paramLabel = "<F>",
            description = "final learning rate as a fraction of --lr, reached by cosine decay (1: constant; "
                    + "default: ${DEFAULT-VALUE})")
    float lrFinal;

    @Option(names = "--bn-momentum", defaultValue = "0.99", paramLabel = "<F>",
            description = "BN running-statistics momentum (default: ${DEFAULT-VALUE})")
    float bnMomentum;

    @Option(names = "--bn-freeze", defaultValue = "0.75", paramLabel = "<F>",
            description = "fraction of --steps after which BN statistics are recomputed and frozen, so training "
                    + "uses what inference uses (0: from the start; 1: never; default: ${DEFAULT-VALUE})")
    double bnFreeze;

    @Option(names = "--calibrate", defaultValue = "99.9", paramLabel = "<PCT>",
            description = "with --quantize: set activation thresholds to this percentile (and 100 minus it) of "
                    + "the FP32 activations before fine-tuning (0: keep --init's; default: ${DEFAULT-VALUE})")
    double calibrate;

    @Option(names = "--filter-init", defaultValue = "taa", paramLabel = "<INIT>",
            converter = FilterInitConverter.class,
            description = "QW-Net kernel predictions at the start: taa (near a TAA-like blend) or random "
                    + "(default: ${DEFAULT-VALUE})")
    String filterInit;

    @Option(names = "--val-every", defaultValue = "200", paramLabel = "<N>",
            description = "steps between validations (default: ${DEFAULT-VALUE})")
    int valEvery;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "<NAME>", converter = OptimizerConverter.class,
            description = "adam, or ranger (RAdam + Lookahead, the paper's choice) (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "<N>",
            description = "seed of initialisation, crops and augmentation (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "<N>",
            description = "TensorFlow CPU threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--init", paramLabel = "<FILE>", description = "initial weights (e.g. FP32 weights for "
            + "--quantize 4)")
    Path init;

    @Option(names = "--resume", paramLabel = "<CKPT>", arity = "0..1", fallbackValue = RESUME_BESIDE_OUT,
            description = "continue from a checkpoint; without a value, the one beside --out "
                    + "(FILE.ckpt.safetensors)")
    String resume;

    @Option(names = "--until", paramLabel = "<STEP>", description = "stop at this step, as an interrupted run would "
            + "(continue with --resume and the same --steps, whose schedule it keeps)")
    Integer until;

    @Option(names = "--checkpoint-every", defaultValue = "50", paramLabel = "<N>",
            description = "steps between checkpoints (default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--quick", description = "a seconds-long configuration for tests: 3 steps, batch 1, 16x16 crops, "
            + "1 warm-up and 2 loss frames")
    boolean quick;

    /** Parse-time check of {@code --filter-init}. */
    static final class FilterInitConverter implements picocli.CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return TypedOptions.oneOf(value, "taa", "random");
        }
    }

    /** Parse-time check of {@code --optimizer}. */
    static final class OptimizerConverter implements picocli.CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return TypedOptions.oneOf(value, "adam", "ranger");
        }
    }

    @Override
    public Integer call() {
        if (quick) {
            steps = Math.min(steps, 3);
            batch = 1;
            crop = new Size(16, 16);
            frames = 2;
            warmupFrames = 1;
            lrWarmup = 1;
        }
        Options.positive("--steps", steps);
        Options.positive("--batch", batch);
        Options.positive("--threads", threads);
        Options.positive("--checkpoint-every", checkpointEvery);
        Options.positive("--val-every", valEvery);
        Options.positive("--frames", frames);
        Options.atLeast("--warmup-frames", warmupFrames, 0);
        Options.atLeast("--lr-warmup", lrWarmup, 0);
        Size cropSize = crop;
        if (cropSize.width() % 16 != 0 || cropSize.height() % 16 != 0) {
            throw new UserException("--crop: " + cropSize + " is not a multiple of 16 on both axes");
        }
        int stopAt = until == null ? steps : until;
        if (until != null && (until < 1 || until > steps)) {
            throw new UserException("--until: " + until + " must lie in [1, --steps]");
        }
        if (quantize != 0 && quantize != 4) {
            throw new UserException("--quantize: " + quantize + " (0 for FP32 or 4)");
        }
        if (cadyq == null && (distill != 0 || distillFrom != null)) {
            throw new UserException("--distill: distillation is for --cadyq training");
        }
        CadyqSpec cadyqSpec = null;
        if (cadyq != null) {
            if (model.kind() != NetworkSpec.Kind.QWNET) {
                throw new UserException("--cadyq: CADyQ is for QW-Net, not " + model.variant());
            }
            if (init == null) {
                throw new UserException("--cadyq: needs --init (the trained INT4 QW-Net, or a CADyQ file)");
            }
            if (optimizer.equals("ranger")) {
                throw new UserException("--cadyq: trains with adam (the selectors' learning rate is scaled per "
                        + "variable, which the Ranger here does not do)");
            }
            if (!(bitFlatness >= 0)) {
                throw new UserException("--bit-flatness must be >= 0");
            }
            if (!(distill >= 0)) {
                throw new UserException("--distill must be >= 0");
            }
            if (!(bitWeight >= 0) || !(bitRamp >= 0 && bitRamp <= 1) || !(selectorLr > 0)
                    || !(selectorGradientLr > 0)) {
                throw new UserException("--bit-weight must be >= 0, --bit-ramp in [0, 1], --selector-lr and "
                        + "--selector-gradient-lr > 0");
            }
            try {
                cadyqSpec = CadyqSpec.of(model, cadyq, cadyqTile);
            } catch (IllegalArgumentException e) {
                throw new UserException("--cadyq: " + e.getMessage());
            }
            if (crop.width() % cadyqTile != 0 || crop.height() % cadyqTile != 0) {
                throw new UserException("--crop: " + crop + " is not a whole number of --cadyq-tile " + cadyqTile
                        + " tiles");
            }
            quantize = 4;
            calibrate = 0;
        }
        if (!(lr > 0)) {
            throw new UserException("--lr: " + lr + " must be > 0");
        }
        if (!(lrFinal >= 0 && lrFinal <= 1)) {
            throw new UserException("--lr-final: " + lrFinal + " must lie in [0, 1]");
        }
        if (!(bnMomentum >= 0 && bnMomentum < 1)) {
            throw new UserException("--bn-momentum: " + bnMomentum + " must lie in [0, 1)");
        }
        if (!(bnFreeze >= 0 && bnFreeze <= 1)) {
            throw new UserException("--bn-freeze: " + bnFreeze + " must lie in [0, 1]");
        }
        if (!(calibrate == 0 || (calibrate > 50 && calibrate <= 100))) {
            throw new UserException("--calibrate: " + calibrate + " must be 0 or a percentile in (50, 100]");
        }
        NetworkSpec netSpec = model;
        Path resumeFrom = resume == null ? null
                : resume.equals(RESUME_BESIDE_OUT) ? Path.of(out + ".ckpt.safetensors") : Path.of(resume);
        if (resume != null && resume.isBlank()) {
            throw new UserException("--resume: empty path");
        }
        if (resumeFrom != null && !Files.isRegularFile(resumeFrom)) {
            throw new UserException("--resume: " + resumeFrom + ": not found");
        }
        if (quantize > 0 && netSpec.kind() != NetworkSpec.Kind.QWNET) {
            throw new UserException("--quantize: only QW-Net has a quantized feature extractor");
        }
        java.io.PrintWriter stdout = spec.commandLine().getOut();
        java.io.PrintWriter stderr = spec.commandLine().getErr();
        refuseHeldBackScenes(data);
        TrainingFrames frameData = TrainingFrames.load(data, line -> { });
        TrainingFrames valData = val == null || val.isEmpty() ? null : TrainingFrames.load(val, line -> { });
        stdout.println("train: data " + frameData.describe() + (valData == null ? "; no validation"
                : "; validation " + valData.describe()));
        Weights initial;
        Weights teacher = null;
        if (cadyqSpec != null) {
            Weights given = Weights.read(init);
            if (distill > 0) {
                Path from = distillFrom != null ? distillFrom : init;
                Weights t = from.equals(init) ? given : Weights.read(from);
                if (CadyqSpec.isCadyq(t.metadata())) {
                    throw new UserException(from + ": a CADyQ file; --distill-from needs the INT4 QW-Net teacher");
                }
                t.validate(netSpec);
                if (!cadyqSpec.candidates().contains(4)) {
                    throw new UserException("--distill: the INT4 teacher needs 4 among the candidates");
                }
                teacher = CadyqInit.fromQwnet(t, cadyqSpec, 4);   // the same kind of features as the student's
            }
            if (CadyqSpec.isCadyq(given.metadata())) {
                given.validate(cadyqSpec);
                initial = given;
            } else {
                given.validate(netSpec);
                if (!cadyqSpec.candidates().contains(4)) {
                    throw new UserException("--cadyq: starting from QW-Net INT4 needs 4 among the candidates");
                }
                initial = CadyqInit.fromQwnet(given, cadyqSpec, 4);
            }
        } else if (init != null) {
            initial = Weights.load(init, netSpec);
        } else {
            initial = Weights.random(netSpec, seed);
            if (filterInit.equals("taa")) {
                initial = FilterInit.taaLike(initial, netSpec);
            }
        }
        Path ckpt = Path.of(out + ".ckpt.safetensors");
        Path log = Path.of(out + ".log.csv");
        ValidationLog valLog = new ValidationLog(Path.of(out + ".val.csv"), Path.of(out + ".val-frames.csv"));
        Map<String, String> meta = metadata(netSpec, frameData, valData, cropSize);
        int rampSteps = cadyqSpec == null ? 0 : (int) Math.round(bitRamp * steps);
        if (cadyqSpec != null) {
            meta.putAll(cadyqSpec.metadata());
            meta.put("trained_precision", "cadyq");
            meta.put("thresholds", "per width, from " + init + ", then trained (simulated quantization)");
            meta.put("cadyq_training", String.format(Locale.ROOT, "straight-through selectors (hard forward, "
                    + "softmax backward), loss + w_bit x MAC-weighted average bits, w_bit %s ramped from 0 over %d"
                    + " steps%s, selector lr x%s (gradient features x%s more), shipped: best validation from step %d on",
                    bitWeight, rampSteps, bitFlatness == 0 ? "" : String.format(Locale.ROOT,
                            ", each tile's bits weighted by its flatness (exponent %s)", bitFlatness)
                            + (selectorCentred ? ", selector weights learn from centred features" : ""),
                    selectorLr, selectorGradientLr, rampSteps)
                    + (distill > 0 ? String.format(Locale.ROOT, ", attention-transfer distillation x%s from %s",
                            distill,
                            distillFrom != null ? distillFrom : init) : ""));
            if (initial.metadata().containsKey("cadyq_init")) {
                meta.put("cadyq_init", initial.metadata().get("cadyq_init"));
            }
        }
        int freezeStep = quantize > 0 || bnFreeze >= 1 ? -1 : (int) Math.round(bnFreeze * steps);
        LearningRateSchedule schedule = new LearningRateSchedule(lr, Math.min(lrWarmup, steps), steps, lrFinal);
        long start = System.nanoTime();
        try (Trainer trainer = new Trainer(new Trainer.Config(netSpec, quantize, batch, schedule, seed, threads,
                bnMomentum, freezeStep, optimizer, warmupFrames, frames, cropSize.width(), cropSize.height(),
                !noAugment, cadyqSpec, bitWeight, rampSteps, selectorLr, selectorGradientLr, bitFlatness, selectorCentred,
                distill), frameData,
                valData, initial, teacher)) {
            this.selectFrom = rampSteps;
            BestCheckpoint best = BestCheckpoint.empty(w -> w.write(out));
            double previousSeconds = 0;
            if (resumeFrom != null) {
                Map<String, String> m = trainer.resume(resumeFrom);
                if (m.containsKey("best_val_psnr")) {
                    best = new BestCheckpoint(Double.parseDouble(m.get("best_val_psnr")),
                            Integer.parseInt(m.get("best_step")), w -> w.write(out));
                }
                previousSeconds = Double.parseDouble(m.getOrDefault("wall_seconds", "0"));
                if (m.containsKey("thresholds")) {
                    meta.put("thresholds", m.get("thresholds"));
                }
                stdout.println("resumed at step " + trainer.step() + " from " + resumeFrom);
            } else {
                try {
                    Files.deleteIfExists(log);
                    valLog.clear();
                } catch (java.io.IOException e) {
                    throw new UserException(log + ": cannot remove (" + e.getMessage() + ")");
                }
                if (quantize > 0 && calibrate > 0) {
                    var layers = ThresholdCalibration.quantizedLayers(netSpec).values().stream()
                            .flatMap(List::stream).toList();
                    Weights calibrated = ThresholdCalibration.apply(trainer.weights(initial.metadata()), netSpec,
                            trainer.activations(layers, 4), 1 - calibrate / 100, calibrate / 100);
                    trainer.load(calibrated);
                    meta.put("thresholds", calibrated.metadata().get("thresholds") + ", then trained (simulated"
                            + " quantization)");
                    stderr.println("train: " + calibrated.metadata().get("thresholds"));
                }
                if (valData != null) {
                    validate(trainer, best, valLog, meta, stderr);
                }
            }
            ProgressBar bar = new ProgressBar(stderr, "train " + netSpec.variant()
                    + (cadyqSpec != null ? " cadyq" : quantize > 0 ? " int" + quantize : ""), steps, "steps");
            List<Trainer.StepResult> pending = new ArrayList<>();
            float[] last = {Float.NaN};
            while (trainer.step() < stopAt) {
                int chunk = Math.min(stopAt, (trainer.step() / checkpointEvery + 1) * checkpointEvery);
                if (valData != null) {
                    chunk = Math.min(chunk, (trainer.step() / valEvery + 1) * valEvery);
                }
                pending.addAll(trainer.train(chunk, r -> {
                    last[0] = r.loss();
                    bar.update(r.step() + 1, String.format(Locale.ROOT, "loss %.5f (L_s %.5f, L_t %.5f) lr %.2g%s",
                            r.loss(), r.spatial(), r.temporal(), r.lr(), (Float.isFinite(r.bits())
                                    ? String.format(Locale.ROOT, " bits %.2f", r.bits()) : "")
                                    + (Float.isFinite(r.distill())
                                    ? String.format(Locale.ROOT, " AT %.2e", r.distill()) : "")));
                }));
                Trainer.log(log, pending);
                pending.clear();
                if (valData != null && (trainer.step() % valEvery == 0 || trainer.step() == steps)) {
                    validate(trainer, best, valLog, meta, stderr);
                }
                meta.put("wall_seconds", String.format(Locale.ROOT, "%.1f",
                        previousSeconds + (System.nanoTime() - start) / 1e9));
                if (best.bestStep() >= 0) {
                    meta.put("best_val_psnr", String.format(Locale.ROOT, "%.4f", best.best()));
                    meta.put("best_step", Integer.toString(best.bestStep()));
                }
                trainer.checkpoint(ckpt, meta);
            }
            double seconds = previousSeconds + (System.nanoTime() - start) / 1e9;
            meta.put("steps", Integer.toString(trainer.step()));
            meta.put("final_loss", String.format(Locale.ROOT, "%.6f", last[0]));
            meta.put("wall_seconds", String.format(Locale.ROOT, "%.1f", seconds));
            // the curves so far, also for a run stopped by --until (its weights are kept; the curves were missing)
            LossPlot.write(log, Path.of(out + ".loss.png"), "training " + netSpec.variant()
                    + " (" + precisionLabel() + ")");
            if (valData != null) {
                valLog.plot(Path.of(out + ".val.png"), "validation " + netSpec.variant(), best.bestStep());
            }
            if (trainer.step() < steps) {
                stdout.println("stopped at step " + trainer.step() + " of " + steps + " (--until); continue with"
                        + " --resume " + ckpt);
                return 0;
            }
            if (valData == null || best.bestStep() < 0) {
                trainer.weights(meta).write(out);
            }
            stdout.println(String.format(Locale.ROOT, "wrote %s (%s, %d steps, %.1f s%s); log %s; checkpoint %s",
                    out, netSpec.variant() + " " + precisionLabel(), trainer.step(),
                    seconds, best.bestStep() >= 0 ? String.format(Locale.ROOT,
                            ", best validation %.3f dB at step %d", best.best(), best.bestStep()) : "", log, ckpt));
        }
        return 0;
    }

    /** First step whose validation may become the shipped weights (CADyQ: once the bit loss is at full weight). */
    private int selectFrom;

    /** Scores the validation rollouts, logs them and the BN gap, and keeps the weights if they are the best. */
    /** "fp32", "simulated int4" or "simulated CADyQ 2/4/8" (CADyQ runs with quantize = 4 for its fixed-width layers). */
    private String precisionLabel() {
        if (cadyq != null) {
            return "simulated CADyQ " + String.join("/", cadyq.stream().map(String::valueOf).toList());
        }
        return quantize > 0 ? "simulated int" + quantize : "fp32";
    }

    private void validate(Trainer trainer, BestCheckpoint best, ValidationLog valLog, Map<String, String> meta,
            java.io.PrintWriter stderr) {
        Map<String, double[]> v = trainer.validate();
        double mean = Trainer.meanPsnr(v);
        double[] gap = quantize > 0 ? new double[] {Double.NaN, Double.NaN} : trainer.bnGap(2);
        valLog.append(trainer.step(), mean, gap, v);
        int step = trainer.step();
        boolean kept = step >= selectFrom && best.offer(step, mean, () -> {
            Map<String, String> m = new LinkedHashMap<>(meta);
            m.put("steps", Integer.toString(step));
            m.put("val_psnr", String.format(Locale.ROOT, "%.4f", mean));
            // these weights are the best so far (the checkpoint's record of the earlier best does not apply)
            m.put("best_val_psnr", String.format(Locale.ROOT, "%.4f", mean));
            m.put("best_step", Integer.toString(step));
            return trainer.weights(m);
        });
        stderr.println(String.format(Locale.ROOT, "%ntrain: step %d validation %.3f dB%s%s", step, mean,
                quantize > 0 ? "" : String.format(Locale.ROOT, " (BN gap: loss %.5f train-mode, %.5f inference)",
                        gap[0], gap[1]), kept ? " (best so far: written to " + out + ")" : ""));
    }

    /**
     * Training data never holds a built-in scene kept back from training: the held-out one, or the validation-only one
     * (choices are made on it, so it must stay unseen by the weights).
     */
    static void refuseHeldBackScenes(List<Path> dirs) {
        for (Path dir : TrainingFrames.sequenceFolders(dirs)) {
            String scene = SequenceFolder.open(dir).info().scene;
            BuiltinScenes.all().stream().filter(e -> e.name().equals(scene) && e.role() != Scene.Role.TRAINING)
                    .findFirst().ifPresent(e -> {
                        throw new UserException("--data: " + dir + " holds scene '" + scene + "', which is "
                                + (e.heldOut() ? "the held-out evaluation scene" : "kept for validation only (give"
                                + " it as --val)"));
                    });
        }
    }

    private Map<String, String> metadata(NetworkSpec netSpec, TrainingFrames frameData, TrainingFrames valData,
            Size cropSize) {
        Map<String, String> meta = new LinkedHashMap<>(netSpec.metadata());
        meta.put("format", Weights.FORMAT);
        meta.put("training_data", String.join(", ", data.stream().map(p -> p.toString()).toList()) + " ("
                + frameData.describe() + ")");
        meta.put("validation_data", valData == null ? "none" : String.join(", ", val.stream().map(Path::toString)
                .toList()) + " (" + valData.describe() + ")");
        meta.put("training", String.format(Locale.ROOT, "batch %d, crops %s, %d warm-up + %d loss frames, %s,"
                + " lr %s (warm-up %d steps, cosine to x%s), BN momentum %s, BN frozen at step %s, seed %d, %s,"
                + " loss 0.3 L_s + 0.7 L_t, %s", batch, cropSize, warmupFrames, frames,
                noAugment ? "no augmentation" : "augmented", lr, lrWarmup, lrFinal, bnMomentum,
                quantize > 0 ? "0 (folded)" : bnFreeze >= 1 ? "never" : Long.toString(Math.round(bnFreeze * steps)),
                seed, quantize > 0 ? precisionLabel() + " (BN frozen, thresholds trained)" : "fp32",
                optimizer));
        meta.put("thresholds", quantize > 0 ? "trained (simulated quantization)" : "initial (ln 1, ln 3)");
        meta.put("trained_precision", quantize > 0 ? "int" + quantize : "fp32");
        meta.put("init", init != null ? init.toString() : "He-uniform, seed " + seed
                + (filterInit.equals("taa") && netSpec.kind() == NetworkSpec.Kind.QWNET
                        ? "; kernel predictions near a TAA-like blend" : ""));
        meta.put("commit", org.reconview.ProjectPaths.commit());
        return meta;
    }
}
