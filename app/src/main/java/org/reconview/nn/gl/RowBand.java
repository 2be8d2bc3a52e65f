package org.reconview.nn.gl;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows [start, start + rows) of a convolution's output: one dispatch over them computes exactly what the whole
 * dispatch computes there (each output pixel is one invocation's, whatever the band), so a conv cut into bands gives
 * the same tensor. Cutting lets a caller that time-slices a network (the viewer) keep each step short.
 */
public record RowBand(int start, int rows) {
    /** Workgroup rows: band edges fall on multiples of this, so no workgroup straddles two bands. */
    public static final int GROUP = 8;

    public RowBand {
        if (start < 0 || rows <= 0 || start % GROUP != 0) {
            throw new IllegalArgumentException("row band " + start + "+" + rows);
        }
    }

    /** Every row of a tensor {@code height} high. */
    public static RowBand all(int height) {
        return new RowBand(0, height);
    }

    /** About {@code bands} bands covering {@code height} rows, each a whole number of workgroups (at least one). */
    public static List<RowBand> split(int height, int bands) {
        int groups = (height + GROUP - 1) / GROUP;
        int n = Math.max(1, Math.min(bands, groups));
        int per = (groups + n - 1) / n;
        List<RowBand> out = new ArrayList<>();
        for (int g = 0; g < groups; g += per) {
            int start = g * GROUP;
            out.add(new RowBand(start, Math.min(height, (g + per) * GROUP) - start));
        }
        return out;
    }

    /**
     * The bands a conv of {@code macsPerPixel} over a {@code height x width} output is cut into so that each has at
     * most about {@code macsPerStep} multiply-adds.
     */
    public static List<RowBand> forWork(int height, int width, long macsPerPixel, long macsPerStep) {
        if (macsPerStep == Long.MAX_VALUE) {
            return List.of(all(height));
        }
        long macs = macsPerPixel * height * (long) width;
        return split(height, (int) Math.min(Integer.MAX_VALUE, Math.max(1, (macs + macsPerStep - 1) / macsPerStep)));
    }

    /** Workgroups along y for this band. */
    public int groups() {
        return (rows + GROUP - 1) / GROUP;
    }

    /**
     * A cut conv as steps: {@code prepare} (null: none) with the first band, one band a step, {@code finish}
     * (null: none) with the last; run in order, they are the whole conv.
     */
    public static java.util.List<Runnable> steps(List<RowBand> bands, Runnable prepare,
            java.util.function.Consumer<RowBand> conv, Runnable finish) {
        List<Runnable> out = new ArrayList<>();
        for (int i = 0; i < bands.size(); i++) {
            RowBand b = bands.get(i);
            boolean first = i == 0;
            boolean last = i == bands.size() - 1;
            out.add(() -> {
                if (first && prepare != null) {
                    prepare.run();
                }
                conv.accept(b);
                if (last && finish != null) {
                    finish.run();
                }
            });
        }
        return out;
    }
}
