package org.reconview.nn.cuda;

import static jcuda.driver.JCudaDriver.*;

import java.util.Arrays;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;

/**
 * GPU time of work issued on a {@link DriverDevice}'s stream, measured with a pair of CUDA events recorded on that
 * stream around it (cuEventElapsedTime: the time between the two events' completion on the GPU, about 0.5 us
 * resolution), so host-side launch overhead between launches does not count unless the GPU waits for it.
 * The median of repetitions after warm-up runs (the first launches pay for module JIT, caches and clocks ramping up).
 */
public final class CudaTimer implements AutoCloseable {
    private final DriverDevice device;
    private final CUevent start = new CUevent();
    private final CUevent stop = new CUevent();
    private boolean closed;

    public CudaTimer(DriverDevice device) {
        this.device = device;
        DriverDevice.call("cuEventCreate", () -> {
            device.makeCurrent();
            cuEventCreate(start, CUevent_flags.CU_EVENT_DEFAULT);
            try {
                cuEventCreate(stop, CUevent_flags.CU_EVENT_DEFAULT);
            } catch (RuntimeException e) {
                cuEventDestroy(start);
                throw e;
            }
            return null;
        });
    }

    /**
     * Runs {@code work} (which issues GPU work on the device's stream) {@code warmup} times untimed, then
     * {@code repetitions} times each between two events, and returns the median GPU time of one run in ms.
     */
    public double medianMs(int warmup, int repetitions, Runnable work) {
        if (warmup < 0 || repetitions < 1) {
            throw new IllegalArgumentException("warmup " + warmup + ", repetitions " + repetitions);
        }
        for (int i = 0; i < warmup; i++) {
            work.run();
        }
        double[] ms = new double[repetitions];
        for (int i = 0; i < repetitions; i++) {
            ms[i] = timeOnce(work);
        }
        return median(ms);
    }

    /** The GPU time of one run of {@code work} in ms (waits for it). */
    public double timeOnce(Runnable work) {
        if (closed) {
            throw new IllegalStateException("timer closed");
        }
        DriverDevice.call("cuEventRecord", () -> {
            device.makeCurrent();
            cuEventRecord(start, device.stream());
            return null;
        });
        work.run();
        return DriverDevice.call("cuEventElapsedTime", () -> {
            device.makeCurrent();
            cuEventRecord(stop, device.stream());
            cuEventSynchronize(stop);
            float[] ms = new float[1];
            cuEventElapsedTime(ms, start, stop);
            return (double) ms[0];
        });
    }

    /** The median (the mean of the middle two for an even count). */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        DriverDevice.call("cuEventDestroy", () -> {
            device.makeCurrent();
            cuEventDestroy(start);
            cuEventDestroy(stop);
            return null;
        });
    }
}
