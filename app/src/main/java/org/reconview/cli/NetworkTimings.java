package org.reconview.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.reconview.gl.ShaderProgram;
import org.reconview.gl.StorageBuffer;
import org.reconview.gl.WindowSurface;
import org.reconview.nn.MacCount;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Weights;
import org.reconview.nn.gl.GpuNetwork;
import org.reconview.nn.gl.GpuOps;
import org.reconview.nn.gl.InferenceNetwork;
import org.reconview.nn.gl.Int4Network;

/**
 * Network figures for {@code bench --what nn}: the device's peak FP32 rate from a plain FMA shader, and for each
 * network path the milliseconds per frame and the achieved GFLOP/s (2 x the MACs of {@link MacCount} x pixels / time)
 * against that peak, in the same run. Wall clock after glFinish, mean of several runs after a warm-up.
 */
final class NetworkTimings {
    private NetworkTimings() {
    }

    /** Peak GFLOP/s of fused multiply-adds (2 FLOP each). */
    static double fmaPeakGflops() {
        int invocations = 64 * 1024;
        int iterations = 2048;
        try (ShaderProgram p = ShaderProgram.compute("nn/fma_peak.comp", Map.of());
                StorageBuffer sink = new StorageBuffer(new float[invocations * 4])) {
            p.use().set("uIterations", iterations).set("uSeed", 0.5f);
            sink.bind(0);
            p.dispatch(invocations / 64, 1, 1);
            WindowSurface.finish();
            long t0 = System.nanoTime();
            int runs = 3;
            for (int i = 0; i < runs; i++) {
                p.dispatch(invocations / 64, 1, 1);
            }
            WindowSurface.finish();
            double seconds = (System.nanoTime() - t0) / 1e9;
            double flops = (double) runs * invocations * iterations * 8 * 4 * 2;
            return flops / seconds / 1e9;
        }
    }

    /**
     * ms per frame and G(FL)OP/s of a network at a size (a multiple of 16): FP32, or for QW-Net with {@code int4} its
     * INT4 feature extractor (integer operations counted like FLOPs: 2 per MAC).
     */
    static Map<String, Double> network(NetworkSpec spec, boolean int4, int w, int h, int runs) {
        Map<String, Double> r = new LinkedHashMap<>();
        Weights weights = Weights.random(spec, 1);
        try (GpuOps ops = new GpuOps();
                InferenceNetwork net = int4 ? new Int4Network(spec, weights, ops) : new GpuNetwork(spec, weights, ops)) {
            net.allocate(h, w);
            net.run();
            WindowSurface.finish();
            long t0 = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                net.run();
            }
            WindowSurface.finish();
            double ms = (System.nanoTime() - t0) / 1e6 / runs;
            r.put("ms", ms);
            r.put("gops", MacCount.of(spec).gops(w, h, ms));
        }
        return r;
    }
}
