package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.GlTest;
import org.reconview.io.ExrImages;
import org.reconview.io.FloatImage;
import org.reconview.io.ForeignFolders;
import org.reconview.io.SequenceFolder;
import org.reconview.io.SequenceInfo;

/**
 * {@code import} describes another renderer's folder (its own file names, sub-folders, layered and multipart EXR,
 * uv motion) so that it reads as the same frames as the same data in our layout, through inspect and eval too;
 * bad folders are one-line errors naming the file, and nothing is written then.
 */
class ImportCommandTest {
    static final int W = ForeignFolders.W, H = ForeignFolders.H, FRAMES = ForeignFolders.FRAMES;

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

    /** The import of {@link ForeignFolders#writeForeign}'s folder, with {@code extra} arguments appended. */
    static List<String> importArgs(Path dir, String... extra) {
        List<String> a = new ArrayList<>(List.of("import", dir.toString(),
                "--color", "render/beauty.####.exr", "--color-channels", "Color.R,Color.G,Color.B",
                "--motion", "aov.%04d.exr", "--motion-channels", "mvec/X,mvec/Y",
                "--motion-convention", "previous-to-current,uv",
                "--depth", "aov.%04d.exr", "--depth-channel", "depth/Z",
                "--reference", "ref/####.exr", "--reference-channels", "gt/R,gt/G,gt/B", "--fps", "24"));
        a.addAll(List.of(extra));
        return a;
    }

    static R run(List<String> args) {
        return run(args.toArray(String[]::new));
    }

    /** Exit 2, one line on stderr containing {@code expected}, and no sequence.json left behind. */
    static void refused(Path dir, String expected, List<String> args) {
        R r = run(args);
        assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertFalse(Files.exists(dir.resolve(SequenceInfo.FILE_NAME)), "nothing written");
    }

    @Test
    void anImportedFolderReadsAsTheSameFramesAsOurLayout() throws Exception {
        Path nat = ForeignFolders.writeNative(tmp.resolve("native"));
        Path foreign = tmp.resolve("foreign");
        ForeignFolders.writeForeign(foreign);
        R r = run(importArgs(foreign));
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains(FRAMES + " frames of " + W + "x" + H + " from render/beauty.0001.exr"), r.out());
        SequenceInfo info = SequenceInfo.read(foreign.resolve(SequenceInfo.FILE_NAME));
        assertEquals(24.0, info.fps);
        assertEquals(1, info.files.start, "numbered from the lowest file found");
        assertTrue(info.hasDepth && info.hasReference);
        assertEquals("uv", info.motion.units());
        ForeignFolders.assertSameFrames(nat, foreign);

        // inspect reads it (no GL), and sees what it sees in our layout.
        R a = run("inspect", "--json", nat.toString());
        R b = run("inspect", "--json", foreign.toString());
        assertEquals(0, b.code(), b.err());
        JsonObject ja = JsonParser.parseString(a.out()).getAsJsonObject();
        JsonObject jb = JsonParser.parseString(b.out()).getAsJsonObject();
        for (String k : List.of("width", "height", "frames", "has_depth", "has_reference", "max_motion_px",
                "color_min", "color_max", "cuts")) {
            assertEquals(ja.get(k), jb.get(k), k);
        }

        // A second import is refused unless --replace, which rewrites it.
        refusedKeeping(foreign, "sequence.json: already exists", importArgs(foreign));
        R again = run(importArgs(foreign, "--replace", "--frames", "2", "--start", "2"));
        assertEquals(0, again.code(), again.err());
        SequenceInfo two = SequenceInfo.read(foreign.resolve(SequenceInfo.FILE_NAME));
        assertEquals(2, two.frames);
        assertEquals(foreign.resolve("render/beauty.0002.exr"),
                SequenceFolder.open(foreign).file(0, SequenceFolder.COLOR));
        try (var files = Files.list(foreign)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp")), "no temporary files");
        }
    }

    private static void refusedKeeping(Path dir, String expected, List<String> args) {
        R r = run(args);
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(expected), r.err());
    }

    @Test
    void evalOfAnImportedFolderGivesOurLayoutsNumbers() throws Exception {
        Path nat = ForeignFolders.writeNative(tmp.resolve("native"));
        Path foreign = tmp.resolve("foreign");
        ForeignFolders.writeForeign(foreign);
        assertEquals(0, run(importArgs(foreign)).code());
        List<List<String>> csvs = new ArrayList<>();
        for (Path seq : List.of(nat, foreign)) {
            Path out = tmp.resolve("eval-" + seq.getFileName());
            R r = run("eval", "--sequence", seq.toString(), "--methods", "input,taa", "--metrics", "psnr,ssim",
                    "--warmup", "0", "--out", out.toString());
            GlTest.context();
            assertEquals(0, r.code(), r.err());
            csvs.add(Files.readAllLines(out.resolve("frames.csv")));
        }
        assertEquals(1 + 2 * FRAMES, csvs.get(0).size(), String.join("\n", csvs.get(0)));
        assertEquals(csvs.get(0), csvs.get(1), "the same numbers, frame by frame");
    }

    @Test
    void badFoldersAreOneLineErrorsNamingTheFile() throws Exception {
        Path dir = tmp.resolve("bad");
        ForeignFolders.writeForeign(dir);
        // A missing frame in the middle (with --frames, every frame must be there).
        Files.delete(dir.resolve("aov.0002.exr"));
        refused(dir, dir.resolve("aov.0002.exr") + ": not found", importArgs(dir, "--frames", "3"));
        ForeignFolders.writeForeign(dir);
        // A frame of another size.
        Path beauty3 = dir.resolve("render/beauty.0003.exr");
        ExrImages.write(beauty3, new FloatImage(W, H + 1, 3), "Color.R", "Color.G", "Color.B");
        refused(dir, beauty3 + ": size " + W + "x" + (H + 1) + ", expected " + W + "x" + H, importArgs(dir));
        ForeignFolders.writeForeign(dir);
        // A channel the files do not have: the ones they do have are listed.
        List<String> args = importArgs(dir);
        args.set(args.indexOf("mvec/X,mvec/Y"), "mvec/X,mvec/W");
        refused(dir, dir.resolve("aov.0001.exr") + ": missing channel 'mvec/W' (has mvec/X, mvec/Y, depth/Z)", args);
        args.set(args.indexOf("mvec/X,mvec/W"), "mv/X,mv/Y");
        refused(dir, "missing part 'mv' for channel 'mv/X' (has parts mvec, depth;", args);
        // Motion in the wrong units: uv values read as ndc scaled by 16 move most pixels farther than the frame.
        args = importArgs(dir);
        args.set(args.indexOf("previous-to-current,uv"), "units=ndc,scale=16");
        refused(dir, dir.resolve("aov.0001.exr") + ": motion implausible:", args);
        // Colour of the wrong sort (not an EXR).
        Files.writeString(dir.resolve("render/beauty.0002.exr"), "not an exr at all");
        refused(dir, dir.resolve("render/beauty.0002.exr") + ": not an OpenEXR file", importArgs(dir));
        ForeignFolders.writeForeign(dir);
        // Arguments: a pattern without a number, a convention it does not know, channel counts, no files.
        args = importArgs(dir);
        args.set(args.indexOf("render/beauty.####.exr"), "render/beauty.exr");
        refused(dir, "--color: pattern 'render/beauty.exr' has no frame number", args);
        args = importArgs(dir);
        args.set(args.indexOf("previous-to-current,uv"), "sideways");
        refused(dir, "--motion-convention: unknown 'sideways'", args);
        args = importArgs(dir);
        args.set(args.indexOf("previous-to-current,uv"), "units=furlongs");
        refused(dir, "--motion-convention: motion.units 'furlongs' unknown (pixels, ndc, uv)", args);
        args = importArgs(dir);
        args.set(args.indexOf("Color.R,Color.G,Color.B"), "Color.R,Color.G");
        refused(dir, "--color-channels: 2 names, expected R,G,B or R,G,B,A", args);
        args = importArgs(dir);
        args.set(args.indexOf("render/beauty.####.exr"), "render/color.####.exr");
        refused(dir, dir + ": no file matches --color 'render/color.####.exr'", args);
        refused(dir, dir.resolve("render/beauty.0009.exr") + ": not found", importArgs(dir, "--start", "9"));
        args = importArgs(dir);
        args.set(args.indexOf("24"), "0");
        refused(dir, "--fps: 0.0 must be in (0, 1000]", args);
        refused(tmp.resolve("nowhere"), tmp.resolve("nowhere") + ": not found", importArgs(tmp.resolve("nowhere")));
        // After all that, the folder imports.
        assertEquals(0, run(importArgs(dir)).code());
    }

    @Test
    void tinyMotionIsAWarningNotAnError() throws Exception {
        Path dir = tmp.resolve("tiny");
        ForeignFolders.writeForeign(dir);
        List<String> args = importArgs(dir);
        // uv values read as pixels: every vector under 0.05 px.
        args.set(args.indexOf("previous-to-current,uv"), "previous-to-current,scale=0.01");
        R r = run(args);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("are these ndc or uv units?"), r.err());
        assertTrue(r.err().contains(dir.resolve("aov.0001.exr").toString()), r.err());
    }
}
