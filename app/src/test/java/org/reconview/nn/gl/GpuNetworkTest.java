package org.reconview.nn.gl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;
import org.reconview.nn.GoldenModel;
import org.reconview.nn.LayerSpec;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Tensor;
import org.reconview.nn.Weights;

/** The whole FP32 networks on the GPU against the golden model, layer by layer, on random weights and inputs. */
class GpuNetworkTest {
    static GpuOps ops;

    @BeforeAll
    static void gl() {
        GlTest.context();
        ops = new GpuOps();
    }

    @AfterAll
    static void close() {
        GlTest.context();
        ops.close();
    }

    static Tensor image(Random rnd, int h, int w) {
        Tensor t = new Tensor(3, h, w);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = rnd.nextFloat(); // PQ-encoded values lie in [0, 1]
        }
        return t;
    }

    void check(NetworkSpec spec, int h, int w, long seed) {
        Random rnd = new Random(seed);
        Weights weights = Weights.random(spec, seed);
        Tensor ia = image(rnd, h, w);
        Tensor iw = image(rnd, h, w);
        Map<String, Tensor> golden = new GoldenModel(spec, weights).runAll(ia, iw);
        try (GpuNetwork net = new GpuNetwork(spec, weights, ops)) {
            net.allocate(h, w);
            net.tensor(NetworkSpec.INPUT_ALIASED).upload(ia.data);
            net.tensor(NetworkSpec.INPUT_WARPED).upload(iw.data);
            net.run();
            for (LayerSpec l : spec.layers()) {
                Tensor g = golden.get(l.name());
                Tensor v = net.tensor(l.name()).download();
                double maxAbs = 0;
                for (float x : g.data) {
                    maxAbs = Math.max(maxAbs, Math.abs(x));
                }
                for (int i = 0; i < g.data.length; i++) {
                    // Relative to the layer's magnitude: float accumulation over up to 288 x 9 terms.
                    assertEquals(g.data[i], v.data[i], 1e-4 * Math.max(1, maxAbs),
                            spec.variant() + " " + l.name() + " at " + i);
                }
            }
        }
    }

    @Test
    void unetMatchesGolden() {
        check(NetworkSpec.unet(), 64, 64, 1);
    }

    @Test
    void qwnetFp32MatchesGolden() {
        check(NetworkSpec.qwnet(), 64, 48, 2);
    }

    @Test
    void qwnetRMatchesGolden() {
        check(NetworkSpec.qwnetR(), 32, 80, 3);
    }
}
