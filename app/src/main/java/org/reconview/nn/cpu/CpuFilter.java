package org.reconview.nn.cpu;

import org.reconview.nn.FloatOps;
import org.reconview.nn.Tensor;

/**
 * {@link FloatOps#filter3x3} (per-pixel 3x3 kernels, edge clamping) with its rows, the golden
 * {@link FloatOps#filter3x3Row}, shared out over {@link CpuPool}'s threads: bit for bit the golden result.
 */
public final class CpuFilter {
    private CpuFilter() {
    }

    public static Tensor filter3x3(Tensor image, Tensor kernels, int first) {
        Tensor out = FloatOps.filter3x3Output(image, kernels, first);
        CpuPool.parallelFor(image.height, y -> FloatOps.filter3x3Row(image, kernels, first, y, out));
        return out;
    }
}
