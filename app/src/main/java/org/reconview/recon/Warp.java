package org.reconview.recon;

import org.reconview.io.FloatImage;

/**
 * Backward warp of a previous image by motion vectors, bilinear: output pixel (x, y) takes the previous image at
 * (x + 0.5 + mx, y + 0.5 + my) in continuous image coordinates (texel centres at +0.5). Samples whose position lies
 * outside the previous image are invalid (output 0). The CPU golden version of the warp that TAA and both networks
 * use; the GLSL pass is checked against it.
 */
public final class Warp {
    private Warp() {
    }

    /** Warps {@code previous} by {@code motion} (2 channels, canonical convention); fills {@code valid} if non-null. */
    public static FloatImage backward(FloatImage previous, FloatImage motion, boolean[] valid) {
        int w = previous.width;
        int h = previous.height;
        int ch = previous.channels;
        FloatImage out = new FloatImage(w, h, ch);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = x + motion.get(x, y, 0); // texel-index coordinates of the sample
                double v = y + motion.get(x, y, 1);
                boolean inside = u >= -0.5 && u <= w - 0.5 && v >= -0.5 && v <= h - 0.5;
                if (valid != null) {
                    valid[y * w + x] = inside;
                }
                if (!inside) {
                    continue;
                }
                int x0 = (int) Math.floor(u);
                int y0 = (int) Math.floor(v);
                double fx = u - x0;
                double fy = v - y0;
                int xa = clamp(x0, w);
                int xb = clamp(x0 + 1, w);
                int ya = clamp(y0, h);
                int yb = clamp(y0 + 1, h);
                for (int c = 0; c < ch; c++) {
                    double top = previous.get(xa, ya, c) * (1 - fx) + previous.get(xb, ya, c) * fx;
                    double bottom = previous.get(xa, yb, c) * (1 - fx) + previous.get(xb, yb, c) * fx;
                    out.set(x, y, c, (float) (top * (1 - fy) + bottom * fy));
                }
            }
        }
        return out;
    }

    private static int clamp(int i, int n) {
        return Math.max(0, Math.min(n - 1, i));
    }
}
