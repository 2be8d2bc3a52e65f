package org.reconview.ui;

import java.util.Arrays;

/**
 * Per-frame PSNR, SSIM and temporal error of one method since the last reset, for the table, the plots and the CSV
 * export. The means cover every frame since the reset; the per-frame arrays keep at most {@link #CAPACITY} frames
 * (when full, the older half goes), so that a session of hours holds flat.
 */
final class MetricHistory {
    static final int CAPACITY = 1 << 16;

    int count;
    double[] frame = new double[256];
    double[] psnr = new double[256];
    double[] ssim = new double[256];
    double[] temporal = new double[256];
    /** Average activation bits of a network's frame (NaN for methods that are not networks). */
    double[] bits = new double[256];
    /** The frame's BitOPs (NaN for methods that are not networks). */
    private double lastBitops = Double.NaN;
    /** Frames since the reset (count is what the arrays still hold). */
    private long total;
    private double sumPsnr;
    private double sumSsim;
    private double sumTemporal;
    private int countTemporal;

    void add(int frameIndex, double p, double s, double t) {
        add(frameIndex, p, s, t, Double.NaN, Double.NaN);
    }

    /** A frame with its cost: average activation bits and BitOPs (NaN for methods that are not networks). */
    void add(int frameIndex, double p, double s, double t, double avgBits, double bitops) {
        if (count == CAPACITY) {
            int keep = CAPACITY / 2;
            for (double[] a : new double[][] {frame, psnr, ssim, temporal, bits}) {
                System.arraycopy(a, count - keep, a, 0, keep);
            }
            count = keep;
        }
        if (count == frame.length) {
            frame = Arrays.copyOf(frame, count * 2);
            psnr = Arrays.copyOf(psnr, count * 2);
            ssim = Arrays.copyOf(ssim, count * 2);
            temporal = Arrays.copyOf(temporal, count * 2);
            bits = Arrays.copyOf(bits, count * 2);
        }
        bits[count] = avgBits;
        lastBitops = bitops;
        frame[count] = frameIndex;
        psnr[count] = p;
        ssim[count] = s;
        temporal[count] = t;
        count++;
        total++;
        sumPsnr += p;
        sumSsim += s;
        if (!Double.isNaN(t)) {
            sumTemporal += t;
            countTemporal++;
        }
    }

    double lastPsnr() {
        return count == 0 ? Double.NaN : psnr[count - 1];
    }

    double lastSsim() {
        return count == 0 ? Double.NaN : ssim[count - 1];
    }

    double lastBits() {
        return count == 0 ? Double.NaN : bits[count - 1];
    }

    double lastBitops() {
        return lastBitops;
    }

    double lastTemporal() {
        return count == 0 ? Double.NaN : temporal[count - 1];
    }

    double meanPsnr() {
        return total == 0 ? Double.NaN : sumPsnr / total;
    }

    double meanSsim() {
        return total == 0 ? Double.NaN : sumSsim / total;
    }

    double meanTemporal() {
        return countTemporal == 0 ? Double.NaN : sumTemporal / countTemporal;
    }

    void clear() {
        count = 0;
        total = 0;
        sumPsnr = 0;
        sumSsim = 0;
        sumTemporal = 0;
        countTemporal = 0;
        lastBitops = Double.NaN;
    }
}
