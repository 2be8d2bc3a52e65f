package org.reconview.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.reconview.nn.MacCount;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Tensor;
import org.reconview.nn.Weights;
import org.reconview.nn.cpu.CpuNetwork;
import org.reconview.nn.cpu.CpuQuantizedNetwork;

/**
 * {@code bench --what cpu}: ms per frame and G(FL)OP/s of the CPU backend's forward (random weights and inputs,
 * mean of {@code runs} after two warm-ups), counted like {@link NetworkTimings}: 2 x the MACs of {@link MacCount} x
 * pixels / time. Runs in a JVM with the vector API module and no GL.
 */
final class CpuTimings {
    private CpuTimings() {
    }

    /** FP32, or for QW-Net with {@code int4} its integer feature extractor ({@link CpuQuantizedNetwork}). */
    static Map<String, Double> network(NetworkSpec spec, boolean int4, int w, int h, int runs) {
        Weights weights = Weights.random(spec, 1);
        java.util.function.BiConsumer<Tensor, Tensor> net;
        if (int4) {
            CpuQuantizedNetwork q = new CpuQuantizedNetwork(spec, weights);
            net = q::run;
        } else {
            CpuNetwork f = new CpuNetwork(spec, weights);
            net = f::run;
        }
        Random rnd = new Random(1);
        Tensor ia = new Tensor(3, h, w);
        Tensor iw = new Tensor(3, h, w);
        for (int i = 0; i < ia.data.length; i++) {
            ia.data[i] = rnd.nextFloat();
            iw.data[i] = rnd.nextFloat();
        }
        net.accept(ia, iw);   // warm-up: the JIT compiles the kernels (C2 takes more than one run)
        net.accept(ia, iw);
        long t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            net.accept(ia, iw);
        }
        double ms = (System.nanoTime() - t0) / 1e6 / runs;
        Map<String, Double> r = new LinkedHashMap<>();
        r.put("ms", ms);
        r.put("gops", MacCount.of(spec).gops(w, h, ms));
        return r;
    }
}
