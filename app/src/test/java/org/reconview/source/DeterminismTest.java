package org.reconview.source;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;
import org.reconview.io.FrameImages;
import org.reconview.scene.builtin.BuiltinScenes;

/** The same scene, seed, size and frame give bit-identical frames; another seed or frame does not. */
class DeterminismTest {
    @BeforeAll
    static void gl() {
        GlTest.context();
    }

    static FrameImages render(String scene, long seed, int frame) {
        try (LiveFrameSource s = new LiveFrameSource(BuiltinScenes.build(scene, seed), 64, 48, 4, 16)) {
            s.frame(frame - 1); // a different previous call must not leak into the next frame
            return s.frame(frame).download();
        }
    }

    @Test
    void twoRendersAreBitIdentical() {
        for (String scene : BuiltinScenes.names()) {
            FrameImages a = render(scene, 3, 17);
            FrameImages b = render(scene, 3, 17);
            assertArrayEquals(a.color().data, b.color().data, scene + " colour");
            assertArrayEquals(a.motion().data, b.motion().data, scene + " motion");
            assertArrayEquals(a.depth().data, b.depth().data, scene + " depth");
            assertArrayEquals(a.reference().data, b.reference().data, scene + " reference");
            assertEquals(a.jitterX(), b.jitterX());
        }
    }

    @Test
    void anotherSeedOrFrameDiffers() {
        FrameImages base = render("garden", 0, 17);
        assertFalse(Arrays.equals(base.color().data, render("garden", 1, 17).color().data), "seed changes layout");
        FrameImages next = render("garden", 0, 18);
        assertFalse(Arrays.equals(base.color().data, next.color().data), "next frame");
        assertNotEquals(base.jitterX() + "," + base.jitterY(), next.jitterX() + "," + next.jitterY());
    }
}
