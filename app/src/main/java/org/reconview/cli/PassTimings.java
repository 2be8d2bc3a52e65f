package org.reconview.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.reconview.gl.Texture2D;
import org.reconview.gl.WindowSurface;
import org.reconview.metrics.DisplayEncoding;
import org.reconview.metrics.GpuMetrics;
import org.reconview.recon.Taa;
import org.reconview.recon.WarpPass;
import org.reconview.scene.builtin.BuiltinScenes;
import org.reconview.source.Frame;
import org.reconview.source.LiveFrameSource;

/**
 * Cost of the per-frame passes of a reconstruction step, in milliseconds: each pass run {@code runs} times on a
 * rendered frame after two warm-up runs, timed by wall clock after glFinish (GL timer queries read 0 for compute on
 * llvmpipe; on a real GPU the same command measures the same thing, with some CPU overhead included).
 */
final class PassTimings {
    private PassTimings() {
    }

    static Map<String, Double> measure(int w, int h, int runs) {
        Map<String, Double> ms = new LinkedHashMap<>();
        try (LiveFrameSource source = new LiveFrameSource(BuiltinScenes.build(BuiltinScenes.DEFAULT, 0), w, h, 4,
                LiveFrameSource.DEFAULT_JITTER_PERIOD);
                WarpPass warp = new WarpPass(); Taa taa = new Taa(Taa.Settings.DEFAULT);
                GpuMetrics metrics = new GpuMetrics(w, h);
                Texture2D warped = new Texture2D(w, h, Texture2D.RGBA32F);
                Texture2D warpedRef = new Texture2D(w, h, Texture2D.RGBA32F)) {
            source.frame(40);
            Frame f = source.frame(41);
            taa.reconstruct(f);
            ms.put("warp", time(runs, () -> warp.run(f.reference(), f.motion(), warped)));
            ms.put("taa (catmull-rom, variance)", time(runs, () -> taa.reconstruct(f)));
            Texture2D out = taa.reconstruct(f);
            for (DisplayEncoding e : DisplayEncoding.values()) {
                ms.put("psnr+ssim (" + e.id() + ")", time(runs, () -> metrics.evaluate(out, f.reference(), e)));
            }
            warp.run(f.reference(), f.motion(), warpedRef);
            ms.put("temporal error (pq)", time(runs,
                    () -> metrics.temporalError(out, warped, f.reference(), warpedRef, DisplayEncoding.PQ)));
        }
        return ms;
    }

    private static double time(int runs, Runnable pass) {
        pass.run();
        pass.run();
        WindowSurface.finish();
        long t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            pass.run();
        }
        WindowSurface.finish();
        return (System.nanoTime() - t0) / 1e6 / runs;
    }
}
