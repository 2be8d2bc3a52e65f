package org.reconview.recon;

import static org.junit.jupiter.api.Assertions.*;
import static org.lwjgl.opengl.GL45C.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;
import org.reconview.gl.Texture2D;
import org.reconview.io.FloatImage;
import org.reconview.io.FrameImages;
import org.reconview.metrics.Psnr;
import org.reconview.scene.builtin.BuiltinScenes;
import org.reconview.source.Frame;
import org.reconview.source.LiveFrameSource;

class TaaTest {
    @BeforeAll
    static void gl() {
        GlTest.context();
    }

    static FloatImage random(Random rnd, int w, int h, int ch, double scale, boolean withBadValues) {
        FloatImage img = new FloatImage(w, h, ch);
        for (int i = 0; i < img.data.length; i++) {
            img.data[i] = (float) (Math.exp(rnd.nextGaussian() * 1.5) * scale);
        }
        if (withBadValues) {
            img.data[5] = Float.NaN;
            img.data[ch * 17 + 1] = Float.POSITIVE_INFINITY;
            img.data[ch * 40] = -3f;
        }
        return img;
    }

    /** Runs the GLSL pass once with the given history (seeded through a cut frame) and returns its output. */
    static FloatImage gpuStep(FloatImage history, FloatImage color, FloatImage motion, FloatImage depth,
            Taa.Settings s) {
        try (Taa taa = new Taa(s); Texture2D h = GlImages.texture(history); Texture2D c = GlImages.texture(color);
                Texture2D m = GlImages.texture(motion); Texture2D d = GlImages.texture(depth)) {
            taa.reconstruct(GlImages.frame(0, true, h, m, d)); // a cut: output = history, which becomes the history
            return GlImages.download(taa.reconstruct(GlImages.frame(1, false, c, m, d)), 4);
        }
    }

    @Test
    void glslEqualsGoldenOnRandomData() {
        Random rnd = new Random(3);
        int w = 41;
        int h = 29;
        List<Taa.Settings> variants = List.of(Taa.Settings.DEFAULT,
                Taa.Settings.parse("clip=clamp,history=bilinear"), Taa.Settings.parse("clip=none,dilate=false"),
                Taa.Settings.parse("anti-flicker=false,gamma=1.5,alpha=0.3"));
        for (Taa.Settings s : variants) {
            FloatImage history = random(rnd, w, h, 4, 1, false);
            FloatImage color = random(rnd, w, h, 4, 1, true);
            FloatImage motion = new FloatImage(w, h, 2);
            for (int i = 0; i < motion.data.length; i++) {
                motion.data[i] = (float) (rnd.nextGaussian() * 4);
            }
            FloatImage depth = random(rnd, w, h, 1, 10, false);
            FloatImage gpu = gpuStep(history, color, motion, depth, s);
            FloatImage golden = TaaGolden.step(color, motion, depth, history, s);
            int off = 0;
            for (int i = 0; i < w * h; i++) {
                boolean close = true;
                for (int c = 0; c < 4; c++) {
                    float g = golden.data[4 * i + c];
                    float v = gpu.data[4 * i + c];
                    assertTrue(Float.isFinite(v), s + ": non-finite output at " + i);
                    close &= Math.abs(g - v) <= 1e-4f * Math.max(1f, Math.abs(g));
                }
                off += close ? 0 : 1;
            }
            // Float rounding can flip a comparison (the clip box edge, the nearest depth) on a rare pixel.
            assertTrue(off <= w * h / 1000 + 1, s + ": " + off + " of " + w * h + " pixels differ from the golden");
        }
    }

    @Test
    void nanAndInfNeverReachTheHistory() {
        int w = 16;
        int h = 12;
        FloatImage bad = new FloatImage(w, h, 4);
        java.util.Arrays.fill(bad.data, Float.NaN);
        bad.data[7] = Float.POSITIVE_INFINITY;
        FloatImage good = random(new Random(1), w, h, 4, 1, false);
        FloatImage motion = new FloatImage(w, h, 2);
        FloatImage depth = random(new Random(2), w, h, 1, 5, false);
        try (Taa taa = new Taa(Taa.Settings.DEFAULT); Texture2D b = GlImages.texture(bad);
                Texture2D g = GlImages.texture(good); Texture2D m = GlImages.texture(motion);
                Texture2D d = GlImages.texture(depth)) {
            taa.reconstruct(GlImages.frame(0, true, g, m, d));
            for (float v : GlImages.download(taa.reconstruct(GlImages.frame(1, false, b, m, d)), 4).data) {
                assertTrue(Float.isFinite(v));
            }
            for (float v : GlImages.download(taa.reconstruct(GlImages.frame(2, false, g, m, d)), 4).data) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Test
    void aCutOrResetDropsTheHistory() {
        int w = 20;
        int h = 14;
        FloatImage a = random(new Random(4), w, h, 4, 1, false);
        FloatImage b = random(new Random(5), w, h, 4, 3, false);
        FloatImage motion = new FloatImage(w, h, 2);
        FloatImage depth = random(new Random(6), w, h, 1, 5, false);
        try (Taa taa = new Taa(Taa.Settings.DEFAULT); Texture2D ta = GlImages.texture(a);
                Texture2D tb = GlImages.texture(b); Texture2D m = GlImages.texture(motion);
                Texture2D d = GlImages.texture(depth)) {
            for (int i = 0; i < 4; i++) {
                taa.reconstruct(GlImages.frame(i, i == 0, ta, m, d));
            }
            FloatImage blended = GlImages.download(taa.reconstruct(GlImages.frame(4, false, tb, m, d)), 4);
            FloatImage afterCut = GlImages.download(taa.reconstruct(GlImages.frame(5, true, tb, m, d)), 4);
            taa.reconstruct(GlImages.frame(6, false, ta, m, d));
            taa.reset();
            FloatImage afterReset = GlImages.download(taa.reconstruct(GlImages.frame(7, false, tb, m, d)), 4);
            double blendDiff = 0;
            for (int i = 0; i < w * h; i++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(b.data[4 * i + c], afterCut.data[4 * i + c], "cut: the frame itself");
                    assertEquals(b.data[4 * i + c], afterReset.data[4 * i + c], "reset: the frame itself");
                    blendDiff += Math.abs(blended.data[4 * i + c] - b.data[4 * i + c]);
                }
            }
            assertTrue(blendDiff > 1, "without a cut the history is used: " + blendDiff);
        }
    }

    /**
     * A bright square moves right over a dark background with correct motion vectors. Once it has passed, its old
     * pixels must be back to the background within two frames: no trail. Without clipping the trail is there, so the
     * test can see ghosts.
     */
    @Test
    void aMovingBrightObjectLeavesNoTrail() {
        double trailWithClip = trail(Taa.Settings.DEFAULT);
        double trailWithoutClip = trail(Taa.Settings.parse("clip=none"));
        assertTrue(trailWithClip < 0.01, "trail with variance clipping: " + trailWithClip);
        assertTrue(trailWithoutClip > 0.5, "without clipping the test must see a trail: " + trailWithoutClip);
    }

    /** Largest value (linear) left two or more frames behind the square, over the frames of the run. */
    static double trail(Taa.Settings s) {
        int w = 64;
        int h = 16;
        int size = 6;
        int speed = 2;
        float background = 0.02f;
        double worst = 0;
        try (Taa taa = new Taa(s)) {
            for (int k = 0; k < 20; k++) {
                int left = 4 + speed * k;
                FloatImage color = new FloatImage(w, h, 4);
                FloatImage motion = new FloatImage(w, h, 2);
                FloatImage depth = new FloatImage(w, h, 1);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        boolean in = x >= left && x < left + size && y >= 5 && y < 5 + size;
                        for (int c = 0; c < 3; c++) {
                            color.set(x, y, c, in ? 20f : background);
                        }
                        color.set(x, y, 3, 1f);
                        motion.set(x, y, 0, in ? -speed : 0);
                        depth.set(x, y, 0, in ? 1f : 10f);
                    }
                }
                try (Texture2D c = GlImages.texture(color); Texture2D m = GlImages.texture(motion);
                        Texture2D d = GlImages.texture(depth)) {
                    FloatImage out = GlImages.download(taa.reconstruct(GlImages.frame(k, k == 0, c, m, d)), 4);
                    if (k < 4) {
                        continue;
                    }
                    // Pixels the square covered two frames ago and that are at least 2 px behind it now.
                    int oldLeft = left - 2 * speed;
                    for (int y = 5; y < 5 + size; y++) {
                        for (int x = Math.max(0, oldLeft); x < left - 2; x++) {
                            worst = Math.max(worst, out.get(x, y, 0) - background);
                        }
                    }
                }
            }
        }
        return worst;
    }

    /** On every built-in scene TAA beats the 1-spp input against the reference (PSNR, PQ), after warm-up. */
    @Test
    void taaBeatsTheInputOnEveryScene() {
        int w = 96;
        int h = 64;
        int frames = 24;
        int warmup = 8;
        StringBuilder report = new StringBuilder("TAA vs input at " + w + "x" + h + ", frames " + warmup + "-"
                + (frames - 1) + " (PSNR, PQ):\n");
        List<String> failures = new ArrayList<>();
        for (String name : BuiltinScenes.names()) {
            double input = 0;
            double taaSum = 0;
            try (LiveFrameSource source = new LiveFrameSource(BuiltinScenes.build(name, 0), w, h, 16, 16);
                    Taa taa = new Taa(Taa.Settings.DEFAULT)) {
                for (int k = 0; k < frames; k++) {
                    Frame f = source.frame(30 + k); // away from frame 0, not across a cut in any scene
                    Texture2D out = taa.reconstruct(f);
                    if (k >= warmup) {
                        FrameImages img = f.download();
                        input += Psnr.pq(img.color(), img.reference());
                        taaSum += Psnr.pq(GlImages.download(out, 4), img.reference());
                    }
                }
            }
            int n = frames - warmup;
            double gain = (taaSum - input) / n;
            report.append(String.format("  %-10s input %6.2f dB   taa %6.2f dB   gain %+5.2f dB%n", name, input / n,
                    taaSum / n, gain));
            if (gain < 3.0) { // measured: +5.2 to +8.8 dB (docs/perf.md)
                failures.add(name + ": gain " + gain);
            }
        }
        System.out.print(report);
        assertTrue(failures.isEmpty(), failures + "\n" + report);
    }
}
