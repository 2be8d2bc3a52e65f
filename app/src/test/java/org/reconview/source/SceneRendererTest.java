package org.reconview.source;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwjgl.opengl.GL45C.*;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;
import org.reconview.gl.Framebuffer;
import org.reconview.gl.Texture2D;
import org.reconview.scene.CameraPose;
import org.reconview.scene.Scene;
import org.reconview.scene.SceneRenderer;
import org.reconview.scene.builtin.BuiltinScenes;

/** Conventions of the geometry pass: sample offsets, image row order, motion and depth. */
class SceneRendererTest {
    static final int W = 64;
    static final int H = 48;

    @BeforeAll
    static void gl() {
        GlTest.context();
    }

    static float[][] render(Scene scene, double t, double tPrev, float ox, float oy) {
        try (Texture2D c = new Texture2D(W, H, GL_RGBA32F); Texture2D m = new Texture2D(W, H, GL_RG32F);
                Texture2D d = new Texture2D(W, H, GL_R32F); Framebuffer fb = new Framebuffer(List.of(c, m, d), true);
                SceneRenderer r = new SceneRenderer(scene)) {
            r.render(fb, W, H, t, tPrev, ox, oy);
            return new float[][] {c.download(4), m.download(2), d.download(1)};
        }
    }

    /** A pass rendered in strips (the viewer's short steps) is bit for bit the whole pass: colour, motion, depth. */
    @Test
    void aPassRenderedInStripsIsTheWholePass() {
        Scene scene = BuiltinScenes.build("courtyard", 0);
        float[][] whole = render(scene, 1.3, 1.2, 0.2f, -0.1f);
        try (Texture2D c = new Texture2D(W, H, GL_RGBA32F); Texture2D m = new Texture2D(W, H, GL_RG32F);
                Texture2D d = new Texture2D(W, H, GL_R32F); Framebuffer fb = new Framebuffer(List.of(c, m, d), true);
                SceneRenderer r = new SceneRenderer(scene)) {
            for (int[] strip : new int[][] {{0, 5}, {5, 20}, {25, H - 25}}) {
                r.render(fb, W, H, 1.3, 1.2, 0.2f, -0.1f, strip[0], strip[1]);
            }
            assertArrayEquals(whole[0], c.download(4), "colour");
            assertArrayEquals(whole[1], m.download(2), "motion");
            assertArrayEquals(whole[2], d.download(1), "depth");
            r.render(fb, W, H, 2.0, 1.9, 0, 0, 0, 10); // one strip of another frame: only its rows change
            float[] part = c.download(4);
            int changedOutside = 0;
            int changedInside = 0;
            for (int y = 0; y < H; y++) {
                boolean inside = y < 10; // strip rows are texture rows: a download's row y is GL's row y
                for (int x = 0; x < W * 4; x++) {
                    if (part[y * W * 4 + x] != whole[0][y * W * 4 + x]) {
                        if (inside) {
                            changedInside++;
                        } else {
                            changedOutside++;
                        }
                    }
                }
            }
            assertEquals(0, changedOutside, "rows outside the strip are left alone");
            assertTrue(changedInside > 0, "the strip was rendered");
        }
    }

    /** The live source's frames, whose passes run in strips, equal a whole render of the same sample. */
    @Test
    void liveFramesInStripsEqualWholeRenders() {
        Scene scene = BuiltinScenes.build("courtyard", 0);
        int w = 128;
        int h = 96;
        assertTrue(LiveFrameSource.strips(w, h) > 1);
        try (LiveFrameSource s = new LiveFrameSource(scene, w, h, 2, 16);
                Texture2D c = new Texture2D(w, h, GL_RGBA32F); Texture2D m = new Texture2D(w, h, GL_RG32F);
                Texture2D d = new Texture2D(w, h, GL_R32F); Framebuffer fb = new Framebuffer(List.of(c, m, d), true);
                SceneRenderer r = new SceneRenderer(scene)) {
            Frame f = s.frame(5);
            r.render(fb, w, h, f.time(), scene.time(4), f.jitterX(), f.jitterY());
            assertArrayEquals(c.download(4), f.color().download(4), "colour");
            assertArrayEquals(m.download(2), f.motion().download(2), "motion");
        }
    }

    @Test
    void aWholePixelOffsetShiftsTheImageInImageRowOrder() {
        Scene scene = BuiltinScenes.build("courtyard", 0);
        float[] base = render(scene, 1.0, 1.0, 0, 0)[0];
        float[] right = render(scene, 1.0, 1.0, 1, 0)[0];
        float[] down = render(scene, 1.0, 1.0, 0, 1)[0];
        // Offset (+1, 0) samples the point one pixel to the right: pixel x shows what pixel x+1 showed.
        // Offset (0, +1) samples one pixel down (rows run top to bottom): pixel y shows what y+1 showed.
        double errRight = 0;
        double errDown = 0;
        double errNone = 0;
        int n = 0;
        for (int y = 1; y < H - 2; y++) {
            for (int x = 1; x < W - 2; x++) {
                for (int c = 0; c < 3; c++) {
                    int i = (y * W + x) * 4 + c;
                    errRight += Math.abs(right[i] - base[i + 4]);
                    errDown += Math.abs(down[i] - base[i + W * 4]);
                    errNone += Math.abs(right[i] - base[i]);
                    n++;
                }
            }
        }
        assertTrue(errRight / n < 1e-3 * Math.max(1, errNone / n), "right shift error " + errRight / n);
        assertTrue(errDown / n < 1e-3 * Math.max(1, errNone / n), "down shift error " + errDown / n);
        assertTrue(errNone / n > 1e-3, "the test image must have detail: " + errNone / n);
    }

    @Test
    void skyIsAtTheTopAndHasFarDepth() {
        float[][] f = render(BuiltinScenes.build("balcony", 0), 0.5, 0.5 - 1 / 30.0, 0, 0);
        float[] depth = f[2];
        // Top-left pixel is sky (far plane), bottom row is ground or railing, nearer than the far plane.
        assertEquals(CameraPose.FAR, depth[0], 1e-3);
        for (int x = 0; x < W; x++) {
            assertTrue(depth[(H - 1) * W + x] < 50, "bottom row depth " + depth[(H - 1) * W + x]);
        }
    }

    @Test
    void staticCameraAndSceneGiveZeroMotion() {
        // Same time for current and previous: nothing moves, whatever the sample offset.
        float[] motion = render(BuiltinScenes.build("interior", 0), 2.0, 2.0, 0.3f, -0.2f)[1];
        for (float v : motion) {
            assertEquals(0f, v, 1e-3f);
        }
    }

    @Test
    void cutFramesHaveZeroMotionAndOtherFramesBoundedMotion() {
        for (String name : BuiltinScenes.names()) {
            Scene scene = BuiltinScenes.build(name, 0);
            try (LiveFrameSource source = new LiveFrameSource(scene, W, H, 0, 16)) {
                for (int k = 0; k < source.frameCount(); k += 30) {
                    boolean cut = scene.isCut(k);
                    Frame f = source.frame(k);
                    assertEquals(cut, f.cut(), name + " frame " + k);
                    float[] motion = f.motion().download(2);
                    for (float v : motion) {
                        if (cut) {
                            assertEquals(0f, v, name + " cut frame " + k);
                        } else {
                            assertTrue(Float.isFinite(v) && Math.abs(v) < W, name + " frame " + k + ": " + v);
                        }
                    }
                }
            }
        }
        Scene courtyard = BuiltinScenes.build("courtyard", 0); // shots start at 4 s and 8 s: frames 120 and 240
        assertTrue(courtyard.isCut(120) && courtyard.isCut(240) && courtyard.isCut(360));
        assertFalse(courtyard.isCut(119) || courtyard.isCut(121) || courtyard.isCut(241));
    }

    /**
     * The renderer never produces NaN or Inf: interior frames 39, 46 and 98 at 128x128 once had a NaN pixel each
     * (Schlick's pow(1 - v.h, 5) with v.h rounding above 1), and a sweep over every scene.
     */
    @Test
    void colourIsAlwaysFinite() {
        try (LiveFrameSource s = new LiveFrameSource(BuiltinScenes.build("interior", 0), 128, 128, 0, 16)) {
            for (int f : new int[] {39, 46, 98}) {
                assertFinite(s.frame(f).color().download(4), "interior frame " + f);
            }
        }
        for (String name : BuiltinScenes.names()) {
            try (LiveFrameSource s = new LiveFrameSource(BuiltinScenes.build(name, 0), W, H, 0, 16)) {
                for (int f = 0; f < s.frameCount(); f += 9) {
                    assertFinite(s.frame(f).color().download(4), name + " frame " + f);
                }
            }
        }
    }

    static void assertFinite(float[] values, String what) {
        for (int i = 0; i < values.length; i++) {
            assertTrue(Float.isFinite(values[i]), what + ": value " + values[i] + " at " + i);
        }
    }
}
