package org.reconview.eval;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.reconview.gl.Texture2D;
import org.reconview.metrics.DisplayEncoding;
import org.reconview.metrics.FrameMetric;
import org.reconview.metrics.FrameMetrics;
import org.reconview.recon.WarpPass;
import org.reconview.source.Frame;

/**
 * The frame-measuring loop that {@code eval} ({@link Evaluator}) and the viewer share: per frame, warp the previous
 * reference with the frame's motion; per method, warp that method's previous output, measure its output against the
 * reference with {@link FrameMetrics} (temporal metrics only where both previous images belong to the previous
 * frame), and keep the output as the method's previous one; at the end of the frame keep the reference. What differs
 * between the two callers (which methods run, when, what is timed and kept) stays with them.
 */
public final class SequenceMeasurer implements AutoCloseable {
    private final FrameMetrics metrics;
    private final WarpPass warp = new WarpPass();
    private final Texture2D previousReference;
    private final Texture2D warpedReference;
    private final Texture2D warpedOutput;
    private final Map<String, Texture2D> previousOutputs = new LinkedHashMap<>();
    /** Methods whose previous output belongs to the previous frame. */
    private final Set<String> remembered = new java.util.HashSet<>();
    private final int width;
    private final int height;
    private boolean hasPreviousReference;
    private Frame frame;
    private boolean temporal;

    /** Frames of {@code width x height}, measured with the {@link FrameMetrics} ids given. */
    public SequenceMeasurer(int width, int height, java.util.List<String> metricIds) {
        this.width = width;
        this.height = height;
        metrics = new FrameMetrics(width, height, metricIds);
        previousReference = new Texture2D(width, height, Texture2D.RGBA32F);
        warpedReference = new Texture2D(width, height, Texture2D.RGBA32F);
        warpedOutput = new Texture2D(width, height, Texture2D.RGBA32F);
    }

    public FrameMetrics metrics() {
        return metrics;
    }

    /**
     * Starts frame {@code f}: it is temporal when the previous frame's reference is kept and {@code f} is no cut and
     * has a reference; then the previous reference is warped to it.
     *
     * @return whether the frame is temporal
     */
    public boolean beginFrame(Frame f) {
        frame = f;
        temporal = hasPreviousReference && !f.cut() && f.hasReference();
        if (temporal) {
            warp.run(previousReference, f.motion(), warpedReference);
        }
        return temporal;
    }

    /** Whether the frame begun is temporal (see {@link #beginFrame}). */
    public boolean temporal() {
        return temporal;
    }

    /** Whether {@code method}'s previous output belongs to the previous frame. */
    public boolean remembers(String method) {
        return remembered.contains(method);
    }

    /**
     * Measures {@code method}'s {@code output} of the frame begun against its reference: the metrics in
     * {@code enabled} (null: all this measurer's), the temporal ones only on a temporal frame after a
     * {@link #remember} of this method on the previous one (else NaN).
     */
    public Map<String, Double> measure(String method, Texture2D output, DisplayEncoding encoding,
            Set<String> enabled) {
        if (!frame.hasReference()) {
            throw new IllegalStateException("frame " + frame.index() + " has no reference to measure against");
        }
        boolean withPrevious = temporal && remembered.contains(method);
        if (withPrevious) {
            warp.run(previousOutputs.get(method), frame.motion(), warpedOutput);
        }
        FrameMetric.Inputs in = new FrameMetric.Inputs(output, frame.reference(),
                withPrevious ? warpedOutput : null, withPrevious ? warpedReference : null, encoding);
        return enabled == null ? metrics.measure(in) : metrics.measure(in, enabled);
    }

    /** Keeps {@code output} as {@code method}'s previous output for the next frame's temporal metrics. */
    public void remember(String method, Texture2D output) {
        previousOutputs.computeIfAbsent(method, m -> new Texture2D(width, height, Texture2D.RGBA32F))
                .copyFrom(output);
        remembered.add(method);
    }

    /** Drops {@code method}'s previous output (its history restarts: its next frame is measured as after a cut). */
    public void forget(String method) {
        remembered.remove(method);
    }

    /** Ends the frame begun: its reference becomes the previous one (a frame without one leaves none). */
    public void endFrame() {
        if (frame.hasReference()) {
            previousReference.copyFrom(frame.reference());
        }
        hasPreviousReference = frame.hasReference();
    }

    /** Forgets every previous image: the next frame is measured as after a cut. */
    public void reset() {
        remembered.clear();
        hasPreviousReference = false;
    }

    @Override
    public void close() {
        metrics.close();
        warp.close();
        previousReference.close();
        warpedReference.close();
        warpedOutput.close();
        previousOutputs.values().forEach(Texture2D::close);
        previousOutputs.clear();
    }
}
