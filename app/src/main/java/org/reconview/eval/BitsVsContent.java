package org.reconview.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Whether CADyQ's bits follow the content (issue 13's bar): every tile of every measured frame as a pair (its image
 * gradient, its MAC-weighted mean width); ranked by gradient over the run, the mean width of the top quarter minus
 * that of the bottom quarter. The gradient is the tile's mean |d/dx| + mean |d/dy| of I_a's luma, the selector's own
 * feature.
 */
public final class BitsVsContent {
    /** One frame's tiles. */
    private record FrameTiles(int frame, double[] gradient, double[] bits) {
    }

    /** The run's figure: mean widths of the quarters and their difference, over {@code tiles} tiles. */
    public record Result(double topQuarterBits, double bottomQuarterBits, double difference, int tiles) {
    }

    private final List<FrameTiles> frames = new ArrayList<>();

    public void add(int frame, double[] gradient, double[] bits) {
        if (gradient.length != bits.length) {
            throw new IllegalArgumentException(gradient.length + " gradients for " + bits.length + " tiles");
        }
        frames.add(new FrameTiles(frame, gradient.clone(), bits.clone()));
    }

    /** Over the frames at or after {@code firstMeasured}; null when fewer than 4 tiles were measured. */
    public Result result(int firstMeasured) {
        List<double[]> pairs = new ArrayList<>();
        for (FrameTiles f : frames) {
            if (f.frame() < firstMeasured) {
                continue;
            }
            for (int i = 0; i < f.bits().length; i++) {
                pairs.add(new double[] {f.gradient()[i], f.bits()[i]});
            }
        }
        int n = pairs.size();
        if (n < 4) {
            return null;
        }
        double[][] sorted = pairs.toArray(new double[0][]);
        Arrays.sort(sorted, (a, b) -> Double.compare(a[0], b[0]));
        int q = n / 4;
        double bottom = 0;
        double top = 0;
        for (int i = 0; i < q; i++) {
            bottom += sorted[i][1];
            top += sorted[n - 1 - i][1];
        }
        bottom /= q;
        top /= q;
        return new Result(top, bottom, top - bottom, n);
    }
}
