package org.reconview.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.reconview.metrics.DisplayEncoding;
import org.reconview.metrics.ImageComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code reconview metrics A.exr B.exr [--encoding pq|srgb|linear]}: PSNR and SSIM of image A against reference B
 * with the golden CPU metrics (no OpenGL), printed as one JSON object; see {@link ImageComparison}.
 */
@Command(name = "metrics",
        description = {"PSNR and SSIM of image A against the reference B (both EXR, R, G, B; the same size, at least "
            + "11x11), on a display encoding, computed on the CPU (no OpenGL). Prints one JSON object:",
            "  {\"psnr\": 31.2, \"ssim\": 0.93, \"encoding\": \"pq\",",
            "   \"reference\": \"B.exr\", \"image\": \"A.exr\", ...,",
            "   \"ldr_flip\": 0.05, \"hdr_flip\": 0.07}",
            "psnr is null when the images are identical (infinite PSNR). PSNR is 10 log10(1 / MSE) over R, G, B; "
                + "SSIM is Wang et al. 2004 as scikit-image computes it (Gaussian window sigma 1.5, 11 taps, "
                + "population covariance, data range 1, 5-pixel border cropped), averaged over R, G, B. ldr_flip is "
                + "the mean LDR-FLIP (Andersson et al. 2020) of the linear values clamped to [0, 1] and sRGB-encoded, "
                + "as FLIP's tool reads an sRGB PNG of them; hdr_flip the mean HDR-FLIP (2021) of the linear values "
                + "with its default exposures (null where the reference has no light); both at 67 pixels per degree "
                + "and independent of --encoding."})
final class MetricsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "A.exr", description = "the image to measure")
    Path image;

    @Parameters(index = "1", paramLabel = "B.exr", description = "the reference")
    Path reference;

    @picocli.CommandLine.Mixin
    EncodingOption encoding = new EncodingOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        DisplayEncoding e = encoding.encoding;
        PrintWriter out = spec.commandLine().getOut();
        ImageComparison c = ImageComparison.of(image, reference, e);
        out.println(c.toJson());
        out.flush();
        // Not an error (pq and srgb define what NaN and Inf become), but never silent.
        PrintWriter err = spec.commandLine().getErr();
        if (c.nonFiniteImage() > 0) {
            err.println("reconview: warning: " + image + ": " + c.nonFiniteImage() + " NaN/Inf values in R, G, B ("
                    + e.id() + " maps NaN to 0 and Inf to 1)");
        }
        if (c.nonFiniteReference() > 0) {
            err.println("reconview: warning: " + reference + ": " + c.nonFiniteReference() + " NaN/Inf values in R,"
                    + " G, B (" + e.id() + " maps NaN to 0 and Inf to 1)");
        }
        return 0;
    }
}
