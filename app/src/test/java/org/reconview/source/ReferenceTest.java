package org.reconview.source;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;
import org.reconview.io.FrameImages;
import org.reconview.metrics.Psnr;
import org.reconview.scene.builtin.BuiltinScenes;

/**
 * Reference convergence: 64 spp against 256 spp must agree above 40 dB (PQ) on every scene, and the 1-spp frame must
 * be far below that. Figures are printed for docs/perf.md.
 */
class ReferenceTest {
    static final int W = 128;
    static final int H = 96;
    static final int FRAME = 45;

    @BeforeAll
    static void gl() {
        GlTest.context();
    }

    @Test
    void sixtyFourSamplesConvergeToTwoHundredFiftySix() {
        StringBuilder report = new StringBuilder("reference convergence at " + W + "x" + H + ", frame " + FRAME + "\n");
        for (String scene : BuiltinScenes.names()) {
            FrameImages f64;
            FrameImages f256;
            try (LiveFrameSource s = new LiveFrameSource(BuiltinScenes.build(scene, 0), W, H, 64, 16)) {
                f64 = s.frame(FRAME).download();
            }
            try (LiveFrameSource s = new LiveFrameSource(BuiltinScenes.build(scene, 0), W, H, 256, 16)) {
                f256 = s.frame(FRAME).download();
            }
            double converged = Psnr.pq(f64.reference(), f256.reference());
            double onePerPixel = Psnr.pq(f256.color(), f256.reference());
            report.append(String.format("  %-10s 64 vs 256 spp: %6.2f dB   1 spp vs 256 spp: %6.2f dB%n", scene,
                    converged, onePerPixel));
            assertTrue(converged > 40, scene + ": 64 vs 256 spp " + converged + " dB");
            assertTrue(onePerPixel < converged - 10, scene + ": 1 spp " + onePerPixel + " dB");
        }
        System.out.print(report);
    }
}
