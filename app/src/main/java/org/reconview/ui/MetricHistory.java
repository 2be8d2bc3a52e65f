package org.reconview.ui;

import java.util.Arrays;

/** Per-frame PSNR, SSIM and temporal error of one method since the last reset, for the table and the plots. */
final class MetricHistory {
    int count;
    double[] frame = new double[256];
    double[] psnr = new double[256];
    double[] ssim = new double[256];
    double[] temporal = new double[256];
    private double sumPsnr;
    private double sumSsim;
    private double sumTemporal;
    private int countTemporal;

    void add(int frameIndex, double p, double s, double t) {
        if (count == frame.length) {
            frame = Arrays.copyOf(frame, count * 2);
            psnr = Arrays.copyOf(psnr, count * 2);
            ssim = Arrays.copyOf(ssim, count * 2);
            temporal = Arrays.copyOf(temporal, count * 2);
        }
        frame[count] = frameIndex;
        psnr[count] = p;
        ssim[count] = s;
        temporal[count] = t;
        count++;
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

    double lastTemporal() {
        return count == 0 ? Double.NaN : temporal[count - 1];
    }

    double meanPsnr() {
        return count == 0 ? Double.NaN : sumPsnr / count;
    }

    double meanSsim() {
        return count == 0 ? Double.NaN : sumSsim / count;
    }

    double meanTemporal() {
        return countTemporal == 0 ? Double.NaN : sumTemporal / countTemporal;
    }

    void clear() {
        count = 0;
        sumPsnr = 0;
        sumSsim = 0;
        sumTemporal = 0;
        countTemporal = 0;
    }
}
