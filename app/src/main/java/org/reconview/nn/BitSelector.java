package org.reconview.nn;

import java.util.List;

/**
 * The CADyQ bit selector in plain Java, the golden model of the GPU selector (see {@link CadyqSpec} for what it
 * computes and why). Statistics are accumulated in double and rounded once to float, so the features are as exact as
 * float can hold them; the logits are double sums in a fixed order (bias, then features in order).
 */
public final class BitSelector {

    private BitSelector() {
    }

    /**
     * Per tile of {@code tile x tile} pixels, the means of |d/dx| and |d/dy| of the Rec. 709 luma of {@code rgb}
     * (central differences, clamped at the borders, as {@link FloatOps#gradientMagnitude}): [tileRow][tileCol][2].
     */
    public static float[] tileGradients(Tensor rgb, int tile) {
        int h = rgb.height;
        int w = rgb.width;
        checkTiling(h, w, tile);
        Tensor d = FloatOps.lumaGradients(rgb);
        int ty = h / tile;
        int tx = w / tile;
        float[] out = new float[ty * tx * 2];
        int plane = h * w;
        for (int r = 0; r < ty; r++) {
            for (int c = 0; c < tx; c++) {
                double sx = 0;
                double sy = 0;
                for (int y = r * tile; y < (r + 1) * tile; y++) {
                    for (int x = c * tile; x < (c + 1) * tile; x++) {
                        sx += Math.abs(d.data[y * w + x]);
                        sy += Math.abs(d.data[plane + y * w + x]);
                    }
                }
                double n = (double) tile * tile;
                out[(r * tx + c) * 2] = (float) (sx / n);
                out[(r * tx + c) * 2 + 1] = (float) (sy / n);
            }
        }
        return out;
    }

    /**
     * Per tile of {@code tile x tile} pixels of {@code x} (CHW), the population standard deviation of each channel:
     * [tileRow][tileCol][channel]. Two passes (mean, then squared deviations), in double.
     */
    public static float[] tileStd(Tensor x, int tile) {
        int h = x.height;
        int w = x.width;
        checkTiling(h, w, tile);
        int ty = h / tile;
        int tx = w / tile;
        int ch = x.channels;
        float[] out = new float[ty * tx * ch];
        double n = (double) tile * tile;
        for (int r = 0; r < ty; r++) {
            for (int c = 0; c < tx; c++) {
                for (int k = 0; k < ch; k++) {
                    int base = k * h * w;
                    double sum = 0;
                    for (int y = r * tile; y < (r + 1) * tile; y++) {
                        for (int xx = c * tile; xx < (c + 1) * tile; xx++) {
                            sum += x.data[base + y * w + xx];
                        }
                    }
                    double mean = sum / n;
                    double sq = 0;
                    for (int y = r * tile; y < (r + 1) * tile; y++) {
                        for (int xx = c * tile; xx < (c + 1) * tile; xx++) {
                            double dv = x.data[base + y * w + xx] - mean;
                            sq += dv * dv;
                        }
                    }
                    out[(r * tx + c) * ch + k] = (float) Math.sqrt(sq / n);
                }
            }
        }
        return out;
    }

    /** logits[k] = bias[k] + sum_j weight[k][j] f[j], in double. */
    public static double[] logits(float[] features, float[] weight, float[] bias) {
        int k = bias.length;
        int f = features.length;
        if (weight.length != k * f) {
            throw new IllegalArgumentException("selector weight has " + weight.length + " values for " + k + "x" + f);
        }
        double[] out = new double[k];
        for (int i = 0; i < k; i++) {
            double s = bias[i];
            for (int j = 0; j < f; j++) {
                s += (double) weight[i * f + j] * features[j];
            }
            out[i] = s;
        }
        return out;
    }

    /** The index of the largest logit; ties go to the later (wider) candidate. */
    public static int argmax(double[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] >= logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * The chosen width of every tile for one selected conv: its features are the tile's two gradient means
     * ({@code gradients}, from {@link #tileGradients} at full resolution) and the per-channel std of {@code input}
     * (the conv's input at its scale) over the same tile at that scale. Returns widths (bits) per tile, row-major.
     */
    public static int[] choose(float[] gradients, Tensor input, int tileAtScale, float[] weight, float[] bias,
            List<Integer> candidates) {
        float[] std = tileStd(input, tileAtScale);
        int tiles = gradients.length / CadyqSpec.GRADIENT_FEATURES;
        int ch = input.channels;
        if (std.length != tiles * ch) {
            throw new IllegalArgumentException("tile grids differ: " + tiles + " gradient tiles, "
                    + std.length / ch + " feature tiles");
        }
        int[] bits = new int[tiles];
        float[] f = new float[CadyqSpec.GRADIENT_FEATURES + ch];
        for (int t = 0; t < tiles; t++) {
            f[0] = gradients[2 * t];
            f[1] = gradients[2 * t + 1];
            System.arraycopy(std, t * ch, f, CadyqSpec.GRADIENT_FEATURES, ch);
            bits[t] = candidates.get(argmax(logits(f, weight, bias)));
        }
        return bits;
    }

    private static void checkTiling(int h, int w, int tile) {
        if (tile <= 0 || h % tile != 0 || w % tile != 0) {
            throw new IllegalArgumentException(w + "x" + h + " is not a whole number of " + tile + "x" + tile
                    + " tiles");
        }
    }
}
