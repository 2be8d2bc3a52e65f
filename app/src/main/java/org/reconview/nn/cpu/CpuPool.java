package org.reconview.nn.cpu;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The CPU network backend's worker threads, one per core, shared by every layer: loops split into items that
 * threads take one at a time (rows of a convolution), so that a slower core does not hold the others up.
 */
public final class CpuPool {
    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    /**
     * The helpers beside the caller's thread: one even on a single core, where parallelFor does not use it (a fixed
     * pool of none is refused, which failed the class's initialisation there).
     */
    private static final ExecutorService POOL = Executors.newFixedThreadPool(Math.max(1, THREADS - 1), r -> {
        Thread t = new Thread(r, "reconview-cpu-nn");
        t.setDaemon(true);
        return t;
    });

    private CpuPool() {
    }

    public static int threads() {
        return THREADS;
    }

    /** Runs {@code body} for 0..n-1 over the pool's threads and the caller's; returns when all are done. */
    public static void parallelFor(int n, IntConsumer body) {
        if (n <= 1 || THREADS == 1) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                body.accept(i);
            }
        };
        int helpers = Math.min(THREADS - 1, n - 1);
        Future<?>[] running = new Future<?>[helpers];
        for (int t = 0; t < helpers; t++) {
            running[t] = POOL.submit(worker);
        }
        worker.run();
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted in a CPU network layer", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                if (c instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(c);
            }
        }
    }
}
