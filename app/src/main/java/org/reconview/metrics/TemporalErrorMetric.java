package org.reconview.metrics;

/**
 * The paper's temporal error (eq. 2) on the display encoding ({@link GpuMetrics#temporalError}; golden
 * {@link TemporalError}): the output's frame-to-frame change against its warped previous frame, minus the
 * reference's. NaN on a frame without a previous one.
 */
final class TemporalErrorMetric implements FrameMetric {
    private final FrameMetrics.Passes passes;

    TemporalErrorMetric(FrameMetrics.Passes passes) {
        this.passes = passes;
    }

    @Override
    public String id() {
        return "temporal_error";
    }

    @Override
    public String title() {
        return "Temporal error (eq. 2)";
    }

    @Override
    public String unit() {
        return "";
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    public boolean temporal() {
        return true;
    }

    @Override
    public double measure(Inputs in) {
        return passes.metrics().temporalError(in.output(), in.outputPrevWarped(), in.reference(),
                in.referencePrevWarped(), in.encoding());
    }
}
