package org.reconview.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.UserException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SequenceFolderTest {
    static final int W = 11, H = 7;

    @TempDir
    Path tmp;

    static SequenceInfo info(boolean depth, boolean reference) {
        SequenceInfo info = new SequenceInfo(W, H, 3);
        info.scene = "test";
        info.hasDepth = depth;
        info.hasReference = reference;
        info.spp = reference ? 16 : 0;
        return info;
    }

    static FrameImages frame(int i, boolean depth, boolean reference) {
        return new FrameImages(i, ExrImagesTest.random(W, H, 4, 10 + i), ExrImagesTest.random(W, H, 2, 20 + i),
                depth ? ExrImagesTest.random(W, H, 1, 30 + i) : null,
                reference ? ExrImagesTest.random(W, H, 4, 40 + i) : null,
                0.125f * i - 0.25f, 0.5f - 0.25f * i, i == 2);
    }

    private Path writeSequence(boolean depth, boolean reference) {
        Path dir = tmp.resolve("seq").resolve("a");
        SequenceWriter w = SequenceWriter.create(dir, info(depth, reference));
        for (int i = 0; i < 3; i++) {
            w.write(frame(i, depth, reference));
        }
        assertFalse(Files.exists(dir.resolve("sequence.json")), "json must come last");
        w.finish();
        return dir;
    }

    @Test
    void writeThenReadBack() {
        Path dir = writeSequence(true, true);
        assertTrue(Files.exists(dir.resolve("0000.color.exr")));
        assertTrue(Files.exists(dir.resolve("0002.reference.exr")));
        SequenceFolder folder = SequenceFolder.open(dir);
        List<String> warnings = new ArrayList<>();
        folder.setWarnings(warnings::add);
        assertEquals(3, folder.info().frames);
        assertEquals(dir, folder.dir());
        for (int i = 0; i < 3; i++) {
            FrameImages expected = frame(i, true, true);
            FrameImages got = folder.read(i);
            assertEquals(i, got.index());
            assertArrayEquals(expected.color().data, got.color().data);
            assertArrayEquals(expected.motion().data, got.motion().data);
            assertArrayEquals(expected.depth().data, got.depth().data);
            assertArrayEquals(expected.reference().data, got.reference().data);
            assertEquals(expected.jitterX(), got.jitterX());
            assertEquals(expected.jitterY(), got.jitterY());
            assertEquals(i == 0 || i == 2, got.cut(), "cut " + i);
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void optionalFilesAbsentAndAlphaDefaultsToOne() {
        Path dir = writeSequence(false, false);
        // Replace frame 1's color with an RGB-only file: A must read as 1.
        FloatImage rgb = ExrImagesTest.random(W, H, 3, 5);
        ExrImages.write(dir.resolve("0001.color.exr"), rgb, "R", "G", "B");
        SequenceFolder folder = SequenceFolder.open(dir);
        FrameImages f = folder.read(1);
        assertNull(f.depth());
        assertNull(f.reference());
        assertEquals(4, f.color().channels);
        for (int p = 0; p < W * H; p++) {
            assertEquals(rgb.data[p * 3 + 1], f.color().data[p * 4 + 1]);
            assertEquals(1f, f.color().data[p * 4 + 3]);
        }
    }

    @Test
    void fileNames() {
        assertEquals("0007.color.exr", SequenceFolder.fileName(7, "color"));
        assertEquals("12345.motion.exr", SequenceFolder.fileName(12345, "motion"));
    }

    @Test
    void motionIsConvertedToCanonical() throws Exception {
        Path dir = writeSequence(false, false);
        SequenceInfo info = SequenceInfo.read(dir.resolve("sequence.json"));
        info.motion = new MotionConvention("previous-to-current", "uv", "down", 1f);
        info.write(dir.resolve("sequence.json"));
        FloatImage stored = ExrImages.read(dir.resolve("0001.motion.exr"), "R", "G");
        FrameImages f = SequenceFolder.open(dir).read(1);
        assertEquals(-stored.get(3, 2, 0) * W, f.motion().get(3, 2, 0), 1e-3f);
        assertEquals(-stored.get(3, 2, 1) * H, f.motion().get(3, 2, 1), 1e-3f);
    }

    @Test
    void wrongSize() {
        Path dir = writeSequence(false, false);
        Path file = dir.resolve("0001.motion.exr");
        ExrImages.write(file, new FloatImage(W, H + 1, 2), "R", "G");
        UserException e = assertThrows(UserException.class, () -> SequenceFolder.open(dir).read(1));
        assertEquals(file + ": size " + W + "x" + (H + 1) + ", expected " + W + "x" + H, e.getMessage());
    }

    @Test
    void missingMotionFile() throws Exception {
        Path dir = writeSequence(false, false);
        Path file = dir.resolve("0002.motion.exr");
        Files.delete(file);
        SequenceFolder folder = SequenceFolder.open(dir);
        folder.read(1);
        UserException e = assertThrows(UserException.class, () -> folder.read(2));
        assertEquals(file + ": not found", e.getMessage());
    }

    @Test
    void declaredDepthMissing() throws Exception {
        Path dir = writeSequence(true, false);
        Path file = dir.resolve("0000.depth.exr");
        Files.delete(file);
        UserException e = assertThrows(UserException.class, () -> SequenceFolder.open(dir).read(0));
        assertEquals(file + ": not found", e.getMessage());
    }

    @Test
    void nanIsReportedAndReplaced() {
        Path dir = writeSequence(false, false);
        FloatImage color = ExrImagesTest.random(W, H, 4, 77);
        color.set(1, 1, 0, Float.NaN);
        color.set(2, 3, 2, Float.POSITIVE_INFINITY);
        color.set(4, 5, 3, Float.NaN);
        Path file = dir.resolve("0001.color.exr");
        ExrImages.write(file, color, "R", "G", "B", "A");
        SequenceFolder folder = SequenceFolder.open(dir);
        List<String> warnings = new ArrayList<>();
        folder.setWarnings(warnings::add);
        FrameImages f = folder.read(1);
        assertEquals(List.of(file + ": frame 1 has 3 NaN/Inf values (replaced by 0)"), warnings);
        assertEquals(0f, f.color().get(1, 1, 0));
        assertEquals(0f, f.color().get(2, 3, 2));
        assertEquals(0, f.color().countNonFinite());
        assertEquals(color.get(0, 0, 0), f.color().get(0, 0, 0));
    }

    @Test
    void indexOutOfRange() {
        Path dir = writeSequence(false, false);
        SequenceFolder folder = SequenceFolder.open(dir);
        assertThrows(UserException.class, () -> folder.read(3));
        assertThrows(UserException.class, () -> folder.read(-1));
    }

    @Test
    void notAFolderAndUnfinished() throws Exception {
        Path missing = tmp.resolve("missing");
        UserException e = assertThrows(UserException.class, () -> SequenceFolder.open(missing));
        assertEquals(missing + ": not found", e.getMessage());
        Path file = tmp.resolve("file.txt");
        Files.writeString(file, "x");
        e = assertThrows(UserException.class, () -> SequenceFolder.open(file));
        assertEquals(file + ": not a folder", e.getMessage());
        Path unfinished = Files.createDirectory(tmp.resolve("unfinished"));
        e = assertThrows(UserException.class, () -> SequenceFolder.open(unfinished));
        assertEquals(unfinished.resolve("sequence.json") + ": not found", e.getMessage());
    }

    @Test
    void unwritableOutputFolder() throws Exception {
        Path file = tmp.resolve("regular-file");
        Files.writeString(file, "x");
        Path dir = file.resolve("out");
        UserException e = assertThrows(UserException.class, () -> SequenceWriter.create(dir, info(false, false)));
        assertTrue(e.getMessage().startsWith(dir + ": cannot write ("), e.getMessage());
        e = assertThrows(UserException.class, () -> SequenceWriter.create(file, info(false, false)));
        assertTrue(e.getMessage().startsWith(file + ": cannot write ("), e.getMessage());
    }

    @Test
    void finishNeedsEveryFrame() {
        SequenceWriter w = SequenceWriter.create(tmp.resolve("partial"), info(false, false));
        w.write(frame(0, false, false));
        assertThrows(IllegalStateException.class, w::finish);
        assertThrows(IllegalArgumentException.class, () -> w.write(frame(1, true, false)));
    }
}
