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
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Weights;
import org.reconview.train.DatasetReader;
import org.reconview.train.DatasetWriter;
import org.reconview.train.LossPlot;
import org.reconview.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a network on a dataset (see 'dataset') with TensorFlow: the paper's recurrent unrolling",
            "over each block, L = 0.3 L_s + 0.7 L_t, Adam. --quantize 4 fine-tunes with simulated quantization (BN",
            "frozen, thresholds trained), usually from --init FP32 weights. Writes FILE (safetensors, with metadata),",
            "FILE.ckpt.safetensors every --checkpoint-every steps (resume with --resume), FILE.log.csv and its plot",
            "FILE.loss.png."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "qwnet or unet (or qwnet-r)")
    String model;

    @Option(names = "--data", required = true, description = "dataset folder")
    Path data;

    @Option(names = "--out", required = true, description = "weights file to write (.safetensors)")
    Path out;

    @Option(names = "--quantize", defaultValue = "0", description = "simulated quantization bits: 0 (FP32) or 4")
    int quantize;

    @Option(names = "--steps", defaultValue = "1000", description = "training steps (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--batch", defaultValue = "4", description = "blocks per step (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr", defaultValue = "0.0005", description = "learning rate (paper: 0.0005)")
    float lr;

    @Option(names = "--optimizer", defaultValue = "adam",
            description = "adam, or ranger (RAdam + Lookahead, the paper's choice) (default ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--seed", defaultValue = "0", description = "initialisation and batch order seed")
    long seed;

    @Option(names = "--threads", defaultValue = "2", description = "TensorFlow CPU threads (default 2)")
    int threads;

    @Option(names = "--init", description = "initial weights (e.g. FP32 weights for --quantize 4)")
    Path init;

    @Option(names = "--resume", description = "a checkpoint (FILE.ckpt.safetensors) to continue from")
    Path resume;

    @Option(names = "--checkpoint-every", defaultValue = "50", description = "steps between checkpoints")
    int checkpointEvery;

    @Option(names = "--quick", description = "a seconds-long configuration for tests: 3 steps, batch 1")
    boolean quick;

    @Override
    public Integer call() {
        if (quick) {
            steps = Math.min(steps, 3);
            batch = 1;
        }
        Options.positive("--steps", steps);
        Options.positive("--batch", batch);
        Options.positive("--threads", threads);
        Options.positive("--checkpoint-every", checkpointEvery);
        if (quantize != 0 && quantize != 4) {
            throw new UserException("--quantize: " + quantize + " (0 for FP32 or 4)");
        }
        NetworkSpec netSpec;
        try {
            netSpec = NetworkSpec.byVariant(model);
        } catch (IllegalArgumentException e) {
            throw new UserException("--model: " + e.getMessage());
        }
        if (quantize > 0 && netSpec.kind() != NetworkSpec.Kind.QWNET) {
            throw new UserException("--quantize: only QW-Net has a quantized feature extractor");
        }
        DatasetReader reader = DatasetReader.open(data);
        Weights initial = init != null ? Weights.load(init, netSpec) : Weights.random(netSpec, seed);
        Path ckpt = Path.of(out + ".ckpt.safetensors");
        Path log = Path.of(out + ".log.csv");
        Map<String, String> meta = metadata(netSpec, reader);
        java.io.PrintWriter stdout = spec.commandLine().getOut();
        long start = System.nanoTime();
        try (Trainer trainer = new Trainer(new Trainer.Config(netSpec, quantize, batch, lr, seed, threads, 0.9f,
                optimizer),
                reader, initial)) {
            if (resume != null) {
                trainer.resume(resume);
                stdout.println("resumed at step " + trainer.step() + " from " + resume);
            } else {
                try {
                    Files.deleteIfExists(log);
                } catch (java.io.IOException e) {
                    throw new UserException(log + ": cannot remove (" + e.getMessage() + ")");
                }
            }
            ProgressBar bar = new ProgressBar(spec.commandLine().getErr(), "train " + netSpec.variant()
                    + (quantize > 0 ? " int" + quantize : ""), steps, "steps");
            List<Trainer.StepResult> pending = new ArrayList<>();
            float[] last = {Float.NaN};
            while (trainer.step() < steps) {
                int until = Math.min(steps, (trainer.step() / checkpointEvery + 1) * checkpointEvery);
                pending.addAll(trainer.train(until, r -> {
                    last[0] = r.loss();
                    bar.update(r.step() + 1, String.format(Locale.ROOT, "loss %.5f (L_s %.5f, L_t %.5f)", r.loss(),
                            r.spatial(), r.temporal()));
                }));
                Trainer.log(log, pending);
                pending.clear();
                trainer.checkpoint(ckpt, meta);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            meta.put("steps", Integer.toString(trainer.step()));
            meta.put("final_loss", String.format(Locale.ROOT, "%.6f", last[0]));
            meta.put("wall_seconds", String.format(Locale.ROOT, "%.1f", seconds));
            trainer.weights(meta).write(out);
            LossPlot.write(log, Path.of(out + ".loss.png"), "training " + netSpec.variant()
                    + (quantize > 0 ? " (simulated int" + quantize + ")" : " (fp32)"));
            stdout.println(String.format(Locale.ROOT, "wrote %s (%s, %d steps, %.1f s); log %s; checkpoint %s", out,
                    netSpec.variant() + (quantize > 0 ? " simulated int" + quantize : " fp32"), trainer.step(),
                    seconds, log, ckpt));
        }
        return 0;
    }

    private Map<String, String> metadata(NetworkSpec netSpec, DatasetReader reader) {
        Map<String, String> meta = new LinkedHashMap<>(netSpec.metadata());
        meta.put("format", Weights.FORMAT);
        meta.put("training_data", reader.dir().toAbsolutePath().normalize() + " (" + reader.size() + " blocks of "
                + String.join(", ", reader.info().settings.scenes) + ")");
        meta.put("training", String.format(Locale.ROOT, "batch %d, lr %s, seed %d, %s, loss 0.3 L_s + 0.7 L_t, %s",
                batch, lr, seed, quantize > 0 ? "simulated int" + quantize + " (BN frozen, thresholds trained)"
                        : "fp32", optimizer));
        meta.put("thresholds", quantize > 0 ? "trained (simulated quantization)" : "initial (ln 1, ln 3)");
        meta.put("trained_precision", quantize > 0 ? "int" + quantize : "fp32");
        meta.put("init", init != null ? init.toString() : "He-uniform, seed " + seed);
        meta.put("commit", DatasetWriter.commit());
        return meta;
    }
}
