package org.reconview.recon;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reconview.GlTest;
import org.reconview.color.Pq;
import org.reconview.gl.Texture2D;
import org.reconview.io.FloatImage;
import org.reconview.nn.GoldenModel;
import org.reconview.nn.NetworkSpec;
import org.reconview.nn.Tensor;
import org.reconview.nn.Weights;

/**
 * The network reconstructors end to end against the golden model: PQ encoding, padding to a multiple of 16 and
 * cropping, and the recurrence (the previous output warped by the motion, I_a where the warp leaves the screen).
 */
class NetworkReconstructorTest {
    static final int W = 40;
    static final int H = 24;

    @BeforeAll
    static void gl() {
        GlTest.context();
    }

    static void assertPqClose(FloatImage goldenPq, FloatImage linear, String what) {
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(goldenPq.get(x, y, c), Pq.encode(linear.get(x, y, c)), 2e-4,
                            what + " at " + x + "," + y + " channel " + c);
                }
            }
        }
    }

    void check(NetworkSpec spec, long seed) {
        Random rnd = new Random(seed);
        FloatImage c1 = TaaTest.random(rnd, W, H, 4, 0.5, false);
        FloatImage c2 = TaaTest.random(rnd, W, H, 4, 0.5, false);
        FloatImage motion = new FloatImage(W, H, 2);
        for (int i = 0; i < motion.data.length; i++) {
            motion.data[i] = (float) (rnd.nextGaussian() * 3);
        }
        FloatImage depth = TaaTest.random(rnd, W, H, 1, 5, false);
        Weights weights = Weights.random(spec, seed);
        GoldenModel golden = new GoldenModel(spec, weights);
        try (NetworkReconstructor net = new NetworkReconstructor("test", spec, weights, "random");
                Texture2D t1 = GlImages.texture(c1); Texture2D t2 = GlImages.texture(c2);
                Texture2D m = GlImages.texture(motion); Texture2D d = GlImages.texture(depth)) {
            FloatImage out1 = GlImages.download(net.reconstruct(GlImages.frame(0, true, t1, m, d)), 4);
            Tensor ia1 = NetworkTestImages.padded(c1, true, null, null);
            FloatImage gold1 = NetworkTestImages.crop(golden.run(ia1, ia1), W, H);
            assertPqClose(gold1, out1, spec.variant() + " first frame (I_w = I_a)");

            FloatImage out2 = GlImages.download(net.reconstruct(GlImages.frame(1, false, t2, m, d)), 4);
            boolean[] valid = new boolean[W * H];
            FloatImage warped = Warp.backward(gold1, motion, valid);
            Tensor ia2in = NetworkTestImages.padded(c2, true, null, null);
            Tensor iw2 = NetworkTestImages.padded(warped, false, valid, c2);
            FloatImage gold2 = NetworkTestImages.crop(golden.run(ia2in, iw2), W, H);
            assertPqClose(gold2, out2, spec.variant() + " second frame (warped previous output)");
            int invalid = 0;
            for (boolean v : valid) {
                invalid += v ? 0 : 1;
            }
            assertTrue(invalid > 0 && invalid < W * H / 2, "some warps leave the screen: " + invalid);
        }
    }

    @Test
    void unetEndToEnd() {
        check(NetworkSpec.unet(), 5);
    }

    @Test
    void qwnetFp32EndToEnd() {
        check(NetworkSpec.qwnet(), 6);
    }
}
