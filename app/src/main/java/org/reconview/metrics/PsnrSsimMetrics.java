package org.reconview.metrics;

/**
 * PSNR and SSIM on the display encoding ({@link GpuMetrics#evaluate}; golden {@link Psnr}, {@link Ssim}): one GPU
 * pass gives both, so the second of them to be measured on a frame reuses the first's result.
 */
final class PsnrSsimMetrics {
    private PsnrSsimMetrics() {
    }

    static FrameMetric psnr(FrameMetrics.Passes p) {
        return new BasicMetric("psnr", "PSNR", "dB", true, false, "%.6f", in -> result(p, in).psnr());
    }

    static FrameMetric ssim(FrameMetrics.Passes p) {
        return new BasicMetric("ssim", "SSIM", "", true, false, "%.8f", in -> result(p, in).ssim(),
                () -> p.metrics().ssimMap());
    }

    /** The frame's PSNR/SSIM pass, run once for its inputs; it also leaves the encoded images in GpuMetrics. */
    static GpuMetrics.Result result(FrameMetrics.Passes p, FrameMetric.Inputs in) {
        return in.memo(GpuMetrics.class, () -> p.metrics().evaluate(in.output(), in.reference(), in.encoding()));
    }
}
