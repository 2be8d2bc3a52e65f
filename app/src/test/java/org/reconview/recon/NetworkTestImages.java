package org.reconview.recon;

import org.reconview.color.Pq;
import org.reconview.io.FloatImage;
import org.reconview.nn.GoldenModel;
import org.reconview.nn.Tensor;

/**
 * What the network reconstructors do around the network, written out for the tests' golden chains: PQ-encoded RGB
 * padded to a multiple of 16 by edge replication (with a fallback where a warp fell off screen), and the crop back.
 */
final class NetworkTestImages {
    private NetworkTestImages() {
    }

    /** PQ RGB of an image (or of a PQ-encoded fallback where valid is false), padded by edge replication, CHW. */
    static Tensor padded(FloatImage img, boolean encode, boolean[] valid, FloatImage fallback) {
        int w = img.width;
        int h = img.height;
        int m = GoldenModel.PAD_MULTIPLE;
        int ph = (h + m - 1) / m * m;
        int pw = (w + m - 1) / m * m;
        Tensor t = new Tensor(3, ph, pw);
        for (int y = 0; y < ph; y++) {
            for (int x = 0; x < pw; x++) {
                int sx = Math.min(x, w - 1);
                int sy = Math.min(y, h - 1);
                boolean ok = valid == null || valid[sy * w + sx];
                for (int c = 0; c < 3; c++) {
                    float v = ok ? img.get(sx, sy, c) : fallback.get(sx, sy, c);
                    t.set(c, y, x, encode || !ok ? Pq.encode(v) : v);
                }
            }
        }
        return t;
    }

    /** The top-left w x h of a network output, clamped to [0, 1] as the reconstructor does, RGBA with alpha 1. */
    static FloatImage crop(Tensor t, int w, int h) {
        FloatImage img = new FloatImage(w, h, 4);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    img.set(x, y, c, Math.min(1f, Math.max(0f, t.get(c, y, x))));
                }
                img.set(x, y, 3, 1f);
            }
        }
        return img;
    }
}
