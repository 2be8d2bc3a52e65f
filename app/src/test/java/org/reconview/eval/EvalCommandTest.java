package org.reconview.eval;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.GlTest;
import org.reconview.cli.Main;
import org.reconview.io.FloatImage;
import org.reconview.io.FrameImages;
import org.reconview.io.PngImages;
import org.reconview.io.SequenceFolder;
import org.reconview.metrics.DisplayEncoding;
import org.reconview.metrics.Psnr;
import org.reconview.metrics.Ssim;
import org.reconview.metrics.TemporalError;
import org.reconview.recon.Warp;

/** eval writes every output, and its numbers are the metric module's numbers for the same frames. */
class EvalCommandTest {
    @TempDir
    static Path tmp;
    static Path sequence;

    @BeforeAll
    static void renderSequence() {
        GlTest.context();
        sequence = tmp.resolve("seq");
        assertEquals(0, run(new StringWriter(), "render", "--scene", "courtyard", "--size", "48x32", "--frames",
                "14", "--spp", "4", "--out", sequence.toString()));
    }

    static int run(StringWriter err, String... args) {
        int rc = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
        GlTest.context();
        return rc;
    }

    /** frames.csv as (frame, method) -> columns. */
    static Map<String, String[]> csv(Path file) throws Exception {
        Map<String, String[]> rows = new HashMap<>();
        List<String> lines = Files.readAllLines(file);
        assertEquals("frame,method,encoding,psnr,ssim,temporal_error,cut,avg_bits,bitops", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",", -1);
            rows.put(c[0] + "/" + c[1], c);
        }
        return rows;
    }

    @Test
    void writesEveryOutputWithTheMetricModulesNumbers() throws Exception {
        Path out = tmp.resolve("eval");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "eval", "--sequence", sequence.toString(), "--methods", "input,taa,reference",
                "--warmup", "2", "--compare-every", "5", "--profile-col", "10", "--out", out.toString()), err::toString);
        for (String f : List.of("summary.json", "frames.csv", "profiles/input.png", "profiles/taa.png",
                "profiles/reference.png", "compare/0002.png", "compare/0007.png", "compare/0012.png",
                "compare/0013.png", "plots/psnr.png", "plots/ssim.png", "plots/temporal_error.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        try (Stream<Path> all = Files.walk(out)) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().contains(".tmp")), "no temporary files left");
        }

        Map<String, String[]> rows = csv(out.resolve("frames.csv"));
        assertEquals(14 * 3, rows.size());
        SequenceFolder folder = SequenceFolder.open(sequence);
        FrameImages f12 = folder.read(12);
        FrameImages f13 = folder.read(13);
        String[] input13 = rows.get("13/input");
        assertEquals(Psnr.psnr(f13.color(), f13.reference(), DisplayEncoding.PQ), Double.parseDouble(input13[3]),
                1e-3);
        assertEquals(Ssim.ssim(f13.color(), f13.reference(), DisplayEncoding.PQ), Double.parseDouble(input13[4]),
                1e-5);
        // Temporal error of the input at frame 13: previous output and reference warped by frame 13's motion.
        boolean[] valid = new boolean[48 * 32];
        FloatImage phi = Warp.backward(f12.color(), f13.motion(), valid);
        FloatImage psi = Warp.backward(f12.reference(), f13.motion(), null);
        double te = TemporalError.error(f13.color(), phi, f13.reference(), psi, DisplayEncoding.PQ, valid);
        assertEquals(te, Double.parseDouble(input13[5]), 1e-4 * te);
        assertEquals("", rows.get("0/taa")[5], "no temporal error on the first frame");
        assertEquals("inf", rows.get("5/reference")[3]);
        assertEquals("pq", input13[2], "every number names its encoding");

        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        assertEquals("48x32", summary.get("size").getAsString());
        assertEquals(14, summary.get("frames").getAsInt());
        assertEquals("pq", summary.get("encoding").getAsString());
        JsonObject record = summary.getAsJsonObject("record");
        assertEquals(List.of("eval", "--sequence", sequence.toString(), "--methods", "input,taa,reference",
                "--warmup", "2", "--compare-every", "5", "--profile-col", "10", "--out", out.toString()),
                new com.google.gson.Gson().fromJson(record.get("command_line"), List.class));
        assertEquals(Main.VERSION, record.get("version").getAsString());
        assertTrue(record.get("commit").getAsString().matches("[0-9a-f]{40}|unknown"), record.toString());
        assertEquals(0, record.get("start").getAsInt());
        assertEquals(0, record.get("seed").getAsInt());
        assertFalse(record.getAsJsonObject("gl").get("renderer").getAsString().isBlank(), record.toString());
        assertFalse(record.getAsJsonObject("gl").get("vendor").getAsString().isBlank(), record.toString());
        assertEquals(0, record.getAsJsonObject("weights_sha256").size(), "no network, no weights");
        JsonObject methods = summary.getAsJsonObject("methods");
        assertTrue(methods.getAsJsonObject("reference").get("psnr").isJsonNull(), "infinite PSNR is null");
        assertEquals(1.0, methods.getAsJsonObject("reference").get("ssim").getAsDouble(), 1e-6);
        double sum = 0;
        for (int k = 2; k < 14; k++) {
            sum += Double.parseDouble(rows.get(k + "/taa")[3]);
        }
        assertEquals(sum / 12, methods.getAsJsonObject("taa").get("psnr").getAsDouble(), 1e-5,
                "means over frames after warm-up");
        assertTrue(methods.getAsJsonObject("taa").get("temporal_error").getAsDouble()
                < methods.getAsJsonObject("input").get("temporal_error").getAsDouble(), "TAA is steadier");

        FloatImage profile = PngImages.read8(out.resolve("profiles/taa.png"));
        assertEquals(32, profile.width, "a column profile is as long as the image is high");
        assertEquals(14, profile.height, "one line per frame");
        FloatImage sheet = PngImages.read8(out.resolve("compare/0013.png"));
        assertEquals(3 * 48 + 2 * CompareSheet.GAP, sheet.width, "three crops of half the width, zoomed 2x");
    }

    @Test
    void badMethodsAndRangesAreOneLineErrors() {
        String seq = sequence.toString();
        String out = tmp.resolve("bad").toString();
        expect("unknown method 'fxaa' (known: input, taa, unet, qwnet, qwnet-fp32, qwnet-cadyq, reference)", "eval",
                "--sequence", seq, "--methods", "input,fxaa", "--out", out);
        expect("method 'qwnet' given twice", "eval", "--sequence", seq, "--methods", "qwnet,taa,qwnet", "--out", out);
        expect("--warmup: 14 leaves no frame", "eval", "--sequence", seq, "--warmup", "14", "--out", out);
        expect("--profile-row: 40 outside 0..31", "eval", "--sequence", seq, "--profile-row", "40", "--out", out);
        expect("option '--encoding': unknown 'hdr'", "eval", "--sequence", seq, "--encoding", "hdr", "--out", out);
    }

    static void expect(String message, String... args) {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, args), err::toString);
        assertTrue(err.toString().contains(message), err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
    }
}
