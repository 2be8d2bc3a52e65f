package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.io.ExrImages;
import org.reconview.io.FloatImage;
import org.reconview.train.SyntheticSequences;

/** Empty and unknown values, and messages that name the right thing (one line, exit 2, before any work). */
class HostileArgumentsTest {
    @TempDir
    Path tmp;

    record R(int code, String out, String err) {
    }

    static R run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o), new PrintWriter(e), args);
        return new R(code, o.toString(), e.toString());
    }

    static void refused(String expected, String... args) {
        R r = run(args);
        assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
    }

    @Test
    void emptyAndUnknownValuesAreRefused() throws Exception {
        refused("empty path", "render", "--scene", "garden", "--size", "16x16", "--frames", "1", "--out=");
        refused("--scene: empty", "render", "--scene=", "--size", "16x16", "--frames", "1", "--out",
                tmp.resolve("a").toString());
        refused("option '--mode': unknown 'foo' (known: input, taa, unet", "view", "--mode", "foo");
        Path folder = Files.createDirectories(tmp.resolve("x.obj"));
        refused(folder + ": a folder, not a mesh file", "render", "--scene", folder.toString(), "--size", "16x16",
                "--frames", "1", "--out", tmp.resolve("b").toString());
    }

    @Test
    void messagesNameTheRightThing() throws Exception {
        Path seq = SyntheticSequences.write(tmp.resolve("s"), 16, 16, 3, 1);
        refused("--start: 99 is past the last frame of " + seq + " (2)", "eval", "--sequence", seq.toString(),
                "--start", "99", "--out", tmp.resolve("e").toString());
        long t0 = System.nanoTime();
        refused("/proc/x: cannot write", "eval", "--sequence", seq.toString(), "--out", "/proc/x");
        assertTrue(System.nanoTime() - t0 < 10e9, "refused before computing frames");
    }

    @Test
    void aWrongFieldTypeInSequenceJsonIsNamed() throws Exception {
        Path seq = SyntheticSequences.write(tmp.resolve("t"), 16, 16, 3, 1);
        String json = Files.readString(seq.resolve("sequence.json"));
        Files.writeString(seq.resolve("sequence.json"), json.replaceFirst("\"frames\": 3", "\"frames\": \"three\""));
        refused("sequence.json: field 'frames': \"three\" is not a number", "inspect", seq.toString());
        Files.writeString(seq.resolve("sequence.json"), json.replaceFirst("\"has_reference\": true",
                "\"has_reference\": [1]"));
        refused("field 'has_reference': [1] is not a valid boolean", "inspect", seq.toString());
    }

    @Test
    void metricsSaysWhenAnImageHasNaN() {
        FloatImage a = new FloatImage(16, 16, 4);
        FloatImage b = new FloatImage(16, 16, 4);
        java.util.Arrays.fill(a.data, 0.5f);
        java.util.Arrays.fill(b.data, 0.5f);
        a.data[5] = Float.NaN;
        a.data[9] = Float.POSITIVE_INFINITY;
        Path fa = tmp.resolve("a.exr");
        Path fb = tmp.resolve("b.exr");
        ExrImages.write(fa, a, "R", "G", "B", "A");
        ExrImages.write(fb, b, "R", "G", "B", "A");
        R r = run("metrics", fa.toString(), fb.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"nonfinite_image\":2") && r.out().contains("\"nonfinite_reference\":0"),
                r.out());
        assertTrue(r.err().contains(fa + ": 2 NaN/Inf values"), r.err());
    }
}
