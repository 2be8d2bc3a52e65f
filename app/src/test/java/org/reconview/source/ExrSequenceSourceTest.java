package org.reconview.source;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
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
}
