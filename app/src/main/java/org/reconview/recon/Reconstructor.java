package org.reconview.recon;

import org.reconview.Job;
import org.reconview.gl.Texture2D;
import org.reconview.nn.BitOps;
import org.reconview.source.Frame;

/**
 * A reconstruction method: turns each {@link Frame} into an image (linear HDR RGBA32F, row 0 = top). It owns its
 * history, clears it on {@link #reset()} and on frames that start a new shot ({@link Frame#cut()}), and never lets a
 * NaN or Inf from its input into that history.
 */
public interface Reconstructor extends AutoCloseable {
    /** The method's name as the CLI and the UI spell it ("input", "taa", ...). */
    String name();

    /**
     * What runs, for reports: the name, or for networks the variant, the arithmetic and where it runs, and the
     * weights.
     */
    default String description() {
        return name();
    }

    /** Reconstructs this frame; the texture is owned by the reconstructor and valid until its next call. */
    Texture2D reconstruct(Frame frame);

    /**
     * This frame's work as steps that a caller may spread over several UI frames; running them all is
     * {@link #reconstruct} (methods that split their work build reconstruct from the same steps). Default: one step.
     * The frame's textures must stay valid until the job is done; no other call may come between its steps.
     */
    default Job<Texture2D> begin(Frame frame) {
        return Job.of(() -> reconstruct(frame));
    }

    /**
     * {@link #begin(Frame)} with steps of at most about {@code macsPerStep} FP32 multiply-add equivalents where the
     * method can cut its work finer (networks cut convolutions into row bands: {@code InferenceNetwork.steps(long)});
     * the same result. Long.MAX_VALUE, and the default for methods that cannot: {@link #begin(Frame)}.
     */
    default Job<Texture2D> begin(Frame frame, long macsPerStep) {
        return begin(frame);
    }

    /**
     * The cost of the last {@link #reconstruct} for networks: BitOPs and average activation bits at the network's
     * (padded) size; null for methods that are not networks.
     */
    default BitOps.Frame lastCost() {
        return null;
    }

    /**
     * The method's own section of the viewer's panel: its settings as controls (changed in place), or what runs.
     * The panel calls this for every method and knows nothing of their settings.
     */
    default void drawUi(Widgets ui) {
        ui.text(description());
    }

    /** A few words for a view's title beside the name (a network's arithmetic and weights), or null. */
    default String shortDescription() {
        return null;
    }

    /** The last frame's per-tile bit widths for a method whose widths vary by tile (CADyQ), else null. */
    default NetworkReconstructor.TileBits tileBits() {
        return null;
    }

    /**
     * Whether the method can run its integer convolutions on another backend (CUDA or GLSL), which the viewer then
     * offers to switch (a rebuild of the method).
     */
    default boolean hasBackendChoice() {
        return false;
    }

    /** Forgets the history: the next frame is reconstructed as if it were the first. */
    void reset();

    @Override
    void close();
}
