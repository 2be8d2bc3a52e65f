package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lwjgl.glfw.GLFW;
import org.reconview.GlTest;
import org.reconview.io.ExrImages;
import org.reconview.io.FloatImage;
import org.reconview.io.FrameImages;
import org.reconview.io.SequenceInfo;
import org.reconview.io.SequenceWriter;
import org.reconview.scene.Halton;

/**
 * User mistakes on the command line end with exit code 2 and exactly one line on stderr naming the argument or file
 * and the problem (no stack trace); {@code inspect} reads good and bad sequence folders without GL.
 */
class BadInputTest {
    static final int W = 32, H = 32, FRAMES = 3;
    /** The largest motion vector written by {@link #writeSequence}: (3, -4) at pixel (5, 7) of frame 2. */
    static final float MAX_MOTION = 5f;

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
        List<String> errLines() {
            return Arrays.stream(err.split("\\R")).filter(l -> !l.isBlank()).toList();
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Exit code 2, one non-empty line on stderr without a stack trace, containing every fragment. */
    static String assertUserError(Result r, String... fragments) {
        assertEquals(2, r.code(), () -> "exit code; stderr: " + r.err() + " stdout: " + r.out());
        List<String> lines = r.errLines();
        assertEquals(1, lines.size(), () -> "expected one line on stderr, got:\n" + r.err());
        String line = lines.get(0);
        assertFalse(r.err().lines().anyMatch(l -> l.startsWith("\tat ") || l.contains("Exception")),
                () -> "stack trace or exception name on stderr:\n" + r.err());
        for (String f : fragments) {
            assertTrue(line.contains(f), () -> "'" + f + "' missing from: " + line);
        }
        return line;
    }

    // ---- render ----

    private String[] render(String scene, String size, String frames, Path out) {
        return new String[] {"render", "--scene", scene, "--size", size, "--frames", frames, "--spp", "0", "--out",
            out.toString()};
    }

    @Test
    void unknownSceneNamesItAndListsTheKnownOnes() {
        String line = assertUserError(run(render("nosuchscene", "64x64", "1", tmp.resolve("o"))),
                "'nosuchscene'", "courtyard", "garden");
        assertTrue(line.startsWith("reconview: --scene"), line);
        assertFalse(Files.exists(tmp.resolve("o")), "nothing written for a bad scene");
    }

    @Test
    void badSizeNamesOptionAndValue() {
        assertUserError(run(render("courtyard", "64by64", "1", tmp.resolve("o"))), "--size", "64by64");
    }

    @Test
    void outputUnderARegularFileCannotBeWrittenAndFailsBeforeGl() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain.txt"), "not a folder");
        Path out = file.resolve("seq");
        // With a display, hold the shared context: a render that got as far as creating (and closing) its own GL
        // context would leave no context current. Without one, GL work would fail with an "OpenGL:" message instead.
        long held = System.getenv("DISPLAY") != null ? GlTest.context().window() : 0L;
        String line = assertUserError(run(render("courtyard", "64x64", "1", out)), out.toString(), "cannot write");
        assertFalse(line.contains("OpenGL"), line);
        if (held != 0L) {
            assertEquals(held, GLFW.glfwGetCurrentContext(), "render created a GL context before checking --out");
        }
    }

    @Test
    void missingMeshFileIsNotFound() {
        assertUserError(run(render("missing/model.obj", "64x64", "1", tmp.resolve("o"))),
                "missing/model.obj: not found");
    }

    @Test
    void zeroFramesNamesTheOption() {
        assertUserError(run(render("courtyard", "64x64", "0", tmp.resolve("o"))), "--frames", "0", "at least 1");
    }

    @Test
    void nonNumericFramesIsAParameterError() {
        assertUserError(run(render("courtyard", "64x64", "many", tmp.resolve("o"))), "--frames", "many");
    }

    // ---- inspect: synthetic sequences, no GL ----

    static FloatImage color(int frame) {
        FloatImage img = new FloatImage(W, H, 4);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                img.set(x, y, 0, 0.01f * x + frame);
                img.set(x, y, 1, 0.02f * y);
                img.set(x, y, 2, 0.5f);
                img.set(x, y, 3, 1f);
            }
        }
        return img;
    }

    static FloatImage motion(int frame) {
        FloatImage img = new FloatImage(W, H, 2);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                img.set(x, y, 0, ((x * 7 + y * 3 + frame) % 11) / 10f - 0.5f);
                img.set(x, y, 1, ((x * 5 + y + frame) % 13) / 12f - 0.5f);
            }
        }
        if (frame == 2) {
            img.set(5, 7, 0, 3f);
            img.set(5, 7, 1, -4f);
        }
        return img;
    }

    /** A clean 32x32, 3-frame sequence with references, no depth, Halton jitter, cuts at 0 and 2. */
    Path writeSequence(String name) {
        Path dir = tmp.resolve(name);
        SequenceInfo info = new SequenceInfo(W, H, FRAMES);
        info.scene = "synthetic";
        info.source = "BadInputTest";
        info.hasReference = true;
        info.spp = 8;
        SequenceWriter w = SequenceWriter.create(dir, info);
        for (int i = 0; i < FRAMES; i++) {
            float[] j = Halton.jitter(i, 16);
            w.write(new FrameImages(i, color(i), motion(i), null, color(i), j[0], j[1], i == 2));
        }
        w.finish();
        return dir;
    }

    @Test
    void inspectCleanSequenceJson() {
        Path dir = writeSequence("clean");
        Result r = run("inspect", "--json", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(W, o.get("width").getAsInt());
        assertEquals(H, o.get("height").getAsInt());
        assertEquals(FRAMES, o.get("frames").getAsInt());
        assertEquals(30.0, o.get("fps").getAsDouble());
        assertEquals(dir.toAbsolutePath().normalize().toString(), o.get("dir").getAsString());
        assertFalse(o.get("has_depth").getAsBoolean());
        assertTrue(o.get("has_reference").getAsBoolean());
        assertEquals(MAX_MOTION, o.get("max_motion_px").getAsFloat(), 1e-6f);
        assertEquals(0f, o.get("color_min").getAsFloat(), 0f); // G at y = 0
        assertEquals(0.01f * (W - 1) + 2, o.get("color_max").getAsFloat(), 1e-6f); // R of frame 2 at x = W-1
        assertEquals(0, o.get("nonfinite_frames").getAsInt());
        assertEquals("[0,2]", o.get("cuts").toString());
        float[] j0 = Halton.jitter(0, 16), j1 = Halton.jitter(1, 16), j2 = Halton.jitter(2, 16);
        assertEquals(Math.min(j0[0], Math.min(j1[0], j2[0])), o.getAsJsonArray("jitter_min").get(0).getAsFloat());
        assertEquals(Math.max(j0[1], Math.max(j1[1], j2[1])), o.getAsJsonArray("jitter_max").get(1).getAsFloat());
        assertEquals("synthetic", o.get("scene").getAsString());
    }

    @Test
    void inspectCleanSequenceSummary() {
        Path dir = writeSequence("clean");
        Result r = run("inspect", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        String out = r.out();
        assertTrue(out.contains("32x32, 3 frames at 30 fps"), out);
        assertTrue(out.contains("synthetic"), out);
        assertTrue(out.contains("color, motion, reference"), out);
        assertTrue(out.contains("max motion:  5 px"), out);
        assertTrue(out.contains("cuts:        0, 2"), out);
        assertTrue(out.contains("current-to-previous, pixels, y down"), out);
    }

    @Test
    void inspectMissingFolder() {
        Path dir = tmp.resolve("nosuchfolder");
        assertUserError(run("inspect", dir.toString()), "nosuchfolder", "not found");
    }

    @Test
    void inspectFolderWithoutSequenceJson() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        assertUserError(run("inspect", dir.toString()), dir.resolve("sequence.json").toString(), "not found");
    }

    @Test
    void inspectTruncatedColor() throws IOException {
        Path dir = writeSequence("truncated");
        Path file = dir.resolve("0001.color.exr");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        String line = assertUserError(run("inspect", dir.toString()), file.toString() + ": ");
        assertTrue(line.contains("truncated") || line.contains("corrupt") || line.contains("cannot decode"), line);
    }

    @Test
    void inspectFrameOfWrongSize() {
        Path dir = writeSequence("size");
        Path file = dir.resolve("0001.motion.exr");
        ExrImages.write(file, new FloatImage(32, 16, 2), "R", "G");
        assertUserError(run("inspect", dir.toString()), file + ": size 32x16, expected 32x32");
    }

    @Test
    void inspectMissingChannel() {
        Path dir = writeSequence("channel");
        Path file = dir.resolve("0002.motion.exr");
        ExrImages.write(file, new FloatImage(W, H, 1), "R");
        assertUserError(run("inspect", dir.toString()), file + ": missing channel 'G'", "(has R)");
    }

    @Test
    void inspectMissingMotionFile() throws IOException {
        Path dir = writeSequence("nomotion");
        Path file = dir.resolve("0001.motion.exr");
        Files.delete(file);
        assertUserError(run("inspect", dir.toString()), file + ": not found");
    }

    @Test
    void inspectMissingReferenceThatJsonPromises() throws IOException {
        Path dir = writeSequence("noref");
        Path file = dir.resolve("0000.reference.exr");
        Files.delete(file);
        assertUserError(run("inspect", dir.toString()), file + ": not found");
    }

    @Test
    void inspectMalformedJson() throws IOException {
        Path dir = writeSequence("badjson");
        Path json = dir.resolve("sequence.json");
        Files.writeString(json, "{\"width\": 32, \"height\": 32, \"frames\": ");
        assertUserError(run("inspect", dir.toString()), json + ": malformed JSON");
    }

    @Test
    void inspectJsonWithBadField() throws IOException {
        Path dir = writeSequence("badfield");
        Path json = dir.resolve("sequence.json");
        Files.writeString(json, Files.readString(json).replace("\"frames\": 3", "\"frames\": -1"));
        assertUserError(run("inspect", dir.toString()), json + ": frames -1 must be > 0");
    }

    @Test
    void inspectNanAndInfAreWarningsNotErrors() {
        Path dir = tmp.resolve("nan");
        SequenceInfo info = new SequenceInfo(W, H, FRAMES);
        SequenceWriter w = SequenceWriter.create(dir, info);
        for (int i = 0; i < FRAMES; i++) {
            FloatImage c = color(i);
            if (i == 1) {
                c.set(0, 0, 0, Float.NaN);
                c.set(3, 4, 1, Float.NaN);
                c.set(9, 9, 2, Float.POSITIVE_INFINITY);
            }
            w.write(new FrameImages(i, c, motion(i), null, null, 0f, 0f, false));
        }
        w.finish();

        Result r = run("inspect", "--json", dir.toString());
        assertEquals(0, r.code(), r.err());
        List<String> warnings = r.errLines();
        assertEquals(1, warnings.size(), r.err());
        String line = warnings.get(0);
        assertTrue(line.contains("0001.color.exr"), line);
        assertTrue(line.contains("frame 1 has 3 NaN/Inf"), line);
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(1, o.get("nonfinite_frames").getAsInt());
        assertTrue(Float.isFinite(o.get("color_max").getAsFloat()));
        assertEquals(0.01f * (W - 1) + 2, o.get("color_max").getAsFloat(), 1e-6f, "+Inf was replaced by 0");
        assertTrue(o.get("jitter_min").isJsonNull(), "no jitter written");

        Result text = run("inspect", dir.toString());
        assertEquals(0, text.code());
        assertTrue(text.out().contains("non-finite:  1 frame with NaN/Inf"), text.out());
    }
}
