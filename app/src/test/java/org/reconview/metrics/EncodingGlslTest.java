package org.reconview.metrics;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwjgl.opengl.GL45C.*;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;
import org.reconview.gl.Framebuffer;
import org.reconview.gl.FullscreenPass;
import org.reconview.gl.ShaderProgram;
import org.reconview.gl.StorageBuffer;
import org.reconview.gl.Texture2D;

/**
 * shaders/metrics/encoding.glsl against {@link DisplayEncoding}, and its sRGB curve against what the viewer shows
 * (shaders/ui/view.frag, the viewer, at exposure 0), on values across the HDR range.
 */
class EncodingGlslTest {
    @BeforeAll
    static void gl() {
        GlTest.context();
    }

    static float[] values(int n, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i % 3 == 0 ? rnd.nextFloat() : (float) Math.pow(10, -5 + 7 * rnd.nextDouble());
        }
        v[0] = 0;
        v[1] = 1;
        v[2] = 7.3f;
        v[3] = 0.0031308f / 0.2f;
        v[4] = 1e-6f;
        return v;
    }

    @Test
    void glslEncodingsMatchJava() {
        int n = 4096;
        float[] v = values(n, 3);
        v[5] = -2f;
        v[6] = Float.NaN;
        v[7] = Float.POSITIVE_INFINITY;
        v[8] = 3e38f;
        try (ShaderProgram p = ShaderProgram.compute("metrics/encoding_test.comp", DisplayEncoding.shaderDefines());
                StorageBuffer in = new StorageBuffer(v); StorageBuffer out = new StorageBuffer(new float[4 * n])) {
            in.bind(0);
            out.bind(1);
            p.use().set("uCount", n);
            glDispatchCompute((n + 63) / 64, 1, 1);
            glMemoryBarrier(GL_ALL_BARRIER_BITS);
            float[] r = out.read(4 * n);
            for (int i = 0; i < n; i++) {
                // PQ: float32 pow with exponent 78.8, as PqGlslTest allows
                assertEquals(DisplayEncoding.PQ.encode(v[i]), r[4 * i], 5e-5, "pq " + v[i]);
                assertEquals(DisplayEncoding.SRGB.encode(v[i]), r[4 * i + 1], 2e-6, "srgb " + v[i]);
                if (!Float.isNaN(v[i])) {
                    assertEquals(v[i], r[4 * i + 2], 0, "linear " + v[i]);
                }
            }
            assertTrue(Float.isNaN(r[4 * 6 + 2]), "linear keeps NaN");
        }
    }

    /** The viewer's view shader at exposure 0 draws DisplayEncoding.SRGB: the metrics measure what the viewer shows. */
    @Test
    void srgbIsWhatTheViewerShowsAtExposureZero() {
        int w = 512;
        int h = 2; // rows are equal: the view shader flips y (window rows run bottom-up), so row order must not matter
        float[] v = values(3 * w, 9);
        float[] rgba = new float[w * h * 4];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    rgba[(y * w + x) * 4 + c] = v[3 * x + c];
                }
                rgba[(y * w + x) * 4 + 3] = 1f;
            }
        }
        try (Texture2D src = new Texture2D(w, h, GL_RGBA32F); Texture2D dst = new Texture2D(w, h, GL_RGBA32F);
                Framebuffer fb = new Framebuffer(List.of(dst), false); FullscreenPass pass = new FullscreenPass();
                ShaderProgram display = ShaderProgram.graphics("common/fullscreen.vert", "ui/view.frag",
                        DisplayEncoding.shaderDefines())) {
            src.upload(rgba, 4);
            fb.bind();
            glDisable(GL_DEPTH_TEST);
            glDisable(GL_BLEND);
            // Zoom 1 with the view's centre on the image's centre: window pixel (x, y) shows texel (x, y).
            display.use().set("uMode", 0).set("uExposure", (float) DisplayEncoding.SRGB_EXPOSURE_STOPS)
                    .set("uMotionScale", 1f).set("uViewOrigin", 0f, 0f).set("uViewSize", (float) w, (float) h)
                    .set("uPan", w / 2f, h / 2f).set("uZoom", 1f).set("uProfileAxis", 0);
            src.bind(0);
            pass.draw();
            glBindFramebuffer(GL_FRAMEBUFFER, 0);
            float[] shown = dst.download(4);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < 3; c++) {
                        float in = v[3 * x + c];
                        assertEquals(DisplayEncoding.SRGB.encode(in), shown[(y * w + x) * 4 + c], 2e-6,
                                "view.frag at (" + x + ", " + y + ") channel " + c + " for " + in);
                    }
                }
            }
        }
    }
}
