package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.nn.GoldenModel;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Tensor;
import org.reconview.nn.Weights;

/** train on the tiny dataset: the --quick configuration, resume, export/load, and its one-line errors. */
class TrainCommandTest {
    @TempDir
    Path tmp;

    static DatasetTiny.Result train(String... args) {
        return DatasetTiny.run(DatasetTiny.with(new String[] {"train"}, args));
    }

    @Test
    void quickRunWritesWeightsLogAndCheckpoint() throws Exception {
        Path data = DatasetTiny.get();
        Path out = tmp.resolve("q.safetensors");
        DatasetTiny.Result r = train("--model", "qwnet", "--data", data.toString(), "--out", out.toString(),
                "--quick");
        assertEquals(0, r.code(), r.err());
        Weights w = Weights.load(out, NetworkSpec.qwnet());
        assertEquals("fp32", w.metadata().get("trained_precision"));
        assertEquals("3", w.metadata().get("steps"));
        assertTrue(w.metadata().get("training_data").contains("garden, signs"), w.metadata().toString());
        List<String> log = Files.readAllLines(Path.of(out + ".log.csv"));
        assertEquals("step,loss,spatial,temporal,seconds", log.get(0));
        assertEquals(4, log.size(), "a line per step");
        assertTrue(Files.isRegularFile(Path.of(out + ".ckpt.safetensors")));
        assertEquals(900, org.reconview.io.PngImages.read8(Path.of(out + ".loss.png")).width, "the loss plot");

        // Simulated INT4 fine-tuning from those weights.
        Path q = tmp.resolve("q4.safetensors");
        r = train("--model", "qwnet", "--data", data.toString(), "--out", q.toString(), "--quick", "--quantize", "4",
                "--init", out.toString());
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
        Path data = DatasetTiny.get();
        Path straight = tmp.resolve("straight.safetensors");
        Path split = tmp.resolve("split.safetensors");
        String[] common = {"--model", "unet", "--data", data.toString(), "--batch", "1", "--threads", "1",
            "--checkpoint-every", "2"};
        assertEquals(0, train(DatasetTiny.with(common, "--steps", "4", "--out", straight.toString())).code());
        assertEquals(0, train(DatasetTiny.with(common, "--steps", "2", "--out", split.toString())).code());
        DatasetTiny.Result r = train(DatasetTiny.with(common, "--steps", "4", "--out", split.toString(), "--resume",
                split + ".ckpt.safetensors"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resumed at step 2"), r.out());
        Weights a = Weights.read(straight);
        Weights b = Weights.read(split);
        for (String name : a.tensors().keySet()) {
            assertArrayEquals(a.floats(name), b.floats(name), 1e-6f, name);
        }
        assertEquals(5, Files.readAllLines(Path.of(split + ".log.csv")).size(), "the log continues");
    }

    @Test
    void exportedWeightsGiveTheSameGoldenOutputsWhenLoaded() throws Exception {
        Path data = DatasetTiny.get();
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
        Path data = DatasetTiny.get();
        String out = tmp.resolve("x.safetensors").toString();
        expect("--model", train("--model", "resnet", "--data", data.toString(), "--out", out));
        expect("only QW-Net", train("--model", "unet", "--data", data.toString(), "--out", out, "--quantize", "4"));
        expect("nowhere", train("--model", "unet", "--data", tmp.resolve("nowhere").toString(), "--out", out));
    }

    static void expect(String text, DatasetTiny.Result r) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(text), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }
}
