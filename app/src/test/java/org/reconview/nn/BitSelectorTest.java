package org.reconview.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BitSelectorTest {

    @Test
    void tileGradientsAreMeanAbsoluteCentralDifferencesOfLuma() {
        Random rnd = new Random(1);
        Tensor rgb = QuantizedTestData.image(rnd, 16, 24);
        float[] g = BitSelector.tileGradients(rgb, 8);
        assertEquals(2 * 3 * 2, g.length);
        for (int tr = 0; tr < 2; tr++) {
            for (int tc = 0; tc < 3; tc++) {
                double sx = 0;
                double sy = 0;
                for (int y = tr * 8; y < tr * 8 + 8; y++) {
                    for (int x = tc * 8; x < tc * 8 + 8; x++) {
                        sx += Math.abs(luma(rgb, y, Math.min(23, x + 1)) - luma(rgb, y, Math.max(0, x - 1))) / 2;
                        sy += Math.abs(luma(rgb, Math.min(15, y + 1), x) - luma(rgb, Math.max(0, y - 1), x)) / 2;
                    }
                }
                int t = tr * 3 + tc;
                assertEquals(sx / 64, g[2 * t], 1e-5, "x, tile " + t);
                assertEquals(sy / 64, g[2 * t + 1], 1e-5, "y, tile " + t);
            }
        }
    }

    private static double luma(Tensor t, int y, int x) {
        return 0.2126 * t.get(0, y, x) + 0.7152 * t.get(1, y, x) + 0.0722 * t.get(2, y, x);
    }

    @Test
    void tileStdIsThePopulationStandardDeviationPerChannel() {
        Random rnd = new Random(2);
        Tensor x = new Tensor(5, 4, 6);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = (float) (rnd.nextGaussian() * (1 + i % 3) + 3);
        }
        float[] s = BitSelector.tileStd(x, 2);
        assertEquals(2 * 3 * 5, s.length);
        for (int t = 0; t < 6; t++) {
            int ty = t / 3;
            int tx = t % 3;
            for (int c = 0; c < 5; c++) {
                // Welford, one pass: a different computation of the same number
                double mean = 0;
                double m2 = 0;
                int n = 0;
                for (int y = 2 * ty; y < 2 * ty + 2; y++) {
                    for (int xx = 2 * tx; xx < 2 * tx + 2; xx++) {
                        double v = x.get(c, y, xx);
                        n++;
                        double d = v - mean;
                        mean += d / n;
                        m2 += d * (v - mean);
                    }
                }
                assertEquals(Math.sqrt(m2 / n), s[t * 5 + c], 1e-6, "tile " + t + " channel " + c);
            }
        }
    }

    @Test
    void argmaxOfTheLinearLayerPicksTheWidthAndTiesGoWider() {
        float[] f = {0.5f, -1f, 2f};
        float[] w = {1, 0, 0, /**/ 0, 1, 0, /**/ 0, 0, 1};
        float[] b = {0, 0, -1.5f};
        double[] l = BitSelector.logits(f, w, b);
        assertArrayEquals(new double[] {0.5, -1, 0.5}, l, 1e-12);
        assertEquals(2, BitSelector.argmax(l), "tie between 0 and 2 goes to the wider, 2");
        assertEquals(0, BitSelector.argmax(new double[] {3, 1, 2}));
        assertThrows(IllegalArgumentException.class, () -> BitSelector.logits(f, new float[8], b));
    }

    @Test
    void chooseCombinesGradientAndStdFeaturesPerTile() {
        // two channels, 2x1 tiles of 2x2 at this scale; the image gradient tiles are given
        Tensor in = new Tensor(2, 2, 4, new float[] {
            0, 0, 1, -1, /**/ 0, 0, -1, 1, // channel 0: flat left tile, std 1 in the right tile
            5, 5, 5, 5, /**/ 5, 5, 5, 5}); // channel 1: flat
        float[] grads = {0.1f, 0.0f, 0.0f, 0.0f}; // left tile has an x gradient
        // logits: [2 bits: 0], [4 bits: 10 gx], [8 bits: 3 std0 - 0.5]
        float[] w = {0, 0, 0, 0, /**/ 10, 0, 0, 0, /**/ 0, 0, 3, 0};
        float[] b = {0, 0, -0.5f};
        int[] bits = BitSelector.choose(grads, in, 2, w, b, List.of(2, 4, 8));
        assertArrayEquals(new int[] {4, 8}, bits);
        bits = BitSelector.choose(new float[] {0, 0, 0, 0}, new Tensor(2, 2, 4), 2, w, b, List.of(2, 4, 8));
        assertArrayEquals(new int[] {4, 4}, bits, "all logits 0 or below: the tie 2/4 goes to 4");
    }

    @Test
    void refusesSizesThatAreNotWholeTiles() {
        assertThrows(IllegalArgumentException.class, () -> BitSelector.tileStd(new Tensor(1, 6, 8), 4));
    }
}
