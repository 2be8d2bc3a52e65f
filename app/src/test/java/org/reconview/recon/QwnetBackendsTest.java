package org.reconview.recon;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;
import org.reconview.color.Pq;
import org.reconview.gl.GlContext;
import org.reconview.gl.Texture2D;
import org.reconview.io.FloatImage;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.QuantizedModel;
import org.reconview.nn.QuantizedTestData;
import org.reconview.nn.Weights;
import org.reconview.nn.cuda.CudaBackend;
import org.reconview.nn.cuda.CudaOffload;
import org.reconview.nn.cuda.EmulatedDevice;
import org.reconview.nn.cuda.EmulatedOffload;
import org.reconview.nn.gl.Int4Network;

/**
 * The whole {@code qwnet} reconstructor (PQ encoding, padding of an odd-sized frame, the recurrence through the warped
 * previous output) gives the same images with its integer convs in GLSL and offloaded to the CUDA kernels, over three
 * frames: within one 10-bit PQ code on all but 0.1% of the values. On a GPU through {@link CudaOffload} (what
 * {@code --backend cuda} builds; -Dreconview.cuda=true), everywhere through the CPU emulator of the kernels.
 */
class QwnetBackendsTest {
    static final int W = 37;
    static final int H = 23;

    @BeforeAll
    static void gl() {
        GlTest.context();
    }

    @Test
    void emulatedKernelsGiveTheGlslImages() {
        try (EmulatedDevice device = EmulatedDevice.open(900)) {
            compare(model -> new NetworkReconstructor("qwnet", ops -> new Int4Network(model, ops,
                    new EmulatedOffload(device, model)), "test weights"));
        }
    }

    @Test
    void cudaBackendGivesTheGlslImages() {
        Assumptions.assumeTrue(Boolean.getBoolean("reconview.cuda"),
                "CUDA tests run with -Dreconview.cuda=true on an NVIDIA machine (scripts/gpu-check.sh)");
        GlContext gl = GlTest.context();
        CudaBackend.Availability a = CudaOffload.availability(gl.renderer());
        Assumptions.assumeTrue(a.available(), () -> "CUDA backend unavailable with this GL context: " + a.reason());
        NetworkSpec spec = NetworkSpec.qwnet();
        Weights weights = QuantizedTestData.weights(spec, 12);
        String d = compare(model -> NetworkReconstructor.quantizedCuda("qwnet", spec, weights, "test weights"));
        assertTrue(d.contains("CUDA on"), d);
    }

    /** Three frames (a cut, then two with motion) through GLSL and the other; returns the other's description. */
    static String compare(Function<QuantizedModel, NetworkReconstructor> other) {
        NetworkSpec spec = NetworkSpec.qwnet();
        Weights weights = QuantizedTestData.weights(spec, 12);
        QuantizedModel model = new QuantizedModel(spec, weights);
        Random rnd = new Random(12);
        FloatImage motion = new FloatImage(W, H, 2);
        for (int i = 0; i < motion.data.length; i++) {
            motion.data[i] = (float) (rnd.nextGaussian() * 2);
        }
        FloatImage depth = TaaTest.random(rnd, W, H, 1, 5, false);
        try (NetworkReconstructor glsl = NetworkReconstructor.quantized("qwnet", spec, weights, "test weights");
                NetworkReconstructor off = other.apply(model);
                Texture2D m = GlImages.texture(motion); Texture2D d = GlImages.texture(depth)) {
            for (int k = 0; k < 3; k++) {
                FloatImage color = TaaTest.random(rnd, W, H, 4, 0.5, false);
                try (Texture2D c = GlImages.texture(color)) {
                    FloatImage a = GlImages.download(glsl.reconstruct(GlImages.frame(k, k == 0, c, m, d)), 4);
                    FloatImage b = GlImages.download(off.reconstruct(GlImages.frame(k, k == 0, c, m, d)), 4);
                    int apart = 0;
                    double worst = 0;
                    for (int y = 0; y < H; y++) {
                        for (int x = 0; x < W; x++) {
                            for (int ch = 0; ch < 3; ch++) {
                                double diff = Math.abs(Pq.encode(a.get(x, y, ch)) - Pq.encode(b.get(x, y, ch)));
                                worst = Math.max(worst, diff);
                                apart += diff > 1.0 / 1023 ? 1 : 0;
                            }
                        }
                    }
                    System.out.printf("qwnet frame %d, GLSL vs %s: %d of %d values over one 10-bit PQ code apart,"
                            + " max %.2e%n", k, off.description(), apart, 3 * W * H, worst);
                    assertTrue(apart * 1000 < 3 * W * H, "frame " + k + ": " + apart + " values apart");
                }
            }
            return off.description();
        }
    }
}
