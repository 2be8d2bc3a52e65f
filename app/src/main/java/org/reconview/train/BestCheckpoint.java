package org.reconview.train;

import java.util.function.Consumer;
import java.util.function.Supplier;
import org.reconview.nn.Weights;

/**
 * Keeps what ships: the weights of the validation score so far highest. {@link #offer} writes them (through
 * {@code writer}, atomically) only when a score beats every earlier one; the best score and its step survive a resume
 * through the checkpoint's metadata.
 */
public final class BestCheckpoint {
    private double best;
    private int bestStep;
    private final Consumer<Weights> writer;

    public BestCheckpoint(double best, int bestStep, Consumer<Weights> writer) {
        this.best = best;
        this.bestStep = bestStep;
        this.writer = writer;
    }

    /** A new selector that has seen nothing yet. */
    public static BestCheckpoint empty(Consumer<Weights> writer) {
        return new BestCheckpoint(Double.NEGATIVE_INFINITY, -1, writer);
    }

    /** Offers the weights of {@code step} with validation score {@code score}; returns whether they were kept. */
    public boolean offer(int step, double score, Supplier<Weights> weights) {
        if (!(score > best)) {
            return false;
        }
        best = score;
        bestStep = step;
        writer.accept(weights.get());
        return true;
    }

    public double best() {
        return best;
    }

    public int bestStep() {
        return bestStep;
    }
}
