package org.reconview.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reconview.GlTest;
import org.reconview.io.SequenceWriter;
import org.reconview.scene.builtin.BuiltinScenes;
import org.reconview.source.LiveFrameSource;

/** render --resume keeps the whole frames of an interrupted render of the same settings, and only those. */
class RenderResumeTest {
    static final String[] SETTINGS = {"--scene", "courtyard", "--size", "24x16", "--frames", "3", "--spp", "2"};

    @BeforeAll
    static void gl() {
        GlTest.context();
    }

    /** What an interrupted render leaves: its settings file and frame 0, no sequence.json. */
    static void interruptedAfterFrameZero(Path dir) {
        var scene = BuiltinScenes.build("courtyard", 0);
        SequenceWriter writer = SequenceWriter.create(dir,
                RenderCommand.describe(scene, new Size(24, 16), 3, 2, 0, 16));
        try (LiveFrameSource s = new LiveFrameSource(scene, 24, 16, 2, 16)) {
            writer.write(s.frame(0).download());
        }
    }

    @Test
    void resumesToTheSameFilesAsAnUninterruptedRender(@TempDir Path tmp) throws Exception {
        Path full = tmp.resolve("full");
        Path resumed = tmp.resolve("resumed");
        assertEquals(0, render(full, SETTINGS));
        interruptedAfterFrameZero(resumed);
        assertFalse(Files.exists(resumed.resolve("sequence.json")));
        long kept = Files.getLastModifiedTime(resumed.resolve("0000.color.exr")).toMillis();
        Thread.sleep(20);
        StringWriter out = new StringWriter();
        assertEquals(0, render(resumed, out, with(SETTINGS, "--resume")));
        assertTrue(out.toString().contains("kept 1 frames"), out::toString);
        assertEquals(kept, Files.getLastModifiedTime(resumed.resolve("0000.color.exr")).toMillis(),
                "frame 0 was kept, not rendered again");
        assertFalse(Files.exists(resumed.resolve(".sequence.partial.json")), "finished: no partial settings left");
        try (var files = Files.list(full)) {
            for (Path f : files.toList()) {
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(resumed.resolve(f.getFileName())),
                        f.getFileName().toString());
            }
        }
    }

    @Test
    void withReplaceEverythingIsRenderedAgainAndWithoutEitherTheFolderIsRefused(@TempDir Path tmp) throws Exception {
        interruptedAfterFrameZero(tmp);
        StringWriter out = new StringWriter();
        assertEquals(2, render(tmp, out, SETTINGS), "a folder holding another sequence is refused");
        assertEquals(0, render(tmp, out, with(SETTINGS, "--replace")));
        assertFalse(out.toString().contains("kept"), out::toString);
        // A longer sequence replaced by a shorter one leaves none of its extra frames behind.
        Path longer = tmp.resolve("longer");
        assertEquals(0, render(longer, "--scene", "courtyard", "--size", "24x16", "--frames", "5", "--spp", "2"));
        assertEquals(0, render(longer, with(SETTINGS, "--replace")));
        assertFalse(Files.exists(longer.resolve("0004.color.exr")), "old frames removed");
        assertEquals(3 * 4 + 1, DatasetTiny.files(longer).size(), "3 frames of 4 files and sequence.json");
    }

    @Test
    void resumeChecksWhatItKeepsAndRemovesStaleTemporaries(@TempDir Path tmp) throws Exception {
        Path full = tmp.resolve("full");
        Path planted = tmp.resolve("planted");
        assertEquals(0, render(full, SETTINGS));
        interruptedAfterFrameZero(planted);
        // Frame 1 left truncated by something other than our writer, and a crashed write's temporary file.
        byte[] whole = Files.readAllBytes(full.resolve("0001.reference.exr"));
        Files.write(planted.resolve("0001.reference.exr"), Arrays.copyOf(whole, whole.length / 2));
        Files.copy(full.resolve("0001.color.exr"), planted.resolve("0001.color.exr"));
        Files.copy(full.resolve("0001.motion.exr"), planted.resolve("0001.motion.exr"));
        Files.copy(full.resolve("0001.depth.exr"), planted.resolve("0001.depth.exr"));
        Files.write(planted.resolve(".0002.color.exr.tmp-1234abcd"), new byte[] {1, 2, 3});
        StringWriter out = new StringWriter();
        assertEquals(0, render(planted, out, with(SETTINGS, "--resume")));
        assertTrue(out.toString().contains("kept 1 frames"), "frame 1 is rendered again: " + out);
        assertEquals(DatasetTiny.files(full), DatasetTiny.files(planted), "no stale temporary left");
        for (Path f : DatasetTiny.files(full)) {
            assertArrayEquals(Files.readAllBytes(full.resolve(f)), Files.readAllBytes(planted.resolve(f)),
                    f.toString());
        }
    }

    @Test
    void resumingWithOtherSettingsIsRefused(@TempDir Path tmp) {
        interruptedAfterFrameZero(tmp);
        String[] other = {"--scene", "courtyard", "--size", "24x16", "--frames", "3", "--spp", "4", "--resume"};
        StringWriter err = new StringWriter();
        int rc = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args(tmp, other));
        GlTest.context();
        assertEquals(2, rc);
        assertTrue(err.toString().contains("cannot --resume"), err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
    }

    static String[] with(String[] a, String... more) {
        return Stream.concat(Arrays.stream(a), Arrays.stream(more)).toArray(String[]::new);
    }

    static String[] args(Path out, String[] settings) {
        return with(with(new String[] {"render"}, settings), "--out", out.toString());
    }

    static int render(Path out, String... settings) {
        return render(out, new StringWriter(), settings);
    }

    static int render(Path out, StringWriter stdout, String... settings) {
        int rc = Main.run(new PrintWriter(stdout), new PrintWriter(new StringWriter()), args(out, settings));
        GlTest.context();
        return rc;
    }
}
