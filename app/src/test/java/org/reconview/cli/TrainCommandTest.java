package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.train.SyntheticSequences;
import org.reconview.nn.GoldenModel;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Tensor;
import org.reconview.nn.Weights;

/**
 * train on synthetic sequences (no renderer, so no GL context in this TensorFlow JVM): the --quick configuration,
 * resume, validation-based selection, export/load, and its one-line errors.
 */
@Tag("tensorflow")
class TrainCommandTest {
    @TempDir
    Path tmp;
    @TempDir
    static Path shared;
    static Path data;
    static Path val;

    @BeforeAll
    static void sequences() {
        data = shared.resolve("data");
        SyntheticSequences.write(data.resolve("a"), 32, 32, 12, 1);
        SyntheticSequences.write(data.resolve("b"), 48, 32, 12, 2);
        val = SyntheticSequences.write(shared.resolve("val"), 32, 32, 12, 5);
    }

    static DatasetTiny.Result train(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(err),
                DatasetTiny.with(new String[] {"train"}, args));
        return new DatasetTiny.Result(code, out.toString(), err.toString());
    }

    @Test
    void quickRunWritesWeightsLogAndCheckpoint() throws Exception {
        Path out = tmp.resolve("q.safetensors");
        DatasetTiny.Result r = train("--model", "qwnet", "--data", data.resolve("a").toString(), "--data",
                data.resolve("b").toString(), "--out", out.toString(), "--quick");
        assertEquals(0, r.code(), r.err());
        Weights w = Weights.load(out, NetworkSpec.qwnet());
        assertEquals("fp32", w.metadata().get("trained_precision"));
        assertEquals("3", w.metadata().get("steps"));
        assertTrue(w.metadata().get("training_data").contains("2 sequences, 24 frames (32x32: 12, 48x32: 12)"),
                w.metadata().toString());
        List<String> log = Files.readAllLines(Path.of(out + ".log.csv"));
        assertEquals("step,loss,spatial,temporal,lr,seconds", log.get(0));
        assertEquals(4, log.size(), "a line per step");
        assertTrue(Files.isRegularFile(Path.of(out + ".ckpt.safetensors")));
        assertEquals(900, org.reconview.io.PngImages.read8(Path.of(out + ".loss.png")).width, "the loss plot");

        // Simulated INT4 fine-tuning from those weights.
        Path q = tmp.resolve("q4.safetensors");
        r = train("--model", "qwnet", "--data", data.toString(), "--out", q.toString(), "--quick", "--quantize", "4",
                "--init", out.toString());
        assertTrue(r.err().contains("calibrated: percentiles 0.1 and 99.9"), r.err());
        assertEquals(0, r.code(), r.err());
        Weights w4 = Weights.load(q, NetworkSpec.qwnet());
        assertEquals("int4", w4.metadata().get("trained_precision"));
        boolean thresholdsMoved = false;
        for (String name : w4.tensors().keySet()) {
            if (name.endsWith(".t_u") && w4.floats(name)[0] != w.floats(name)[0]) {
                thresholdsMoved = true;
            }
        }
        assertTrue(thresholdsMoved, "the quantized phase trains the thresholds");
    }

    @Test
    void anInterruptedRunResumesToTheSameWeights() throws Exception {
        Path straight = tmp.resolve("straight.safetensors");
        Path split = tmp.resolve("split.safetensors");
        // Augmentation, warm-up frames, the schedule's warm-up and decay, and the BN freeze at step 2 all inside.
        String[] common = {"--model", "unet", "--data", data.toString(), "--batch", "2", "--threads", "1",
            "--checkpoint-every", "2", "--crop", "16x16", "--frames", "2", "--warmup-frames", "2", "--lr-warmup",
            "2", "--bn-freeze", "0.5"};
        assertEquals(0, train(DatasetTiny.with(common, "--steps", "4", "--out", straight.toString())).code());
        assertEquals(0, train(DatasetTiny.with(common, "--steps", "4", "--until", "2", "--out", split.toString()))
                .code());
        assertTrue(Files.size(Path.of(split + ".loss.png")) > 1000, "a run stopped by --until has its loss curve");
        // Once with the checkpoint named, once with --resume alone (the checkpoint beside --out).
        DatasetTiny.Result r = train(DatasetTiny.with(common, "--steps", "4", "--until", "3", "--out",
                split.toString(), "--resume", split + ".ckpt.safetensors"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resumed at step 2"), r.out());
        r = train(DatasetTiny.with(common, "--steps", "4", "--out", split.toString(), "--resume"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resumed at step 3"), r.out());
        Weights a = Weights.read(straight);
        Weights b = Weights.read(split);
        for (String name : a.tensors().keySet()) {
            assertArrayEquals(a.floats(name), b.floats(name), 1e-6f, name);
        }
        assertEquals(5, Files.readAllLines(Path.of(split + ".log.csv")).size(), "the log continues");
    }

    @Test
    void theShippedWeightsAreTheBestValidatedOnes() throws Exception {
        Path out = tmp.resolve("v.safetensors");
        DatasetTiny.Result r = train("--model", "qwnet", "--data", data.toString(), "--val", val.toString(), "--out",
                out.toString(), "--steps", "4", "--batch", "1", "--crop", "16x16", "--frames", "2", "--warmup-frames",
                "1", "--val-every", "1", "--lr", "0.02", "--lr-warmup", "0");
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(Path.of(out + ".val.csv"));
        assertTrue(lines.get(0).startsWith("step,val_psnr,bn_loss_train,bn_loss_inference,"), lines.get(0));
        assertEquals(6, lines.size(), "validations at steps 0 (the initial weights) to 4");
        int bestStep = -1;
        double best = Double.NEGATIVE_INFINITY;
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            if (Double.parseDouble(f[1]) > best) {
                best = Double.parseDouble(f[1]);
                bestStep = Integer.parseInt(f[0]);
            }
        }
        Weights w = Weights.read(out);
        assertEquals(Integer.toString(bestStep), w.metadata().get("steps"), "the best validated step ships");
        assertEquals(best, Double.parseDouble(w.metadata().get("val_psnr")), 1e-3);
        assertEquals(5 * 12 + 1, Files.readAllLines(Path.of(out + ".val-frames.csv")).size(), "12 frames each");
        assertEquals(720, org.reconview.io.PngImages.read8(Path.of(out + ".val.png")).height, "the two curves");
    }

    @Test
    void exportedWeightsGiveTheSameGoldenOutputsWhenLoaded() throws Exception {
        Path out = tmp.resolve("u.safetensors");
        assertEquals(0, train("--model", "unet", "--data", data.toString(), "--out", out.toString(), "--quick")
                .code());
        Weights loaded = Weights.load(out, NetworkSpec.unet());
        Weights copy = Weights.read(out);
        Random rnd = new Random(3);
        Tensor ia = new Tensor(3, 16, 16);
        for (int i = 0; i < ia.data.length; i++) {
            ia.data[i] = rnd.nextFloat();
        }
        Tensor a = new GoldenModel(NetworkSpec.unet(), loaded).run(ia, ia);
        Tensor b = new GoldenModel(NetworkSpec.unet(), copy).run(ia, ia);
        assertArrayEquals(a.data, b.data);
        Weights random = Weights.random(NetworkSpec.unet(), 0);
        assertFalse(java.util.Arrays.equals(a.data, new GoldenModel(NetworkSpec.unet(), random).run(ia, ia).data),
                "training changed the weights");
    }

    @Test
    void badArgumentsAreOneLineErrors() throws Exception {
        String out = tmp.resolve("x.safetensors").toString();
        expect("--model", train("--model", "resnet", "--data", data.toString(), "--out", out));
        expect("only QW-Net", train("--model", "unet", "--data", data.toString(), "--out", out, "--quantize", "4"));
        expect("nowhere", train("--model", "unet", "--data", tmp.resolve("nowhere").toString(), "--out", out));
        expect("--crop", train("--model", "unet", "--data", data.toString(), "--out", out, "--crop", "20x16"));
        expect("--bn-freeze", train("--model", "unet", "--data", data.toString(), "--out", out, "--bn-freeze", "2"));
        expect("no shot of 40 frames", train("--model", "unet", "--data", data.toString(), "--out", out,
                "--frames", "30", "--warmup-frames", "10"));
    }

    @Test
    void refusesScenesKeptBackFromTraining() throws Exception {
        String out = tmp.resolve("x.safetensors").toString();
        for (String scene : new String[] {"plaza", "courtyard"}) {
            Path copy = tmp.resolve(scene);
            Files.createDirectories(copy);
            try (var files = Files.list(data.resolve("a"))) {
                for (Path f : files.toList()) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
            }
            Path json = copy.resolve("sequence.json");
            Files.writeString(json, Files.readString(json)
                    .replace("\"scene\": \"synthetic\"", "\"scene\": \"" + scene + "\""));
            assertTrue(Files.readString(json).contains("\"" + scene + "\""), "scene renamed");
            DatasetTiny.Result r = train("--model", "unet", "--data", data.resolve("b").toString(), "--data",
                    copy.toString(), "--out", out, "--steps", "1");
            expect(scene.equals("plaza") ? "kept for validation only" : "held-out evaluation scene", r);
            assertTrue(r.err().contains(copy.toString()), r.err());
            assertFalse(Files.exists(tmp.resolve("x.safetensors")), "nothing written");
        }
    }

    static void expect(String text, DatasetTiny.Result r) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(text), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }
}
