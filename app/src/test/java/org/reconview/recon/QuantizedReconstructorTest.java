package org.reconview.recon;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;
import org.reconview.color.Pq;
import org.reconview.gl.Texture2D;
import org.reconview.io.FloatImage;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.QuantizedModel;
import org.reconview.nn.QuantizedTestData;
import org.reconview.nn.Tensor;
import org.reconview.nn.Weights;

/**
 * {@code qwnet} end to end: the INT4 feature extractor through {@link NetworkReconstructor} (PQ encoding, padding of
 * an odd-sized frame to a multiple of 16 and cropping, the recurrence) against the golden {@link QuantizedModel} with
 * the same recurrence written out here, to 1e-3 in PQ; and the method as {@link Methods} builds it.
 */
class QuantizedReconstructorTest {
    static final int W = 37;
    static final int H = 23;

    @BeforeAll
    static void gl() {
        GlTest.context();
    }

    static double maxPqDiff(FloatImage goldenPq, FloatImage linear) {
        double worst = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                for (int c = 0; c < 3; c++) {
                    worst = Math.max(worst, Math.abs(goldenPq.get(x, y, c) - Pq.encode(linear.get(x, y, c))));
                }
            }
        }
        return worst;
    }

    @Test
    void qwnetInt4EndToEndEqualsGolden() {
        NetworkSpec spec = NetworkSpec.qwnet();
        Random rnd = new Random(8);
        FloatImage c1 = TaaTest.random(rnd, W, H, 4, 0.5, false);
        FloatImage c2 = TaaTest.random(rnd, W, H, 4, 0.5, false);
        FloatImage motion = new FloatImage(W, H, 2);
        for (int i = 0; i < motion.data.length; i++) {
            motion.data[i] = (float) (rnd.nextGaussian() * 3);
        }
        FloatImage depth = TaaTest.random(rnd, W, H, 1, 5, false);
        Weights weights = QuantizedTestData.weights(spec, 8);
        QuantizedModel golden = new QuantizedModel(spec, weights);
        try (NetworkReconstructor net = NetworkReconstructor.quantized("qwnet", spec, weights, "test weights");
                Texture2D t1 = GlImages.texture(c1); Texture2D t2 = GlImages.texture(c2);
                Texture2D m = GlImages.texture(motion); Texture2D d = GlImages.texture(depth)) {
            assertTrue(net.description().contains("INT4"), net.description());
            FloatImage out1 = GlImages.download(net.reconstruct(GlImages.frame(0, true, t1, m, d)), 4);
            Tensor ia1 = NetworkTestImages.padded(c1, true, null, null);
            FloatImage gold1 = NetworkTestImages.crop(golden.run(ia1, ia1), W, H);
            double d1 = maxPqDiff(gold1, out1);
            assertTrue(d1 < 1e-3, "first frame (I_w = I_a): max PQ diff " + d1);

            FloatImage out2 = GlImages.download(net.reconstruct(GlImages.frame(1, false, t2, m, d)), 4);
            boolean[] valid = new boolean[W * H];
            FloatImage warped = Warp.backward(gold1, motion, valid);
            Tensor ia2in = NetworkTestImages.padded(c2, true, null, null);
            Tensor iw2 = NetworkTestImages.padded(warped, false, valid, c2);
            FloatImage gold2 = NetworkTestImages.crop(golden.run(ia2in, iw2), W, H);
            double d2 = maxPqDiff(gold2, out2);
            assertTrue(d2 < 1e-3, "second frame (warped previous output): max PQ diff " + d2);
            // The recurrence matters: without the history (I_w = I_a) the golden would not match the second frame.
            Tensor ia2 = NetworkTestImages.padded(c2, true, null, null);
            assertTrue(maxPqDiff(NetworkTestImages.crop(golden.run(ia2, ia2), W, H), out2) > 1e-2,
                    "second frame uses the history");
            int invalid = 0;
            for (boolean v : valid) {
                invalid += v ? 0 : 1;
            }
            assertTrue(invalid > 0 && invalid < W * H / 2, "some warps leave the screen: " + invalid);
        }
    }

    @Test
    void methodsBuildQwnetWithTheInt4FeatureExtractor() {
        assertEquals(java.util.List.of("qwnet"), Methods.parse("--methods", "qwnet"));
        try (Reconstructor r = Methods.create("qwnet", Methods.Config.defaults())) {
            NetworkReconstructor n = (NetworkReconstructor) r;
            assertEquals("qwnet", n.name());
            assertTrue(n.description().startsWith("qwnet (INT4 feature extractor, FP32 filter network), random weights"
                    + " (seed 2, initial thresholds"), n.description());
        }
    }
}
