package org.reconview.source;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;
import org.reconview.io.FloatImage;
import org.reconview.io.FrameImages;
import org.reconview.metrics.Psnr;
import org.reconview.recon.Warp;
import org.reconview.scene.Scene;
import org.reconview.scene.builtin.BuiltinScenes;

/**
 * Motion vectors: warping reference k-1 by the motion of frame k must reproduce reference k far better than leaving
 * it unwarped, and closely on pixels that are not disoccluded. Disocclusions and depth edges are found with depth:
 * a pixel counts when its 3x3 depth neighbourhood is smooth and the previous frame's depth, warped to it, agrees.
 */
class MotionVectorTest {
    static final int W = 128;
    static final int H = 96;
    /** A frame per scene where the camera or objects move fast (not on a cut). */
    static final Map<String, Integer> FRAMES = Map.of("balcony", 230, "garden", 60, "signs", 60, "interior", 180,
            "courtyard", 150, "plaza", 60);

    @BeforeAll
    static void gl() {
        GlTest.context();
    }

    @Test
    void warpingByMotionReproducesTheNextReference() {
        List<String> failures = new ArrayList<>();
        StringBuilder report = new StringBuilder("motion vectors at " + W + "x" + H + " (PSNR, PQ):\n");
        for (String name : BuiltinScenes.names()) {
            int k = FRAMES.get(name);
            Scene scene = BuiltinScenes.build(name, 0);
            assertFalse(scene.isCut(k), name + " frame " + k + " is a cut");
            FrameImages prev;
            FrameImages now;
            try (LiveFrameSource s = new LiveFrameSource(scene, W, H, 32, 16)) {
                prev = s.frame(k - 1).download();
                now = s.frame(k).download();
            }
            boolean[] valid = new boolean[W * H];
            FloatImage warped = Warp.backward(prev.reference(), now.motion(), valid);
            FloatImage warpedDepth = Warp.backward(prev.depth(), now.motion(), null);
            boolean[] stable = new boolean[W * H];
            int stableCount = 0;
            double meanMotion = 0;
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int i = y * W + x;
                    meanMotion += Math.hypot(now.motion().data[2 * i], now.motion().data[2 * i + 1]) / (W * H);
                    stable[i] = valid[i] && smoothDepth(now.depth(), x, y)
                            && Math.abs(warpedDepth.data[i] - now.depth().data[i]) < 0.03 * now.depth().data[i];
                    stableCount += stable[i] ? 1 : 0;
                }
            }
            double unwarped = Psnr.pq(prev.reference(), now.reference(), valid);
            double warpedAll = Psnr.pq(warped, now.reference(), valid);
            double warpedStable = Psnr.pq(warped, now.reference(), stable);
            double unwarpedStable = Psnr.pq(prev.reference(), now.reference(), stable);
            report.append(String.format("  %-10s frame %3d  mean |mv| %5.2f px  unwarped %6.2f  warped %6.2f"
                    + "  | not disoccluded (%4.1f%% of pixels): unwarped %6.2f  warped %6.2f dB%n", name, k, meanMotion,
                    unwarped, warpedAll, 100.0 * stableCount / (W * H), unwarpedStable, warpedStable));
            check(failures, meanMotion > 0.2, name + ": too little motion to test: " + meanMotion);
            check(failures, stableCount > W * H / 4, name + ": stable pixels " + stableCount);
            // On surfaces seen in both frames, warping must win clearly. (Over all pixels it need not when motion is
            // sub-pixel: bilinear resampling of foliage edges then costs more than the motion it corrects.)
            // Sub-pixel motion leaves little for the warp to correct, and bilinear resampling blurs: require a clear
            // gain where things move a pixel or more per frame, and a gain at all in the slow scenes.
            double requiredGain = meanMotion >= 1.0 ? 3.0 : 1.0;
            check(failures, warpedStable > unwarpedStable + requiredGain,
                    name + ": warped " + warpedStable + " vs unwarped " + unwarpedStable);
            check(failures, warpedStable > 36, name + ": warped, not disoccluded " + warpedStable + " dB");
        }
        System.out.print(report);
        assertTrue(failures.isEmpty(), String.join("; ", failures) + "\n" + report);
    }

    static void check(List<String> failures, boolean ok, String message) {
        if (!ok) {
            failures.add(message);
        }
    }

    /** Depth varies by under 5% over the 3x3 neighbourhood (no silhouette edge). */
    static boolean smoothDepth(FloatImage depth, int x, int y) {
        float d = depth.get(x, y, 0);
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int xx = Math.max(0, Math.min(depth.width - 1, x + dx));
                int yy = Math.max(0, Math.min(depth.height - 1, y + dy));
                if (Math.abs(depth.get(xx, yy, 0) - d) > 0.05 * d) {
                    return false;
                }
            }
        }
        return true;
    }
}
