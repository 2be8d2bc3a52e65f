package org.reconview;

import java.util.List;
import java.util.function.Supplier;

/**
 * Work in steps that a caller may spread over time (the viewer: over UI frames, so it keeps answering), with a result
 * once the last step has run. Running every step in order is the whole work: the same commands in the same order,
 * so the same result as running it at once.
 */
public final class Job<T> {
    private final List<Runnable> steps;
    private final Supplier<T> result;
    private int next;

    public Job(List<Runnable> steps, Supplier<T> result) {
        this.steps = List.copyOf(steps);
        this.result = result;
    }

    /** One step that computes the result. */
    public static <T> Job<T> of(Supplier<T> work) {
        Object[] out = new Object[1];
        @SuppressWarnings("unchecked")
        Supplier<T> read = () -> (T) out[0];
        return new Job<>(List.of(() -> out[0] = work.get()), read);
    }

    public boolean done() {
        return next == steps.size();
    }

    /** Runs the next step. */
    public void step() {
        if (done()) {
            throw new IllegalStateException("job already done");
        }
        steps.get(next++).run();
    }

    /** Steps done so far. */
    public int progress() {
        return next;
    }

    public int steps() {
        return steps.size();
    }

    /** Runs what is left; returns the result. */
    public T finish() {
        while (!done()) {
            step();
        }
        return result();
    }

    public T result() {
        if (!done()) {
            throw new IllegalStateException("job not done: step " + next + " of " + steps.size());
        }
        return result.get();
    }
}
