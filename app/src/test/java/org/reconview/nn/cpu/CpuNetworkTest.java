package org.reconview.nn.cpu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.reconview.nn.GoldenModel;
import org.reconview.nn.LayerSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Tensor;
import org.reconview.nn.Weights;

/**
 * Every tensor of the CPU backend's networks against the golden model's, random weights and inputs, on a second run
 * (the first one's buffers reused).
 */
class CpuNetworkTest {
    static Tensor image(Random rnd, int h, int w) {
        Tensor t = new Tensor(3, h, w);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = rnd.nextFloat();
        }
        return t;
    }

    void check(NetworkSpec spec, int h, int w, long seed) {
        Random rnd = new Random(seed);
        Weights weights = Weights.random(spec, seed);
        Tensor ia = image(rnd, h, w);
        Tensor iw = image(rnd, h, w);
        Map<String, Tensor> golden = new GoldenModel(spec, weights).runAll(ia, iw);
        CpuNetwork net = new CpuNetwork(spec, weights);
        net.runAll(iw, ia);   // a first run, whose buffers the second reuses
        Map<String, Tensor> cpu = net.runAll(ia, iw);
        for (LayerSpec l : spec.layers()) {
            Tensor g = golden.get(l.name());
            Tensor v = cpu.get(l.name());
            assertEquals(g.data.length, v.data.length, l.name());
            double maxAbs = 0;
            for (float x : g.data) {
                maxAbs = Math.max(maxAbs, Math.abs(x));
            }
            for (int i = 0; i < g.data.length; i++) {
                assertEquals(g.data[i], v.data[i], 1e-4 * Math.max(1, maxAbs), spec.variant() + " " + l.name()
                        + " at " + i);
            }
        }
    }

    @Test
    void unetMatchesGolden() {
        check(NetworkSpec.unet(), 64, 48, 1);
    }

    @Test
    void qwnetFp32MatchesGolden() {
        check(NetworkSpec.qwnet(), 32, 80, 2);
    }

    @Test
    void refusesUnpaddedSizes() {
        CpuNetwork net = new CpuNetwork(NetworkSpec.unet(), Weights.random(NetworkSpec.unet(), 3));
        Random rnd = new Random(3);
        assertThrows(IllegalArgumentException.class, () -> net.run(image(rnd, 30, 32), image(rnd, 30, 32)));
    }
}
