package org.reconview.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.UserException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.reconview.io.ExrImagesTest.assertBitExact;
import static org.reconview.io.ExrImagesTest.random;

/**
 * Frame-number patterns and sequence.json's {@code files}: native folders keep their exact JSON and file names;
 * a folder of another renderer's files (its own names, sub-folders, layered and multipart channels, uv motion)
 * reads through {@link SequenceFolder} to the same frames as the same data in our layout.
 */
class ForeignSequenceTest {
    static final int W = ForeignFolders.W, H = ForeignFolders.H, FRAMES = ForeignFolders.FRAMES;

    @TempDir
    Path tmp;

    @Test
    void patternsFormatAndRefuse() {
        assertEquals("beauty.0007.exr", FramePattern.parse("p", "beauty.####.exr").format(7));
        assertEquals("beauty.12345.exr", FramePattern.parse("p", "beauty.####.exr").format(12345));
        assertEquals("0042.color.exr", FramePattern.parse("p", "%04d.color.exr").format(42));
        assertEquals("aov/mv_9.exr", FramePattern.parse("p", "aov/mv_%d.exr").format(9));
        assertEquals("f00003/c.exr", FramePattern.parse("p", "f#####/c.exr").format(3));
        String[][] bad = {
            {"beauty.exr", "has no frame number"},
            {"a.####.%04d.exr", "more than one frame number"},
            {"a.##.b.##.exr", "more than one frame number"},
            {"a%.%04d.exr", "a '%' that is not %d or %0Nd"},
            {"a.%4d.exr", "a '%' that is not %d or %0Nd"},
            {"/abs/####.exr", "is absolute"},
            {"../other/####.exr", "leaves the sequence folder"},
            {"x/../../####.exr", "leaves the sequence folder"},
        };
        for (String[] b : bad) {
            UserException e = assertThrows(UserException.class, () -> FramePattern.parse("--color", b[0]), b[0]);
            assertTrue(e.getMessage().startsWith("--color: pattern '" + b[0] + "' "), e.getMessage());
            assertTrue(e.getMessage().contains(b[1]), e.getMessage());
        }
    }

    @Test
    void numbersInAFolderAreFound() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("n"));
        for (String name : List.of("beauty.0003.exr", "beauty.0004.exr", "beauty.0010.exr", "beauty.00011.exr",
                "beauty.0005.exr.bak", "other.0001.exr")) {
            Files.writeString(dir.resolve(name), "x");
        }
        assertEquals(List.of(3L, 4L, 10L), FramePattern.parse("p", "beauty.####.exr").numbersIn(dir));
        assertEquals(List.of(), FramePattern.parse("p", "missing/beauty.####.exr").numbersIn(dir));
    }

    @Test
    void aNativeSequenceJsonIsWrittenExactlyAsBefore() throws Exception {
        SequenceInfo info = SequenceInfoTest.sample();
        Path json = tmp.resolve("sequence.json");
        info.write(json);
        String text = Files.readString(json);
        assertFalse(text.contains("\"files\""), text);
        SequenceInfo back = SequenceInfo.read(json);
        assertNull(back.files);
        back.write(json);
        assertEquals(text, Files.readString(json), "read + write keeps every byte");
        // The layout of a minimal native file, key by key (a new field must not appear in native files).
        SequenceInfo min = new SequenceInfo(8, 4, 2);
        assertEquals("{\n  \"format\": \"reconview-sequence/1\",\n  \"width\": 8,\n  \"height\": 4,\n"
                + "  \"frames\": 2,\n  \"fps\": 30.0,\n  \"seed\": 0,\n  \"spp\": 0,\n  \"jitter_period\": 0,\n"
                + "  \"jitter\": [],\n  \"cuts\": [0],\n  \"motion\": {\n    \"direction\": \"current-to-previous\",\n"
                + "    \"units\": \"pixels\",\n    \"y\": \"down\",\n    \"scale\": 1.0\n  },\n"
                + "  \"color_space\": \"linear\",\n  \"has_reference\": false,\n  \"has_depth\": false\n}",
                min.toJson());
        assertEquals("0001.reference.exr", min.fileName(1, SequenceFolder.REFERENCE));
    }

    @Test
    void filesRoundTripAndAreValidated() throws Exception {
        SequenceInfo info = new SequenceInfo(W, H, FRAMES);
        info.files = new SequenceInfo.FileLayout();
        info.files.start = 1;
        info.files.color = new SequenceInfo.FileSpec("render/beauty.####.exr", List.of("Color.R", "Color.G",
                "Color.B"));
        info.files.motion = new SequenceInfo.FileSpec("mv.%04d.exr", List.of("mvec/X", "mvec/Y"));
        Path json = tmp.resolve("sequence.json");
        info.write(json);
        String text = Files.readString(json);
        assertTrue(text.contains("\"pattern\": \"render/beauty.####.exr\""), text);
        SequenceInfo back = SequenceInfo.read(json);
        assertEquals("render/beauty.0003.exr", back.fileName(2, SequenceFolder.COLOR));
        assertEquals("mv.0001.exr", back.fileName(0, SequenceFolder.MOTION));
        assertEquals("0002.depth.exr", back.fileName(1, SequenceFolder.DEPTH), "no pattern: ours, numbered from start");
        assertEquals(List.of("mvec/X", "mvec/Y"), back.channels(SequenceFolder.MOTION));
        assertNull(back.channels(SequenceFolder.REFERENCE));

        String[][] bad = {
            {"\"color\": {\"pattern\": \"beauty.exr\"}", "files.color: pattern 'beauty.exr' has no frame number"},
            {"\"motion\": {\"channels\": [\"X\"]}", "files.motion.channels has 1 names, expected 2 (x, y)"},
            {"\"color\": {\"channels\": [\"R\", \"G\"]}", "files.color.channels has 2 names, expected 3"},
            {"\"depth\": {\"channels\": [\"Z\", \"Z\"]}", "files.depth.channels has 2 names, expected 1"},
            {"\"reference\": {\"channels\": [\"R\", \"R\", \"B\"]}", "files.reference.channels names 'R' twice"},
            {"\"start\": -1", "files.start -1 must be in 0.."},
            {"\"color\": {\"pattern\": \"../x.####.exr\"}", "leaves the sequence folder"},
        };
        for (String[] b : bad) {
            Files.writeString(json, "{\"width\": 8, \"height\": 4, \"frames\": 2, \"files\": {" + b[0] + "}}");
            UserException e = assertThrows(UserException.class, () -> SequenceInfo.read(json), b[0]);
            assertTrue(e.getMessage().startsWith(json + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(b[1]), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        Files.writeString(json, "{\"width\": 8, \"height\": 4, \"frames\": 2, \"files\": 3}");
        UserException e = assertThrows(UserException.class, () -> SequenceInfo.read(json));
        assertTrue(e.getMessage().contains("field 'files': 3 is not a valid"), e.getMessage());
    }

    @Test
    void aForeignFolderReadsAsTheSameFramesAsOurLayout() throws Exception {
        Path nat = ForeignFolders.writeNative(tmp.resolve("native"));
        Path foreign = tmp.resolve("foreign");
        ForeignFolders.writeForeign(foreign);
        SequenceInfo info = new SequenceInfo(W, H, FRAMES);
        info.hasDepth = true;
        info.hasReference = true;
        info.motion = new MotionConvention("previous-to-current", "uv", "down", 1f);
        info.files = new SequenceInfo.FileLayout();
        info.files.start = 1;
        info.files.color = new SequenceInfo.FileSpec("render/beauty.####.exr", List.of("Color.R", "Color.G",
                "Color.B"));
        info.files.motion = new SequenceInfo.FileSpec("aov.%04d.exr", List.of("mvec/X", "mvec/Y"));
        info.files.depth = new SequenceInfo.FileSpec("aov.%04d.exr", List.of("depth/Z"));
        info.files.reference = new SequenceInfo.FileSpec("ref/####.exr", List.of("gt/R", "gt/G", "gt/B"));
        SequenceFolder described = SequenceFolder.describe(foreign, info);
        assertEquals(foreign.resolve("render/beauty.0002.exr"), described.file(1, SequenceFolder.COLOR));
        for (int i = 0; i < FRAMES; i++) {
            described.checkHeaders(i);
        }
        info.write(foreign.resolve(SequenceInfo.FILE_NAME));
        ForeignFolders.assertSameFrames(nat, foreign);

        // Colour without its alpha layer: A = 1, as in our layout.
        FloatImage color1 = ForeignFolders.frame(1).color();
        ExrImages.write(foreign.resolve("render/beauty.0002.exr"), pickRgb(color1), "Color.R", "Color.G", "Color.B");
        FrameImages f = SequenceFolder.open(foreign).read(1);
        for (int p = 0; p < W * H; p++) {
            assertEquals(1f, f.color().data[4 * p + 3]);
            assertEquals(color1.data[4 * p + 2], f.color().data[4 * p + 2]);
        }
    }

    private static FloatImage pickRgb(FloatImage rgba) {
        return ExrPartsTest.pick(rgba, 0, 3);
    }

    @Test
    void headerChecksNameTheFile() throws Exception {
        Path foreign = tmp.resolve("f");
        ForeignFolders.writeForeign(foreign);
        SequenceInfo info = new SequenceInfo(W, H, FRAMES);
        info.files = new SequenceInfo.FileLayout();
        info.files.start = 1;
        info.files.color = new SequenceInfo.FileSpec("render/beauty.####.exr", List.of("Color.R", "Color.G",
                "Color.B"));
        info.files.motion = new SequenceInfo.FileSpec("aov.%04d.exr", List.of("mvec/X", "mvec/V"));
        SequenceFolder folder = SequenceFolder.describe(foreign, info);
        Path mv = foreign.resolve("aov.0001.exr");
        UserException e = assertThrows(UserException.class, () -> folder.checkHeaders(0));
        assertEquals(mv + ": missing channel 'mvec/V' (has mvec/X, mvec/Y, depth/Z)", e.getMessage());

        info.files.motion.channels = List.of("mvec/X", "mvec/Y");
        ExrImages.write(foreign.resolve("render/beauty.0003.exr"), random(W, H + 1, 3, 1), "Color.R", "Color.G",
                "Color.B");
        SequenceFolder again = SequenceFolder.describe(foreign, info);
        again.checkHeaders(0);
        e = assertThrows(UserException.class, () -> again.checkHeaders(2));
        assertEquals(foreign.resolve("render/beauty.0003.exr") + ": size " + W + "x" + (H + 1) + ", expected " + W + "x"
                + H, e.getMessage());
    }
}
