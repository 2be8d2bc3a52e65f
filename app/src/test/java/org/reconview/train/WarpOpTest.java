package org.reconview.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.reconview.io.FloatImage;
import org.reconview.recon.Warp;
import org.tensorflow.EagerSession;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The TensorFlow warp equals the golden warp (values and validity), batch by batch. */
@org.junit.jupiter.api.Tag("tensorflow")
class WarpOpTest {
    @Test
    void equalsTheGoldenWarp() {
        int batch = 2;
        int h = 13;
        int w = 17;
        int c = 3;
        Random rnd = new Random(9);
        FloatImage[] images = new FloatImage[batch];
        FloatImage[] motions = new FloatImage[batch];
        float[] img = new float[batch * h * w * c];
        float[] mot = new float[batch * h * w * 2];
        for (int b = 0; b < batch; b++) {
            images[b] = new FloatImage(w, h, c);
            motions[b] = new FloatImage(w, h, 2);
            for (int i = 0; i < h * w * c; i++) {
                images[b].data[i] = rnd.nextFloat();
                img[b * h * w * c + i] = images[b].data[i]; // FloatImage is HWC: the same order as NHWC
            }
            for (int i = 0; i < h * w * 2; i++) {
                motions[b].data[i] = (float) (rnd.nextGaussian() * 3);
                mot[b * h * w * 2 + i] = motions[b].data[i];
            }
        }
        try (EagerSession s = EagerSession.create()) {
            Ops tf = Ops.create(s);
            var image = tf.reshape(tf.constant(img), tf.constant(new long[] {batch, h, w, c}));
            var motion = tf.reshape(tf.constant(mot), tf.constant(new long[] {batch, h, w, 2}));
            WarpOp.Result r = WarpOp.warp(tf, image, motion, batch, h, w);
            try (TFloat32 out = (TFloat32) r.image().asTensor(); TFloat32 valid = (TFloat32) r.valid().asTensor()) {
                assertEquals(Shape.of(batch, h, w, c), out.shape());
                for (int b = 0; b < batch; b++) {
                    boolean[] goldenValid = new boolean[h * w];
                    FloatImage golden = Warp.backward(images[b], motions[b], goldenValid);
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            assertEquals(goldenValid[y * w + x] ? 1f : 0f, valid.getFloat(b, y, x, 0),
                                    "valid " + b + "," + y + "," + x);
                            for (int ch = 0; ch < c; ch++) {
                                assertEquals(golden.get(x, y, ch), out.getFloat(b, y, x, ch), 1e-6f,
                                        "value " + b + "," + y + "," + x + "," + ch);
                            }
                        }
                    }
                }
            }
        }
    }
}
