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
import org.reconview.metrics.Flip;
import org.reconview.metrics.FrameMetrics;
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
        // the first version's columns stay where they were; later metrics only ever follow them
        assertEquals("frame,method,encoding,psnr,ssim,temporal_error,cut,avg_bits,bitops,ldr_flip,hdr_flip",
                lines.get(0));
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
        // LDR-FLIP (a default metric) of the displayed (PQ) values: the golden model on the same frames
        String[] header = Files.readAllLines(out.resolve("frames.csv")).get(0).split(",");
        int flipColumn = List.of(header).indexOf("ldr_flip");
        assertTrue(flipColumn > 8, "ldr_flip after the first version's columns: " + String.join(",", header));
        assertEquals(Flip.ldrMean(DisplayEncoding.PQ.encode(f13.color()), DisplayEncoding.PQ.encode(f13.reference()), Flip.DEFAULT_PPD), Double.parseDouble(input13[flipColumn]), 1e-4);
        assertEquals(0.0, Double.parseDouble(rows.get("5/reference")[flipColumn]), 0.0);
        assertTrue(summary.getAsJsonObject("methods").getAsJsonObject("taa").get("ldr_flip").getAsDouble()
                < summary.getAsJsonObject("methods").getAsJsonObject("input").get("ldr_flip").getAsDouble(),
                "TAA is closer to the reference than the 1-spp input");
        assertFalse(summary.getAsJsonObject("methods").getAsJsonObject("taa").has("hdr_flip"), "not asked for");
        assertTrue(Files.isRegularFile(out.resolve("plots/ldr_flip.png")));
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
    void everyRegisteredMetricReachesTheSummaryTheCsvAndAPlot() throws Exception {
        Path out = tmp.resolve("all-metrics");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "eval", "--sequence", sequence.toString(), "--methods", "input,taa", "--frames", "4",
                "--warmup", "1", "--metrics", String.join(",", FrameMetrics.ids()), "--out", out.toString()),
                err::toString);
        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        List<String> header = List.of(Files.readAllLines(out.resolve("frames.csv")).get(0).split(","));
        List<String> lines = Files.readAllLines(out.resolve("frames.csv"));
        for (String id : FrameMetrics.ids()) {
            for (String method : List.of("input", "taa")) {
                JsonObject m = summary.getAsJsonObject("methods").getAsJsonObject(method);
                assertTrue(m.has(id) && !m.get(id).isJsonNull(), method + " " + id + ": " + m);
            }
            int col = header.indexOf(id);
            assertTrue(col >= 0, id + " in " + header);
            assertTrue(lines.stream().skip(1).anyMatch(l -> !l.split(",", -1)[col].isEmpty()), id + " has values");
            assertTrue(Files.isRegularFile(out.resolve("plots").resolve(id + ".png")), id + " plot");
        }
        // HDR-FLIP of the input is an error of the 1-spp image: positive, and TAA's is below it
        assertTrue(summary.getAsJsonObject("methods").getAsJsonObject("taa").get("hdr_flip").getAsDouble()
                < summary.getAsJsonObject("methods").getAsJsonObject("input").get("hdr_flip").getAsDouble());
        // --error-maps: a sheet per kind at each compare frame
        Path maps = tmp.resolve("maps");
        assertEquals(0, run(err, "eval", "--sequence", sequence.toString(), "--methods", "input,taa", "--frames", "4",
                "--warmup", "1", "--compare-every", "10", "--error-maps", "--diff", "taa:input", "--out",
                maps.toString()), err::toString);
        for (String kind : ErrorMaps.KINDS) {
            FloatImage sheet = PngImages.read8(maps.resolve("error-maps").resolve("0003-" + kind + ".png"));
            assertEquals(Math.max(2 * 48 + ErrorMaps.GAP, ErrorMaps.MIN_WIDTH), sheet.width, kind);
            assertEquals(32 + ErrorMaps.CAPTION + ErrorMaps.BAR, sheet.height, kind);
        }
        // --diff A:B: one signed panel of A minus B
        FloatImage diff = PngImages.read8(maps.resolve("error-maps").resolve("0003-signed-taa-minus-input.png"));
        assertEquals(Math.max(48, ErrorMaps.MIN_WIDTH), diff.width);
        try (var files = Files.list(maps.resolve("error-maps"))) {
            assertEquals(2 * (ErrorMaps.KINDS.size() + 1), files.count(),
                    "one sheet per kind and the pair at each of the two compare frames");
        }
        // --save-exr: every output of every frame, and they round-trip exactly (input and reference are the
        // sequence's own pixels)
        Path exr = tmp.resolve("exr-out");
        assertEquals(0, run(err, "eval", "--sequence", sequence.toString(), "--methods", "input,taa,reference",
                "--frames", "3", "--warmup", "1", "--save-exr", "--out", exr.toString()), err::toString);
        SequenceFolder folder = SequenceFolder.open(sequence);
        for (int k = 0; k < 3; k++) {
            String name = String.format(java.util.Locale.ROOT, "%04d.color.exr", k);
            FloatImage input = org.reconview.io.ExrImages.read(exr.resolve("exr/input").resolve(name), "R", "G", "B");
            FloatImage ref = org.reconview.io.ExrImages.read(exr.resolve("exr/reference").resolve(name), "R", "G", "B");
            FrameImages f = folder.read(k);
            for (int p = 0; p < 48 * 32; p++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(f.color().data[p * f.color().channels + c], input.data[p * 3 + c], 0f, "input");
                    assertEquals(f.reference().data[p * f.reference().channels + c], ref.data[p * 3 + c], 0f, "ref");
                }
            }
            assertTrue(Files.isRegularFile(exr.resolve("exr/taa").resolve(name)));
        }
        // only what is asked for is measured
        Path some = tmp.resolve("some-metrics");
        assertEquals(0, run(err, "eval", "--sequence", sequence.toString(), "--methods", "input", "--frames", "3",
                "--warmup", "1", "--metrics", "ssim", "--out", some.toString()), err::toString);
        JsonObject only = JsonParser.parseString(Files.readString(some.resolve("summary.json"))).getAsJsonObject()
                .getAsJsonObject("methods").getAsJsonObject("input");
        assertTrue(only.has("ssim") && !only.has("psnr") && !only.has("ldr_flip"), only.toString());
        assertFalse(Files.exists(some.resolve("plots/psnr.png")));
    }

    @Test
    void badMethodsAndRangesAreOneLineErrors() {
        String seq = sequence.toString();
        String out = tmp.resolve("bad").toString();
        expect("unknown method 'fxaa' (known: input, taa, unet, qwnet, qwnet-fp32, qwnet-cadyq, reference)", "eval",
                "--sequence", seq, "--methods", "input,fxaa", "--out", out);
        expect("method 'qwnet' given twice", "eval", "--sequence", seq, "--methods", "qwnet,taa,qwnet", "--out", out);
        expect("--metrics: unknown metric 'flip' (known: psnr, ssim, temporal_error, ldr_flip, hdr_flip)", "eval",
                "--sequence", seq, "--metrics", "psnr,flip", "--out", out);
        expect("--warmup: 14 leaves no frame", "eval", "--sequence", seq, "--warmup", "14", "--out", out);
        expect("--profile-row: 40 outside 0..31", "eval", "--sequence", seq, "--profile-row", "40", "--out", out);
        expect("option '--encoding': unknown 'hdr'", "eval", "--sequence", seq, "--encoding", "hdr", "--out", out);
        expect("--diff: needs --error-maps", "eval", "--sequence", seq, "--diff", "taa:input", "--out", out);
        expect("--diff: 'taa-input' is not A:B", "eval", "--sequence", seq, "--error-maps", "--diff", "taa-input",
                "--out", out);
        expect("--diff: 'qwnet' is not among the evaluated methods [input, taa]", "eval", "--sequence", seq,
                "--error-maps", "--diff", "taa:qwnet", "--out", out);
        expect("--diff: 'taa:taa' names one method twice", "eval", "--sequence", seq, "--error-maps", "--diff",
                "taa:taa", "--out", out);
    }

    static void expect(String message, String... args) {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, args), err::toString);
        assertTrue(err.toString().contains(message), err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
    }
}
