package org.reconview.metrics;

import org.reconview.io.FloatImage;

/**
 * FLIP per frame ({@link GpuFlip}; golden {@link Flip}) at FLIP's default 67 pixels per degree. {@code ldr_flip}: LDR-FLIP
 * of the images as displayed, the named display encoding's values taken as an sRGB image (with {@code linear}, the
 * values clamped to [0, 1]); {@code hdr_flip}: HDR-FLIP of the linear values with the exposures FLIP derives from
 * the frame's reference (NaN where the reference has no light).
 */
final class FlipMetrics {
    private FlipMetrics() {
    }

    static FrameMetric ldr(FrameMetrics.Passes p) {
        return new BasicMetric("ldr_flip", "LDR-FLIP", "", false, false, "%.8f", in -> {
            if (in.encoding() == DisplayEncoding.LINEAR) {
                p.flip().evaluateLdr(in.output(), in.reference(), Flip.DEFAULT_PPD, GpuFlip.LdrInput.LINEAR);
            } else {
                PsnrSsimMetrics.result(p, in);
                p.flip().evaluateLdr(p.metrics().encodedImage(), p.metrics().encodedReference(), Flip.DEFAULT_PPD,
                        GpuFlip.LdrInput.SRGB);
            }
            return p.flip().mean();
        }, () -> p.flip().map());
    }

    static FrameMetric hdr(FrameMetrics.Passes p) {
        return new BasicMetric("hdr_flip", "HDR-FLIP", "", false, false, "%.8f", in -> {
            FloatImage ref = new FloatImage(in.reference().width(), in.reference().height(), 4,
                    in.reference().download(4));
            Flip.Exposures e;
            try {
                e = Flip.defaultExposures(ref);
            } catch (IllegalArgumentException none) {
                return Double.NaN;
            }
            p.flip().evaluateHdr(in.output(), in.reference(), Flip.DEFAULT_PPD, e);
            return p.flip().mean();
        });
    }
}
