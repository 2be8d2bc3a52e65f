package org.reconview.nn.cpu;

import org.reconview.nn.Tensor;

/**
 * {@link org.reconview.nn.FloatOps#filter3x3} (per-pixel 3x3 kernels, edge clamping) over {@link CpuPool}'s threads,
 * row by row, with the same float arithmetic in the same order: bit for bit the golden result.
 */
public final class CpuFilter {
    private CpuFilter() {
    }

    public static Tensor filter3x3(Tensor image, Tensor kernels, int first) {
        if (kernels.height != image.height || kernels.width != image.width || kernels.channels < first + 9) {
            throw new IllegalArgumentException("kernels " + kernels + " for " + image);
        }
        int h = image.height;
        int w = image.width;
        int plane = h * w;
        float[] k = kernels.data;
        float[] img = image.data;
        Tensor out = new Tensor(image.channels, h, w);
        CpuPool.parallelFor(h, y -> {
            int[] rows = {Math.max(0, y - 1) * w, y * w, Math.min(h - 1, y + 1) * w};
            for (int x = 0; x < w; x++) {
                int[] cols = {Math.max(0, x - 1), x, Math.min(w - 1, x + 1)};
                int p = y * w + x;
                for (int c = 0; c < image.channels; c++) {
                    float sum = 0;
                    for (int t = 0; t < 9; t++) {
                        sum += k[(first + t) * plane + p] * img[c * plane + rows[t / 3] + cols[t % 3]];
                    }
                    out.data[c * plane + p] = sum;
                }
            }
        });
        return out;
    }
}
