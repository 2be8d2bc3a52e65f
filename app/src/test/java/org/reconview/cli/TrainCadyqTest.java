package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.nn.CadyqSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Weights;
import org.reconview.train.SyntheticSequences;

/** train --cadyq on synthetic sequences: from INT4 weights to a CADyQ file, the bit loss at work, its errors. */
@Tag("tensorflow")
class TrainCadyqTest {
    @TempDir
    static Path shared;
    static Path data;
    static Path int4;

    @BeforeAll
    static void int4Weights() {
        data = SyntheticSequences.write(shared.resolve("data"), 64, 64, 8, 3);
        int4 = shared.resolve("int4.safetensors");
        DatasetTiny.Result r = TrainCommandTest.train("--model", "qwnet-8-8", "--data", data.toString(), "--out",
                int4.toString(), "--quick", "--quantize", "4");
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void aStrongBitLossLowersTheBitsAndTheFileIsCadyq() throws Exception {
        Path out = shared.resolve("cadyq.safetensors");
        DatasetTiny.Result r = TrainCommandTest.train("--model", "qwnet-8-8", "--data", data.toString(), "--out",
                out.toString(), "--init", int4.toString(), "--cadyq", "2,4,8", "--steps", "6", "--batch", "1",
                "--crop", "32x32", "--frames", "1", "--warmup-frames", "0", "--lr", "0.05", "--lr-warmup", "0",
                "--bit-weight", "10", "--bit-ramp", "0", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        CadyqSpec spec = CadyqSpec.of(NetworkSpec.of(NetworkSpec.Kind.QWNET, 8, 8), List.of(2, 4, 8), 32);
        Weights w = Weights.read(out);
        w.validate(spec);
        assertEquals("cadyq", w.metadata().get("trained_precision"));
        List<String> log = Files.readAllLines(Path.of(out + ".log.csv"));
        assertEquals("step,loss,spatial,temporal,lr,seconds,avg_bits", log.get(0));
        double first = Double.parseDouble(log.get(1).split(",")[6]);
        double last = Double.parseDouble(log.get(log.size() - 1).split(",")[6]);
        assertEquals(4.0, first, 1e-4, "every tile starts at 4 bits");
        assertTrue(last < first, "the bit loss lowers the bits: " + first + " -> " + last);
    }

    /** A CADyQ weights file (cadyq-init from the INT4 weights), written once. */
    static Path cadyqFile() {
        Path p = shared.resolve("init.cadyq.safetensors");
        if (!Files.exists(p)) {
            org.reconview.nn.CadyqInit.fromQwnet(Weights.read(int4), CadyqSpec.of(NetworkSpec.of(NetworkSpec.Kind.QWNET,
                    8, 8), List.of(2, 4, 8), 32), 4).write(p);
        }
        return p;
    }

    @Test
    void distillationTrainsAndIsRecorded() throws Exception {
        Path out = shared.resolve("cadyq-distilled.safetensors");
        DatasetTiny.Result r = TrainCommandTest.train("--model", "qwnet-8-8", "--data", data.toString(), "--out",
                out.toString(), "--init", int4.toString(), "--cadyq", "2,4,8", "--steps", "2", "--batch", "1",
                "--crop", "32x32", "--frames", "1", "--warmup-frames", "0", "--lr-warmup", "0", "--distill", "1000",
                "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue((r.out() + r.err()).contains(" AT "), r.out() + r.err());
        assertTrue(Weights.read(out).metadata().get("cadyq_training").contains("attention-transfer distillation x1000"),
                Weights.read(out).metadata().toString());
    }

    @Test
    void badCadyqArgumentsAreOneLineErrors() {
        String[][] cases = {
            {"--cadyq", "4,16", "--init", "INT4"},
            {"--cadyq", "2,4,8", "--init", "INT4", "--crop", "48x48"},
            {"--cadyq", "2,4,8"},
            {"--cadyq", "2,8", "--init", "INT4"},
            {"--init", "INT4", "--distill", "1"},
            {"--cadyq", "2,4,8", "--init", "INT4", "--distill", "-1"},
            {"--cadyq", "2,4,8", "--init", "INT4", "--distill", "1", "--distill-from", "CADYQ"},
        };
        String[] expected = {"candidate width 16", "--cadyq-tile 32", "needs --init", "needs 4", "for --cadyq",
            "--distill must be >= 0", "the INT4 QW-Net teacher"};
        for (int i = 0; i < cases.length; i++) {
            String[] args = cases[i].clone();
            for (int j = 0; j < args.length; j++) {
                args[j] = args[j].equals("INT4") ? int4.toString()
                        : args[j].equals("CADYQ") ? cadyqFile().toString() : args[j];
            }
            DatasetTiny.Result r = TrainCommandTest.train(DatasetTiny.with(new String[] {"--model", "qwnet-8-8",
                "--data", data.toString(), "--out", shared.resolve("bad" + i + ".safetensors").toString(),
                "--steps", "1"}, args));
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            String e = r.err().trim();
            assertFalse(e.contains("\n"), e);
            assertTrue(e.contains(expected[i]), e + " should say " + expected[i]);
        }
    }
}
