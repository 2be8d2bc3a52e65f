package org.reconview.recon;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwjgl.opengl.GL45C.GL_RGBA32F;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;
import org.reconview.gl.Texture2D;
import org.reconview.io.FloatImage;

/** The GLSL warp equals the golden warp; whole-pixel translations are exact. */
class WarpPassTest {
    @BeforeAll
    static void gl() {
        GlTest.context();
    }

    static FloatImage runGpu(FloatImage prev, FloatImage motion) {
        try (WarpPass pass = new WarpPass(); Texture2D p = GlImages.texture(prev);
                Texture2D m = GlImages.texture(motion);
                Texture2D out = new Texture2D(prev.width, prev.height, GL_RGBA32F)) {
            pass.run(p, m, out);
            return GlImages.download(out, 4);
        }
    }

    @Test
    void glslEqualsGoldenOnRandomData() {
        Random rnd = new Random(11);
        int w = 53;
        int h = 37;
        FloatImage prev = new FloatImage(w, h, 4);
        for (int i = 0; i < prev.data.length; i++) {
            prev.data[i] = (float) Math.exp(rnd.nextGaussian() * 2); // HDR, 0.02 .. 50
        }
        FloatImage motion = new FloatImage(w, h, 2);
        for (int i = 0; i < motion.data.length; i++) {
            motion.data[i] = (float) (rnd.nextGaussian() * 6);
        }
        motion.data[0] = Float.NaN;
        boolean[] valid = new boolean[w * h];
        FloatImage golden = Warp.backward(prev, motion, valid);
        FloatImage gpu = runGpu(prev, motion);
        int validCount = 0;
        for (int i = 0; i < w * h; i++) {
            boolean gpuValid = gpu.data[4 * i + 3] == 1f;
            assertEquals(valid[i] && i != 0, gpuValid, "validity of pixel " + i);
            validCount += gpuValid ? 1 : 0;
            for (int c = 0; c < 3; c++) {
                float g = golden.data[4 * i + c];
                assertEquals(gpuValid ? g : 0f, gpu.data[4 * i + c], 2e-6f * Math.max(1f, Math.abs(g)),
                        "pixel " + i + " channel " + c);
            }
        }
        assertTrue(validCount > w * h / 2 && validCount < w * h, "both cases exercised: " + validCount);
    }

    @Test
    void wholePixelTranslationIsExact() {
        Random rnd = new Random(5);
        FloatImage prev = new FloatImage(32, 24, 4);
        for (int i = 0; i < prev.data.length; i++) {
            prev.data[i] = rnd.nextFloat() * 100;
        }
        FloatImage motion = new FloatImage(32, 24, 2);
        for (int i = 0; i < 32 * 24; i++) {
            motion.data[2 * i] = -3;
            motion.data[2 * i + 1] = 2;
        }
        FloatImage gpu = runGpu(prev, motion);
        for (int y = 0; y < 22; y++) {
            for (int x = 3; x < 32; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(prev.get(x - 3, y + 2, c), gpu.get(x, y, c), "exact at " + x + "," + y);
                }
                assertEquals(1f, gpu.get(x, y, 3));
            }
        }
        assertEquals(0f, gpu.get(1, 5, 3), "x - 3 < 0 is off screen");
        assertEquals(0f, gpu.get(10, 23, 3), "y + 2 > 23 is off screen");
    }
}
