package org.reconview.metrics;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.reconview.UserException;
import org.reconview.io.ExrImages;
import org.reconview.io.FloatImage;

/**
 * PSNR and SSIM of one EXR image against a reference EXR, with the golden CPU metrics ({@link Psnr}, {@link Ssim}):
 * what {@code reconview metrics A.exr B.exr} prints. Reads R, G, B of both files (other channels, alpha included,
 * are ignored), which must have the same size, at least 11x11. Problems with the files are one-line
 * {@link UserException}s naming the file. As JSON:
 * <pre>{"psnr": 31.2, "ssim": 0.93, "encoding": "pq", "reference": "B.exr", "image": "A.exr", ...,
 * "ldr_flip": 0.05, "hdr_flip": 0.07}</pre>
 * with {@code "psnr": null} when the images are identical after encoding (infinite PSNR). {@code ldr_flip} is
 * LDR-FLIP of the linear values clamped to [0, 1] and sRGB-encoded, {@code hdr_flip} HDR-FLIP of the linear values
 * with the default exposures ({@link Flip}, 67 pixels per degree; null when the reference has no light to set
 * exposures by); neither depends on {@code --encoding}.
 */
public record ImageComparison(double psnr, double ssim, DisplayEncoding encoding, Path image, Path reference,
                              int nonFiniteImage, int nonFiniteReference, double ldrFlip, double hdrFlip) {

    /** Reads both files and computes the metrics on {@code encoding}. */
    public static ImageComparison of(Path image, Path reference, DisplayEncoding encoding) {
        FloatImage a = read(image);
        FloatImage b = read(reference);
        if (b.width != a.width || b.height != a.height) {
            throw new UserException(reference + ": size " + b.width + "x" + b.height + ", expected " + a.width + "x"
                    + a.height + " (the size of " + image + ")");
        }
        if (a.width < Ssim.WINDOW || a.height < Ssim.WINDOW) {
            throw new UserException(image + ": size " + a.width + "x" + a.height + ", SSIM needs at least "
                    + Ssim.WINDOW + "x" + Ssim.WINDOW);
        }
        if (encoding == DisplayEncoding.LINEAR) {
            requireFinite(image, a);
            requireFinite(reference, b);
        }
        return new ImageComparison(Psnr.psnr(a, b, encoding), Ssim.ssim(a, b, encoding), encoding, image, reference,
                a.countNonFinite(), b.countNonFinite(), Flip.ldrMean(srgbOfClamped(a), srgbOfClamped(b),
                        Flip.DEFAULT_PPD), hdrFlip(a, b));
    }

    /**
     * The linear values clamped to [0, 1] and sRGB-encoded (no tone mapping, no 8-bit rounding): what FLIP's LDR tool
     * sees in an sRGB PNG of them. NaN becomes 0, as the clamp of FLIP's own tool makes it.
     */
    public static FloatImage srgbOfClamped(FloatImage linear) {
        FloatImage out = new FloatImage(linear.width, linear.height, 3);
        for (int y = 0; y < linear.height; y++) {
            for (int x = 0; x < linear.width; x++) {
                for (int c = 0; c < 3; c++) {
                    float v = linear.get(x, y, c);
                    double clamped = v > 1 ? 1 : v > 0 ? v : 0;
                    out.set(x, y, c, (float) DisplayEncoding.srgbOetf(clamped));
                }
            }
        }
        return out;
    }

    /** HDR-FLIP with its default exposures; NaN where the reference defines none (no light: zero median or peak). */
    private static double hdrFlip(FloatImage a, FloatImage b) {
        Flip.Exposures e;
        try {
            e = Flip.defaultExposures(b);
        } catch (IllegalArgumentException none) {
            return Double.NaN;
        }
        return Flip.hdrMean(a, b, Flip.DEFAULT_PPD, e);
    }

    private static FloatImage read(Path file) {
        return ExrImages.read(file, "R", "G", "B");
    }

    /** pq and srgb map NaN to 0 and +Inf to 1; linear has no such rule, so non-finite values are an input error. */
    private static void requireFinite(Path file, FloatImage img) {
        int n = img.countNonFinite();
        if (n > 0) {
            throw new UserException(file + ": " + n + " NaN/Inf values in R, G, B (--encoding linear needs finite"
                    + " values; pq and srgb map NaN to 0 and Inf to 1)");
        }
    }

    /**
     * One JSON object: psnr (null when infinite), ssim, encoding, reference, image (paths as given), and the count of
     * NaN/Inf values in R, G, B of each (mapped by pq and srgb, so they count as 0 or 1 in the metrics).
     */
    public String toJson() {
        JsonObject o = new JsonObject();
        if (Double.isInfinite(psnr) && psnr > 0) {
            o.add("psnr", null);
        } else {
            o.addProperty("psnr", psnr);
        }
        o.addProperty("ssim", ssim);
        o.addProperty("encoding", encoding.id());
        o.addProperty("reference", reference.toString());
        o.addProperty("image", image.toString());
        o.addProperty("nonfinite_image", nonFiniteImage);
        o.addProperty("nonfinite_reference", nonFiniteReference);
        o.addProperty("ldr_flip", ldrFlip);
        if (Double.isFinite(hdrFlip)) {
            o.addProperty("hdr_flip", hdrFlip);
        } else {
            o.add("hdr_flip", null);
        }
        return new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(o);
    }
}
