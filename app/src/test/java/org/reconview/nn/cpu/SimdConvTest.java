package org.reconview.nn.cpu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.reconview.nn.FloatOps;
import org.reconview.nn.Tensor;

/** The CPU convolution against its golden FloatOps definition, on random data at odd sizes and channel counts. */
class SimdConvTest {
    final Random rnd = new Random(7);

    float[] random(int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextGaussian() * scale);
        }
        return a;
    }

    @Test
    void convolutionsWithBatchNormAndEluMatchGolden() {
        // {in, out, height, width}: widths below, at and past a vector, blocks of 16 outputs full and partial.
        int[][] cases = {{8, 32, 64, 64}, {13, 10, 23, 37}, {40, 9, 9, 7}, {3, 17, 5, 1}, {16, 16, 1, 8},
            {5, 33, 17, 16}};
        for (int[] c : cases) {
            int in = c[0];
            int out = c[1];
            Tensor x = new Tensor(in, c[2], c[3]);
            System.arraycopy(random(x.data.length, 1), 0, x.data, 0, x.data.length);
            for (int k : new int[] {3, 1}) {
                float[] w = random(out * in * k * k, Math.sqrt(2.0 / (in * k * k)));
                float[] bias = random(out, 0.1);
                float[] gamma = random(out, 1);
                float[] beta = random(out, 0.2);
                float[] mean = random(out, 0.3);
                float[] var = new float[out];
                float[] scale = new float[out];
                float[] shift = new float[out];
                for (int o = 0; o < out; o++) {
                    var[o] = 0.5f + rnd.nextFloat();
                    scale[o] = (float) (gamma[o] / Math.sqrt(var[o] + 1e-3f));
                    shift[o] = beta[o] - mean[o] * scale[o];
                }
                Tensor golden = k == 3 ? FloatOps.conv3x3(x, w, bias, out) : FloatOps.conv1x1(x, w, bias, out);
                golden = FloatOps.elu(FloatOps.batchNorm(golden, gamma, beta, mean, var, 1e-3f));
                Tensor got = new SimdConv(k, in, out, w, bias, scale, shift, true).apply(x);
                assertClose(golden, got, 1e-4, k + "x" + k + " " + in + "->" + out + " at " + c[3] + "x" + c[2]);
            }
        }
    }

    @Test
    void plainConvolutionHasNoEpilogue() {
        Tensor x = new Tensor(6, 11, 19);
        System.arraycopy(random(x.data.length, 1), 0, x.data, 0, x.data.length);
        float[] w = random(20 * 6 * 9, 0.3);
        assertClose(FloatOps.conv3x3(x, w, null, 20), new SimdConv(3, 6, 20, w, null, null, null, false).apply(x),
                1e-5, "no bias, no ELU");
    }

    @Test
    void refusesMismatchedShapes() {
        assertThrows(IllegalArgumentException.class, () -> new SimdConv(3, 4, 4, new float[10], null, null, null, false));
        assertThrows(IllegalArgumentException.class, () -> new SimdConv(5, 1, 1, new float[25], null, null, null, false));
        SimdConv c = new SimdConv(1, 4, 2, new float[8], null, null, null, false);
        assertThrows(IllegalArgumentException.class, () -> c.apply(new Tensor(3, 4, 4)));
    }

    @Test
    void poolRunsEveryItemOnceAndPassesFailuresOn() {
        AtomicIntegerArray hits = new AtomicIntegerArray(1000);
        CpuPool.parallelFor(1000, hits::incrementAndGet);
        for (int i = 0; i < 1000; i++) {
            assertEquals(1, hits.get(i), "item " + i);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CpuPool.parallelFor(50, i -> {
            if (i == 37) {
                throw new IllegalStateException("item 37");
            }
        }));
        assertEquals("item 37", e.getMessage());
    }

    static void assertClose(Tensor golden, Tensor got, double rel, String what) {
        assertEquals(golden.channels, got.channels, what);
        assertEquals(golden.height, got.height, what);
        assertEquals(golden.width, got.width, what);
        for (int i = 0; i < golden.data.length; i++) {
            float g = golden.data[i];
            assertEquals(g, got.data[i], rel * Math.max(1, Math.abs(g)), what + " at " + i);
        }
    }
}
