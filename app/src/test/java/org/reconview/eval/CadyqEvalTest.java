package org.reconview.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.GlTest;
import org.reconview.cli.Main;
import org.reconview.io.SafeTensors;
import org.reconview.nn.BitOps;
import org.reconview.nn.CadyqInit;
import org.reconview.nn.CadyqSpec;
import org.reconview.nn.LayerSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.QuantizedTestData;
import org.reconview.nn.Weights;

/**
 * eval --methods qwnet-cadyq (GLSL): avg_bits and bitops in summary.json and
 * frames.csv for it and for fixed-width QW-Net, its per-layer bit histograms, and CADyQ files kept apart from plain
 * QW-Net ones.
 */
class CadyqEvalTest {
    static final NetworkSpec NET = NetworkSpec.of(NetworkSpec.Kind.QWNET, 8, 8);
    static final CadyqSpec SPEC = CadyqSpec.of(NET, CadyqSpec.DEFAULT_CANDIDATES, 32);
    @TempDir
    static Path tmp;
    static Path int4;
    static Path atFour;
    static Path atEight;

    @BeforeAll
    static void weights() {
        GlTest.context();
        Weights q = QuantizedTestData.weights(NET, 4).withMetadata(NET.metadata())
                .withMetadata(java.util.Map.of("trained_precision", "int4"));
        int4 = tmp.resolve("int4.safetensors");
        q.write(int4);
        Weights c = CadyqInit.fromQwnet(q, SPEC, 4);
        atFour = tmp.resolve("cadyq4.safetensors");
        c.write(atFour);
        for (LayerSpec l : SPEC.selected()) {
            c = c.with(CadyqSpec.selectorBias(l.name()), SafeTensors.Tensor.ofFloats(new int[] {3},
                    new float[] {0, 0, 1}));
        }
        atEight = tmp.resolve("cadyq8.safetensors");
        c.write(atEight);
    }

    static JsonObject eval(Path out, Path cadyq) {
        StringWriter err = new StringWriter();
        int rc = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "eval", "--scene", "courtyard",
                "--size", "64x64", "--frames", "3", "--warmup", "1", "--spp", "4", "--methods", "taa,qwnet,qwnet-cadyq",
                "--weights", int4.toString(), "--weights", cadyq.toString(), "--out", out.toString());
        GlTest.context();
        assertEquals(0, rc, err.toString());
        try {
            return JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject()
                    .getAsJsonObject("methods");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void atFourBitsCadyqCostsAndScoresWhatInt4Does() throws Exception {
        Path out = tmp.resolve("four");
        JsonObject m = eval(out, atFour);
        double perFrame = BitOps.perPixel(BitOps.convs(NET)) * 64 * 64;
        for (String method : List.of("qwnet", "qwnet-cadyq")) {
            assertEquals(4.0, m.getAsJsonObject(method).get("avg_bits").getAsDouble(), 1e-9, method);
            assertEquals(perFrame, m.getAsJsonObject(method).get("bitops").getAsDouble(), 1, method);
        }
        assertTrue(m.getAsJsonObject("taa").get("avg_bits").isJsonNull(), "TAA is not a network");
        assertEquals(m.getAsJsonObject("qwnet").get("psnr").getAsDouble(),
                m.getAsJsonObject("qwnet-cadyq").get("psnr").getAsDouble(), 0.02, "INT4 and CADyQ at 4 bits");
        JsonObject content = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject()
                .getAsJsonObject("bits_vs_gradient").getAsJsonObject("qwnet-cadyq");
        assertEquals(0.0, content.get("difference").getAsDouble(), 1e-12, "every tile at 4 bits");
        JsonObject sha = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject()
                .getAsJsonObject("record").getAsJsonObject("weights_sha256");
        assertEquals(2, sha.size(), sha.toString());
        assertEquals(RunRecord.sha256(int4), sha.get(int4.toString()).getAsString());
        assertEquals(RunRecord.sha256(atFour), sha.get(atFour.toString()).getAsString());
        assertTrue(!sha.get(int4.toString()).getAsString().equals(sha.get(atFour.toString()).getAsString()));
        assertEquals(2 * 4, content.get("tiles").getAsInt(), "2 measured frames x 4 tiles");
        List<String> hist = Files.readAllLines(out.resolve("bits").resolve("qwnet-cadyq.csv"));
        assertEquals("layer,bits,tiles,share", hist.get(0));
        assertEquals(1 + SPEC.selected().size(), hist.size(), "one width per layer");
        for (String line : hist.subList(1, hist.size())) {
            String[] f = line.split(",");
            assertEquals("4", f[1], line);
            assertEquals(Integer.toString(3 * 4), f[2], "3 frames x 4 tiles: " + line);
        }
        List<String> frames = Files.readAllLines(out.resolve("frames.csv"));
        assertTrue(frames.stream().anyMatch(l -> l.contains(",qwnet-cadyq,") && l.contains(",4.0000,")), frames
                .toString());
    }

    @Test
    void atEightBitsTheBitsAndBitopsFollow() {
        JsonObject m = eval(tmp.resolve("eight"), atEight);
        assertEquals(8.0, m.getAsJsonObject("qwnet-cadyq").get("avg_bits").getAsDouble(), 1e-9);
        assertEquals(BitOps.perPixel(BitOps.convs(NET, 8)) * 64 * 64,
                m.getAsJsonObject("qwnet-cadyq").get("bitops").getAsDouble(), 1);
    }

    @Test
    void aCadyqFileIsNotTakenForPlainQwNet() {
        StringWriter err = new StringWriter();
        int rc = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "eval", "--scene", "courtyard",
                "--size", "64x64", "--frames", "2", "--methods", "qwnet", "--weights", atFour.toString(), "--out",
                tmp.resolve("refused").toString());
        GlTest.context();
        assertEquals(2, rc, err.toString());
        String e = err.toString().strip();
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.contains("cadyq4.safetensors") && e.contains("qwnet-cadyq"), e);
    }
}
