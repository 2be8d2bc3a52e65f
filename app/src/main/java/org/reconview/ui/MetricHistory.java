package org.reconview.ui;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-frame values of one method since the last reset, for the table, the plots and the CSV export: every metric it
 * was given (by {@link org.reconview.metrics.FrameMetrics} id) and the network's average bits. The means cover every
 * frame since the reset (NaN values, such as a temporal metric's first frame, left out); the per-frame arrays keep at
 * most {@link #CAPACITY} frames (when full, the older half goes), so that a session of hours holds flat.
 */
final class MetricHistory {
    static final int CAPACITY = 1 << 16;
    /** The series of a network's average activation bits (NaN for methods that are not networks). */
    static final String BITS = "avg_bits";

    int count;
    double[] frame = new double[256];
    private final Map<String, double[]> series = new LinkedHashMap<>();
    private final Map<String, double[]> sums = new LinkedHashMap<>(); // {sum, n}
    /** The frame's BitOPs (NaN for methods that are not networks). */
    private double lastBitops = Double.NaN;

    /** A frame with its metrics by id and its cost (average bits and BitOPs, NaN for methods that are not networks). */
    void add(int frameIndex, Map<String, Double> metrics, double avgBits, double bitops) {
        Map<String, Double> values = new LinkedHashMap<>(metrics);
        values.put(BITS, avgBits);
        if (count == CAPACITY) {
            int keep = CAPACITY / 2;
            System.arraycopy(frame, count - keep, frame, 0, keep);
            for (double[] a : series.values()) {
                System.arraycopy(a, count - keep, a, 0, keep);
            }
            count = keep;
        }
        if (count == frame.length) {
            frame = Arrays.copyOf(frame, count * 2);
            series.replaceAll((k, a) -> Arrays.copyOf(a, count * 2));
        }
        for (String id : values.keySet()) {
            series.computeIfAbsent(id, k -> {
                double[] a = new double[frame.length];
                Arrays.fill(a, Double.NaN); // frames before this series began
                return a;
            });
        }
        frame[count] = frameIndex;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            Double v = values.get(e.getKey());
            double x = v == null ? Double.NaN : v;
            e.getValue()[count] = x;
            if (!Double.isNaN(x)) {
                double[] s = sums.computeIfAbsent(e.getKey(), k -> new double[2]);
                s[0] += x;
                s[1]++;
            }
        }
        lastBitops = bitops;
        count++;
    }

    /** The per-frame values of a series (the first {@link #count} are valid), or null if never given. */
    double[] series(String id) {
        return series.get(id);
    }

    double last(String id) {
        double[] a = series.get(id);
        return count == 0 || a == null ? Double.NaN : a[count - 1];
    }

    double mean(String id) {
        double[] s = sums.get(id);
        return s == null || s[1] == 0 ? Double.NaN : s[0] / s[1];
    }

    double lastPsnr() {
        return last("psnr");
    }

    double lastSsim() {
        return last("ssim");
    }

    double lastBits() {
        return last(BITS);
    }

    double lastBitops() {
        return lastBitops;
    }

    void clear() {
        count = 0;
        series.clear();
        sums.clear();
        lastBitops = Double.NaN;
    }
}
