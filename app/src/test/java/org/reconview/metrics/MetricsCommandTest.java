package org.reconview.metrics;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.UserException;
import org.reconview.io.ExrImages;
import org.reconview.io.FloatImage;

/**
 * {@code reconview metrics A.exr B.exr}: JSON equal to the golden numbers, null PSNR for identical files, one-line
 * errors with exit code 2. The command class is package-private in {@code cli} (like the others) and registered in
 * Main by its owner; here it runs through Main.
 */
class MetricsCommandTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
        List<String> errLines() {
            return Arrays.stream(err.split("\\R")).filter(l -> !l.isBlank()).toList();
        }

        JsonObject json() {
            List<String> lines = Arrays.stream(out.split("\\R")).filter(l -> !l.isBlank()).toList();
            assertEquals(1, lines.size(), () -> "one JSON line expected, got:\n" + out + "\nstderr: " + err);
            return JsonParser.parseString(lines.get(0)).getAsJsonObject();
        }
    }

    /** Runs {@code reconview metrics ARGS} through Main (its converters and one-line error handling). */
    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "metrics";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = org.reconview.cli.Main.run(new PrintWriter(out), new PrintWriter(err), all);
        return new Run(code, out.toString(), err.toString());
    }

    static FloatImage hdr(int w, int h, long seed, FloatImage base) {
        Random rnd = new Random(seed);
        FloatImage img = new FloatImage(w, h, 4);
        for (int p = 0; p < w * h; p++) {
            for (int c = 0; c < 3; c++) {
                float v = base == null ? 4f * (float) Math.pow(rnd.nextFloat(), 3) + 0.02f * (p % w)
                        : base.data[p * 4 + c] * (1f + 0.2f * (float) rnd.nextGaussian());
                img.data[p * 4 + c] = Math.max(v, 0f);
            }
            img.data[p * 4 + 3] = rnd.nextFloat(); // alpha must not matter
        }
        return img;
    }

    Path write(String name, FloatImage img) {
        Path file = tmp.resolve(name);
        ExrImages.write(file, img, "R", "G", "B", "A");
        return file;
    }

    @Test
    void printsTheGoldenNumbersAsJson() throws Exception {
        FloatImage ref = hdr(40, 30, 1, null);
        FloatImage img = hdr(40, 30, 2, ref);
        Path a = write("a.exr", img);
        Path b = write("b.exr", ref);
        for (DisplayEncoding e : DisplayEncoding.values()) {
            Run r = e == DisplayEncoding.PQ ? run(a.toString(), b.toString())
                    : run(a.toString(), b.toString(), "--encoding", e.id());
            assertEquals(0, r.code(), r.err());
            JsonObject o = r.json();
            assertEquals(Psnr.psnr(img, ref, e), o.get("psnr").getAsDouble(), 1e-12, e.id());
            assertEquals(Ssim.ssim(img, ref, e), o.get("ssim").getAsDouble(), 1e-12, e.id());
            assertTrue(o.get("ssim").getAsDouble() < 0.99, "images differ: " + o);
            assertEquals(e.id(), o.get("encoding").getAsString());
            assertEquals(b.toString(), o.get("reference").getAsString());
            assertEquals(a.toString(), o.get("image").getAsString());
            assertEquals(List.of("psnr", "ssim", "encoding", "reference", "image", "nonfinite_image",
                    "nonfinite_reference", "ldr_flip", "hdr_flip"), List.copyOf(o.keySet()));
            assertEquals(0, o.get("nonfinite_image").getAsInt());
            // FLIP does not depend on --encoding: LDR of the clamped sRGB values, HDR of the linear ones
            assertEquals(Flip.ldrMean(ImageComparison.srgbOfClamped(img), ImageComparison.srgbOfClamped(ref),
                    Flip.DEFAULT_PPD), o.get("ldr_flip").getAsDouble(), 1e-12, e.id());
            assertEquals(Flip.hdrMean(img, ref, Flip.DEFAULT_PPD, Flip.defaultExposures(ref)),
                    o.get("hdr_flip").getAsDouble(), 1e-12, e.id());
            assertTrue(o.get("ldr_flip").getAsDouble() > 0.01 && o.get("hdr_flip").getAsDouble() > 0.01, o.toString());
        }
        // swapping the files swaps the roles but not SSIM or PSNR (both symmetric)
        JsonObject swapped = run(b.toString(), a.toString()).json();
        assertEquals(Psnr.pq(img, ref), swapped.get("psnr").getAsDouble(), 1e-12);
        assertEquals(a.toString(), swapped.get("reference").getAsString());
    }

    @Test
    void identicalFilesGiveNullPsnrAndSsimOne() throws Exception {
        FloatImage img = hdr(16, 12, 3, null);
        Path a = write("a.exr", img);
        Path b = write("b.exr", img);
        JsonObject o = run(a.toString(), b.toString()).json();
        assertTrue(o.has("psnr") && o.get("psnr").isJsonNull(), o.toString());
        assertEquals(1.0, o.get("ssim").getAsDouble(), 1e-12);
        assertEquals(0.0, o.get("ldr_flip").getAsDouble(), 0.0);
        assertEquals(0.0, o.get("hdr_flip").getAsDouble(), 0.0);
        assertTrue(run("--help").out().replaceAll("\\s+", " ")
                .contains("psnr is null when the images are identical (infinite PSNR)"));
    }

    static String oneErrorLine(Run r) {
        assertEquals(2, r.code(), () -> "exit code; stderr: " + r.err() + " stdout: " + r.out());
        assertEquals(1, r.errLines().size(), () -> "one line on stderr expected:\n" + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertTrue(r.out().isBlank(), r.out());
        return r.errLines().get(0);
    }

    @Test
    void mismatchedSizesNameTheReference() throws Exception {
        Path a = write("a.exr", hdr(64, 64, 4, null));
        Path b = write("b.exr", hdr(32, 32, 5, null));
        String line = oneErrorLine(run(a.toString(), b.toString()));
        assertEquals("reconview: " + b + ": size 32x32, expected 64x64 (the size of " + a + ")", line);
        UserException e = assertThrows(UserException.class,
                () -> ImageComparison.of(a, b, DisplayEncoding.PQ));
        assertTrue(e.getMessage().startsWith(b + ": size 32x32"), e.getMessage());
    }

    @Test
    void missingFileSmallImageAndUnknownEncoding() throws Exception {
        Path a = write("a.exr", hdr(20, 20, 6, null));
        Path missing = tmp.resolve("nothing.exr");
        String line = oneErrorLine(run(a.toString(), missing.toString()));
        assertTrue(line.contains(missing.toString()) && line.contains("not found"), line);

        Path small = write("small.exr", hdr(10, 20, 7, null));
        line = oneErrorLine(run(small.toString(), small.toString()));
        assertTrue(line.contains(small + ": size 10x20") && line.contains("11x11"), line);

        line = oneErrorLine(run(a.toString(), a.toString(), "--encoding", "log"));
        assertEquals("reconview metrics: Invalid value for option '--encoding': unknown 'log' (pq, srgb, linear) (see --help)",
                line);
    }

    @Test
    void linearRefusesNonFiniteValuesNamingTheFile() throws Exception {
        FloatImage img = hdr(12, 12, 8, null);
        Path a = write("a.exr", img);
        FloatImage bad = img.copy();
        bad.data[5] = Float.NaN;
        Path b = write("b.exr", bad);
        String line = oneErrorLine(run(a.toString(), b.toString(), "--encoding", "linear"));
        assertTrue(line.startsWith("reconview: " + b + ": 1 NaN/Inf"), line);
        // pq defines NaN (as 0): a number comes out
        assertEquals(0, run(a.toString(), b.toString()).code());
    }
}
