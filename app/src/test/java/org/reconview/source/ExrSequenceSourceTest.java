package org.reconview.source;

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
import org.reconview.cli.Main;
import org.reconview.io.FrameImages;
import org.reconview.scene.builtin.BuiltinScenes;

/** The EXR sequence written by render, read back through ExrSequenceSource, equals the live frames bit for bit. */
class ExrSequenceSourceTest {
    @BeforeAll
    static void gl() {
        GlTest.context();
    }

    @Test
    void exrSourceGivesTheLiveFrames(@TempDir Path tmp) {
        StringWriter err = new StringWriter();
        int rc = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "render", "--scene", "signs",
                "--size", "40x24", "--frames", "4", "--spp", "3", "--seed", "5", "--out", tmp.toString());
        assertEquals(0, rc, err.toString());
        GlTest.context();
        try (ExrSequenceSource exr = new ExrSequenceSource(tmp);
                LiveFrameSource live = new LiveFrameSource(BuiltinScenes.build("signs", 5), 40, 24, 3, 16)) {
            assertEquals(4, exr.frameCount());
            assertEquals("signs", exr.info().scene);
            for (int i : new int[] {2, 0, 3}) { // out of order: frames are independent
                FrameImages a = exr.frame(i).download();
                FrameImages b = live.frame(i).download();
                assertArrayEquals(b.color().data, a.color().data, "colour " + i);
                assertArrayEquals(b.motion().data, a.motion().data, "motion " + i);
                assertArrayEquals(b.depth().data, a.depth().data, "depth " + i);
                assertArrayEquals(b.reference().data, a.reference().data, "reference " + i);
                assertEquals(b.jitterX(), a.jitterX());
                assertEquals(b.jitterY(), a.jitterY());
                assertEquals(b.cut(), a.cut());
            }
        }
    }

    @Test
    void anInterruptedRenderResumesToTheSameFiles(@TempDir Path tmp) throws Exception {
        Path full = tmp.resolve("full");
        Path resumed = tmp.resolve("resumed");
        String[] common = {"--scene", "courtyard", "--size", "24x16", "--frames", "3", "--spp", "2"};
        assertEquals(0, render(common, full));
        assertEquals(0, render(common, resumed));
        // Simulate an interruption after frame 0: frames 1-2 and sequence.json are missing.
        for (String f : new String[] {"0001.color.exr", "0002.motion.exr", "sequence.json"}) {
            Files.delete(resumed.resolve(f));
        }
        long kept = Files.getLastModifiedTime(resumed.resolve("0000.color.exr")).toMillis();
        Thread.sleep(20);
        String[] args = Stream.concat(Arrays.stream(common),
                Stream.of("--resume")).toArray(String[]::new);
        assertEquals(0, render(args, resumed));
        assertEquals(kept, Files.getLastModifiedTime(resumed.resolve("0000.color.exr")).toMillis(),
                "frame 0 was kept, not rendered again");
        try (var files = Files.list(full)) {
            for (Path f : files.toList()) {
                assertArrayEquals(Files.readAllBytes(f),
                        Files.readAllBytes(resumed.resolve(f.getFileName())), f.getFileName().toString());
            }
        }
    }

    static int render(String[] args, Path out) {
        String[] all = Stream.concat(Stream.of("render"),
                Stream.concat(Arrays.stream(args), Stream.of("--out",
                        out.toString()))).toArray(String[]::new);
        int rc = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), all);
        GlTest.context();
        return rc;
    }
}
