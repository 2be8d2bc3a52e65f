package org.reconview.nn.cpu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.reconview.nn.FloatOps;
import org.reconview.nn.Tensor;

/** The CPU backend's kernel filter is bit for bit the golden one, edges included. */
class CpuFilterTest {
    static Tensor random(Random rnd, int c, int h, int w) {
        Tensor t = new Tensor(c, h, w);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = (float) rnd.nextGaussian();
        }
        return t;
    }

    @Test
    void matchesGoldenExactly() {
        Random rnd = new Random(5);
        for (int[] size : new int[][] {{1, 1}, {2, 7}, {17, 5}, {32, 48}}) {
            Tensor image = random(rnd, 3, size[0], size[1]);
            Tensor kernels = random(rnd, 19, size[0], size[1]);
            for (int first : new int[] {0, 9, 10}) {
                assertArrayEquals(FloatOps.filter3x3(image, kernels, first).data,
                        CpuFilter.filter3x3(image, kernels, first).data, size[0] + "x" + size[1] + " from " + first);
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> CpuFilter.filter3x3(random(rnd, 3, 4, 4), random(rnd, 9, 4, 4), 1));
    }
}
