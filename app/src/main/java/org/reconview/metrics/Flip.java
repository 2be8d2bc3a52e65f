package org.reconview.metrics;

import java.util.Arrays;
import org.reconview.io.FloatImage;

/**
 * NVIDIA FLIP, the CPU golden model: LDR-FLIP (Andersson et al., "FLIP: A Difference Evaluator for Alternating Images",
 * HPG 2020) and HDR-FLIP (Andersson et al., "Visualizing Errors in Rendered High Dynamic Range Images", EG 2021 short
 * paper). It follows the official implementation, https://github.com/NVlabs/flip at commit 1eb247c (FLIP v1.6,
 * {@code src/cpp/FLIP.h}), step by step, in double precision where the reference uses float; {@code FlipTest} checks
 * it against numbers that implementation produced ({@code scripts/flip-reference.py}).
 *
 * <p>The pipeline of one LDR evaluation (reference {@code image::LDR_FLIP}), on linear RGB in [0, 1]:
 * <ol>
 *   <li>linear RGB to XYZ (D65) to YCxCz ({@link #toYCxCz});</li>
 *   <li>colour pipeline (paper section 4): the contrast sensitivity filters in YCxCz, a clamp to the linear-RGB unit
 *       cube, CIELab with the Hunt adjustment, the HyAB distance raised to q_c, and the redistribution of that error to
 *       [0, 1] ({@link #colourError});</li>
 *   <li>feature pipeline (paper section 5): edges and points of the normalised achromatic channel found with the first
 *       and second derivative of a Gaussian, their difference raised to q_f ({@link #featureError});</li>
 *   <li>per pixel, {@code colourError ^ (1 - featureError)} (paper equation 9).</li>
 * </ol>
 * HDR-FLIP runs LDR-FLIP on ACES tone-mapped copies of both images at a range of exposures and keeps each pixel's
 * largest error (EG 2021 section 3).
 *
 * <p>Images are {@link FloatImage}s with at least 3 channels (R, G, B first; any further channel is ignored) and equal
 * sizes. Borders repeat the edge pixel, as the reference's filters do. The reference's clamps send NaN to 0 (they are
 * {@code Min(Max(v, 0), 1)} macros built on {@code >}); this class clamps the same way.
 */
public final class Flip {
    /** Pixels per degree of FLIP's default observer: 0.7 m from a 0.7 m wide monitor 3840 pixels wide (about 67.02). */
    public static final double DEFAULT_PPD = ppd(0.7, 0.7, 3840);

    // Colour pipeline constants (HPG 2020 section 4; reference FLIPConstants gqc, gpc, gpt).
    static final double QC = 0.7;
    static final double PC = 0.4;
    static final double PT = 0.95;
    // Feature pipeline constants (HPG 2020 section 5; reference gw, gqf): w is the edge detector's peak-to-trough width
    // in degrees, which makes the Gaussian's standard deviation w / 2 degrees.
    static final double GW = 0.082;
    static final double QF = 0.5;

    /*
     * Contrast sensitivity functions as sums of two Gaussians a sqrt(pi / b) exp(-pi^2 x^2 / b), x in degrees
     * (HPG 2020 equation 2, table 1; reference GaussianConstants). Achromatic and red-green have a single Gaussian:
     * their second one has a = 0 (b = 1e-5 only keeps the radius rule below from dividing by zero).
     */
    static final double A1_Y = 1.0;
    static final double B1_Y = 0.0047;
    static final double A1_CX = 1.0;
    static final double B1_CX = 0.0053;
    static final double A1_CZ = 34.1;
    static final double B1_CZ = 0.04;
    static final double A2_CZ = 13.5;
    static final double B2_CZ = 0.025;
    static final double B2_Y_CX = 1.0e-5;

    // D65 white point in XYZ (reference DEFAULT_ILLUMINANT); YCxCz and CIELab are relative to it.
    static final double WHITE_X = 0.950428545;
    static final double WHITE_Y = 1.0;
    static final double WHITE_Z = 1.088900371;

    // ACES filmic curve (Narkowicz's fit) with its 0.6 pre-exposure folded in, as a rational polynomial
    // (k0 x^2 + k1 x + k2) / (k3 x^2 + k4 x + k5) (EG 2021 section 3; reference ToneMappingCoefficients[1]).
    static final double ACES_K0 = 0.6 * 0.6 * 2.51;
    static final double ACES_K1 = 0.6 * 0.03;
    static final double ACES_K2 = 0.0;
    static final double ACES_K3 = 0.6 * 0.6 * 2.43;
    static final double ACES_K4 = 0.6 * 0.59;
    static final double ACES_K5 = 0.14;
    // Tone-mapped value that the brightest (start) and median (stop) luminance should reach (EG 2021 section 3, t).
    static final double EXPOSURE_TARGET = 0.85;

    /** Linear sRGB to XYZ (D65), rows; the reference's exact rational coefficients ({@code LinearRGBToXYZ}). */
    static final double[][] RGB_TO_XYZ = {
        {10135552.0 / 24577794.0, 8788810.0 / 24577794.0, 4435075.0 / 24577794.0},
        {2613072.0 / 12288897.0, 8788810.0 / 12288897.0, 887015.0 / 12288897.0},
        {1425312.0 / 73733382.0, 8788810.0 / 73733382.0, 70074185.0 / 73733382.0}};
    /** XYZ to linear sRGB, rows; the reference's decimal coefficients ({@code XYZToLinearRGB}), not the inverse. */
    static final double[][] XYZ_TO_RGB = {
        {3.241003275, -1.537398934, -0.498615861},
        {-0.969224334, 1.875930071, 0.041554224},
        {0.055639423, -0.204011202, 1.057148933}};

    /** Largest Hunt-adjusted HyAB distance, raised to q_c: the one between linear-RGB green and blue. */
    static final double CMAX = maxColourDistance();

    private Flip() {
    }

    /**
     * Exposures for HDR-FLIP: {@code count} exposures evenly spaced from {@code start} to {@code stop} (in stops, the
     * image is scaled by {@code 2^exposure}), both ends included. {@code count == 1} uses {@code start} alone (the
     * reference divides by {@code count - 1} and has no answer there).
     */
    public record Exposures(double start, double stop, int count) {
        public Exposures {
            if (!Double.isFinite(start) || !Double.isFinite(stop) || start > stop) {
                throw new IllegalArgumentException("exposures need finite start <= stop: " + start + ", " + stop);
            }
            if (count < 1) {
                throw new IllegalArgumentException("need at least one exposure: " + count);
            }
        }

        /** Exposure i of 0..count-1. */
        public double exposure(int i) {
            return count == 1 ? start : start + i * ((stop - start) / (count - 1));
        }
    }

    /**
     * Pixels per degree of visual angle for a viewer {@code distanceMeters} from a monitor {@code widthMeters} wide
     * showing {@code widthPixels} pixels across: {@code distance * (pixels / width) * pi / 180}, the small-angle form
     * the reference uses ({@code FLIP::calculatePPD}).
     */
    public static double ppd(double distanceMeters, double widthMeters, double widthPixels) {
        if (!(distanceMeters > 0) || !(widthMeters > 0) || !(widthPixels > 0) || !Double.isFinite(distanceMeters)
                || !Double.isFinite(widthMeters) || !Double.isFinite(widthPixels)) {
            throw new IllegalArgumentException("ppd needs positive finite distance, width and pixels: "
                    + distanceMeters + ", " + widthMeters + ", " + widthPixels);
        }
        return distanceMeters * (widthPixels / widthMeters) * (Math.PI / 180.0);
    }

    /**
     * The LDR-FLIP error map, one channel in [0, 1]. Both images hold display-encoded sRGB values, as FLIP's tool reads
     * them from an sRGB PNG: they are decoded to linear RGB and clamped to [0, 1] first (reference FLIPToolHelpers
     * {@code sRGBToLinearRGB}, then {@code FLIP::evaluate}'s clamp).
     */
    public static FloatImage ldrMap(FloatImage test, FloatImage reference, double pixelsPerDegree) {
        Images.checkSameSize(test, reference);
        checkPpd(pixelsPerDegree);
        double[][] ref = linearFromSrgb(reference);
        double[][] tst = linearFromSrgb(test);
        return toImage(ldrFlip(ref, tst, reference.width, reference.height, pixelsPerDegree), reference.width,
                reference.height);
    }

    /** The mean of {@link #ldrMap}. */
    public static double ldrMean(FloatImage test, FloatImage reference, double pixelsPerDegree) {
        return mean(ldrMap(test, reference, pixelsPerDegree));
    }

    /**
     * The HDR-FLIP error map, one channel in [0, 1], of linear-RGB images (any range): per pixel the largest LDR-FLIP
     * error over the exposures {@code e} ({@link #defaultExposures} of the reference when {@code e} is null). At each
     * exposure both images are scaled by {@code 2^exposure}, ACES tone-mapped, clamped to [0, 1] and compared as
     * linear RGB (reference {@code FLIP::evaluate} with {@code useHDR}; EG 2021 section 3).
     */
    public static FloatImage hdrMap(FloatImage test, FloatImage reference, double pixelsPerDegree, Exposures e) {
        Images.checkSameSize(test, reference);
        checkPpd(pixelsPerDegree);
        Exposures exposures = e != null ? e : defaultExposures(reference);
        int w = reference.width;
        int h = reference.height;
        double[][] ref = planes(reference);
        double[][] tst = planes(test);
        // The reference starts its running maximum at 0, so a NaN error never wins.
        double[] max = new double[w * h];
        for (int i = 0; i < exposures.count(); i++) {
            double scale = Math.pow(2.0, exposures.exposure(i));
            double[] err = ldrFlip(toneMapped(ref, scale), toneMapped(tst, scale), w, h, pixelsPerDegree);
            for (int p = 0; p < err.length; p++) {
                if (err[p] > max[p]) {
                    max[p] = err[p];
                }
            }
        }
        return toImage(max, w, h);
    }

    /** The mean of {@link #hdrMap}. */
    public static double hdrMean(FloatImage test, FloatImage reference, double pixelsPerDegree, Exposures e) {
        return mean(hdrMap(test, reference, pixelsPerDegree, e));
    }

    /**
     * HDR-FLIP's automatic exposure range for a linear-RGB reference (EG 2021 section 3; reference
     * {@code image::computeExposures}): x_max is the input that the ACES curve maps to t = 0.85; the start exposure
     * brings the largest luminance there, {@code log2(x_max / Y_max)}, the stop exposure the median luminance,
     * {@code log2(x_max / Y_median)}; the count is {@code max(2, ceil(stop - start))}, about one per stop.
     * Luminance is {@code 0.2126 R + 0.7152 G + 0.0722 B}; the median is the upper one (element n/2 of the sorted
     * luminances, as the reference's {@code nth_element}). Throws when the maximum or median luminance is not
     * positive, where the range is unbounded.
     */
    public static Exposures defaultExposures(FloatImage reference) {
        int n = reference.width * reference.height;
        double[] lum = new double[n];
        double yMax = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < n; p++) {
            int i = p * reference.channels;
            lum[p] = luminance(reference.data[i], reference.data[i + 1], reference.data[i + 2]);
            yMax = Math.max(yMax, lum[p]);
        }
        double[] sorted = lum.clone();
        Arrays.sort(sorted);
        double yMedian = sorted[n / 2];
        if (!(yMax > 0) || !(yMedian > 0) || !Double.isFinite(yMax)) {
            throw new IllegalArgumentException("HDR-FLIP's default exposures need a positive finite maximum and median "
                    + "luminance in the reference: max " + yMax + ", median " + yMedian);
        }
        double xMax = acesInverseAt(EXPOSURE_TARGET);
        double start = log2(xMax / yMax);
        double stop = log2(xMax / yMedian);
        int count = (int) Math.max(2.0, Math.ceil(stop - start));
        return new Exposures(start, stop, count);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // LDR-FLIP on linear RGB planes.

    /**
     * LDR-FLIP of two linear-RGB images given as R, G, B planes (row-major), clamped to [0, 1] here as
     * {@code FLIP::evaluate} does; returns the per-pixel error (reference {@code image::LDR_FLIP}).
     */
    private static double[] ldrFlip(double[][] refRgb, double[][] testRgb, int w, int h, double ppd) {
        double[][] ref = toYCxCz(clamped(refRgb));
        double[][] tst = toYCxCz(clamped(testRgb));
        double[] colour = colourError(ref, tst, w, h, ppd);
        double[] feature = featureError(ref[0], tst[0], w, h, ppd);
        double[] err = new double[w * h];
        for (int p = 0; p < err.length; p++) {
            // HPG 2020 equation 9: strong feature differences push the colour error towards 1.
            err[p] = Math.pow(colour[p], 1.0 - feature[p]);
        }
        return err;
    }

    /**
     * The colour pipeline (HPG 2020 section 4; reference {@code computeColorDifference}): both images filtered with the
     * contrast sensitivity functions in YCxCz, brought back to linear RGB and clamped to the unit cube (filtering can
     * leave the gamut), taken to CIELab with the Hunt adjustment (a and b scaled by 0.01 L, so dark colours differ
     * less), compared with HyAB (|dL| + Euclidean distance in a, b) raised to q_c, and the result redistributed to
     * [0, 1]: [0, pc cmax) linearly onto [0, pt), the rest onto [pt, 1], so most of the range goes to small errors.
     */
    private static double[] colourError(double[][] ref, double[][] tst, int w, int h, double ppd) {
        double[][] refFiltered = csfFiltered(ref, w, h, ppd);
        double[][] tstFiltered = csfFiltered(tst, w, h, ppd);
        double pcCmax = PC * CMAX;
        double[] out = new double[w * h];
        double[] a = new double[3];
        double[] b = new double[3];
        for (int p = 0; p < out.length; p++) {
            huntLab(refFiltered[0][p], refFiltered[1][p], refFiltered[2][p], a);
            huntLab(tstFiltered[0][p], tstFiltered[1][p], tstFiltered[2][p], b);
            double d = Math.pow(hyab(a, b), QC);
            out[p] = d < pcCmax ? d * (PT / pcCmax) : PT + ((d - pcCmax) / (CMAX - pcCmax)) * (1.0 - PT);
        }
        return out;
    }

    /**
     * The three YCxCz planes convolved with their contrast sensitivity filters (HPG 2020 section 4.1; reference
     * {@code setSpatialFilters} and the two passes of {@code computeColorDifference}). Each 2D Gaussian is the product
     * of two 1D ones, so the filters run separably; the blue-yellow filter is a sum of two Gaussians and runs as two
     * separable filters whose results add. Kernels are sampled every {@code 1 / ppd} degrees out to the radius of
     * {@link #spatialRadius} and normalised so each 2D filter sums to 1.
     */
    private static double[][] csfFiltered(double[][] ycxcz, int w, int h, double ppd) {
        double[][] k = csfKernels(ppd);
        double[] kY = k[0];
        double[] kCx = k[1];
        double[] kCz1 = k[2];
        double[] kCz2 = k[3];
        double[] y = separable(ycxcz[0], w, h, kY, kY);
        double[] cx = separable(ycxcz[1], w, h, kCx, kCx);
        double[] cz = separable(ycxcz[2], w, h, kCz1, kCz1);
        double[] cz2 = separable(ycxcz[2], w, h, kCz2, kCz2);
        for (int p = 0; p < cz.length; p++) {
            cz[p] += cz2[p];
        }
        return new double[][] {y, cx, cz};
    }

    /**
     * The 1D contrast sensitivity kernels {kY, kCx, kCz1, kCz2}, {@code 2 spatialRadius(ppd) + 1} taps each, offsets
     * from -r (see {@link #csfFiltered}); the GPU twin uploads the same kernels.
     */
    static double[][] csfKernels(double ppd) {
        int r = spatialRadius(ppd);
        double[] kY = new double[2 * r + 1];
        double[] kCx = new double[2 * r + 1];
        double[] kCz1 = new double[2 * r + 1];
        double[] kCz2 = new double[2 * r + 1];
        for (int i = -r; i <= r; i++) {
            double x2 = (i / ppd) * (i / ppd);
            kY[i + r] = gaussian(x2, A1_Y, B1_Y);
            kCx[i + r] = gaussian(x2, A1_CX, B1_CX);
            // Square roots of the 2D weights' factors: their outer product gives a sqrt(pi / b) exp(...) back.
            kCz1[i + r] = Math.sqrt(A1_CZ * Math.sqrt(Math.PI / B1_CZ)) * Math.exp(-Math.PI * Math.PI * x2 / B1_CZ);
            kCz2[i + r] = Math.sqrt(A2_CZ * Math.sqrt(Math.PI / B2_CZ)) * Math.exp(-Math.PI * Math.PI * x2 / B2_CZ);
        }
        scale(kY, 1.0 / sum(kY));
        scale(kCx, 1.0 / sum(kCx));
        // The 2D blue-yellow filter sums to S1^2 + S2^2; scaling both 1D kernels by 1 / sqrt of that makes it 1.
        double s1 = sum(kCz1);
        double s2 = sum(kCz2);
        double czNorm = 1.0 / Math.sqrt(s1 * s1 + s2 * s2);
        scale(kCz1, czNorm);
        scale(kCz2, czNorm);

        return new double[][] {kY, kCx, kCz1, kCz2};
    }

    /**
     * Radius in pixels of all three contrast sensitivity filters: three standard deviations of the widest Gaussian,
     * {@code ceil(3 sqrt(b_max / (2 pi^2)) ppd)} with b_max the largest of the six b (reference
     * {@code calculateSpatialFilterRadius}).
     */
    static int spatialRadius(double ppd) {
        double bMax = Math.max(Math.max(Math.max(B1_Y, B1_CX), Math.max(B1_CZ, B2_Y_CX)), B2_CZ);
        return (int) Math.ceil(3.0 * Math.sqrt(bMax / (2.0 * Math.PI * Math.PI)) * ppd);
    }

    /** Radius of the feature kernels: three standard deviations, sd = w / 2 degrees in pixels. */
    static int featureRadius(double ppd) {
        return (int) Math.ceil(3.0 * (0.5 * GW * ppd));
    }

    /**
     * The 1D feature kernels {G, dG, ddG}, {@code 2 featureRadius(ppd) + 1} taps each (see {@link #featureError});
     * the GPU twin uploads the same kernels.
     */
    static double[][] featureKernels(double ppd) {
        double sd = 0.5 * GW * ppd;
        int r = featureRadius(ppd);
        double[] g = new double[2 * r + 1];
        double[] dg = new double[2 * r + 1];
        double[] ddg = new double[2 * r + 1];
        for (int i = -r; i <= r; i++) {
            double gi = Math.exp(-(double) i * i / (2.0 * sd * sd));
            g[i + r] = gi;
            dg[i + r] = -i * gi;
            ddg[i + r] = ((double) i * i / (sd * sd) - 1.0) * gi;
        }
        scale(g, 1.0 / sum(g));
        // Derivative kernels: positive weights sum to 1 and negative ones to -1, so a unit step or dot gives a
        // response of about 1 whatever the ppd.
        normaliseSigned(dg);
        normaliseSigned(ddg);

        return new double[][] {g, dg, ddg};
    }

    /**
     * The feature pipeline (HPG 2020 section 5; reference {@code setFeatureFilter} and
     * {@code computeFeatureDifferenceAndFinalError}): on the achromatic channel of the unfiltered YCxCz images,
     * normalised to [0, 1] as {@code (Y + 16) / 116}, edges are the gradient magnitude from the first derivative of a
     * Gaussian and points the magnitude of the second derivatives in x and y; the feature error is
     * {@code (max(|edge_ref - edge_test|, |point_ref - point_test|) / sqrt(2)) ^ q_f}.
     */
    private static double[] featureError(double[] refY, double[] testY, int w, int h, double ppd) {
        double[][] k = featureKernels(ppd);
        double[] g = k[0];
        double[] dg = k[1];
        double[] ddg = k[2];
        double[] ref = normalisedY(refY);
        double[] tst = normalisedY(testY);
        double[] out = new double[w * h];
        double[] edgeRef = magnitude(separable(ref, w, h, dg, g), separable(ref, w, h, g, dg));
        double[] edgeTst = magnitude(separable(tst, w, h, dg, g), separable(tst, w, h, g, dg));
        double[] pointRef = magnitude(separable(ref, w, h, ddg, g), separable(ref, w, h, g, ddg));
        double[] pointTst = magnitude(separable(tst, w, h, ddg, g), separable(tst, w, h, g, ddg));
        double invSqrt2 = 1.0 / Math.sqrt(2.0);
        for (int p = 0; p < out.length; p++) {
            double d = Math.max(Math.abs(edgeRef[p] - edgeTst[p]), Math.abs(pointRef[p] - pointTst[p]));
            out[p] = Math.pow(invSqrt2 * d, QF);
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Filtering.

    /**
     * {@code src} convolved with {@code kx} along rows, then {@code ky} along columns; out-of-image taps take the
     * nearest edge pixel (the reference clamps its indices the same way). Kernels are odd-length and centred; weight
     * {@code k[j]} applies to offset {@code j - r} (a correlation, as the reference computes it).
     */
    private static double[] separable(double[] src, int w, int h, double[] kx, double[] ky) {
        int rx = kx.length / 2;
        int ry = ky.length / 2;
        double[] tmp = new double[w * h];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int j = -rx; j <= rx; j++) {
                    int xx = Math.min(Math.max(x + j, 0), w - 1);
                    s += kx[j + rx] * src[row + xx];
                }
                tmp[row + x] = s;
            }
        }
        double[] out = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int j = -ry; j <= ry; j++) {
                    int yy = Math.min(Math.max(y + j, 0), h - 1);
                    s += ky[j + ry] * tmp[yy * w + x];
                }
                out[y * w + x] = s;
            }
        }
        return out;
    }

    /** The HPG 2020 equation 2 Gaussian, {@code a sqrt(pi / b) exp(-pi^2 x^2 / b)} for squared distance x2. */
    private static double gaussian(double x2, double a, double b) {
        return a * Math.sqrt(Math.PI / b) * Math.exp(-Math.PI * Math.PI * x2 / b);
    }

    private static void normaliseSigned(double[] k) {
        double pos = 0;
        double neg = 0;
        for (double v : k) {
            if (v > 0) {
                pos += v;
            } else {
                neg -= v;
            }
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= k[i] > 0 ? pos : neg;
        }
    }

    private static double[] normalisedY(double[] y) {
        double[] out = new double[y.length];
        for (int p = 0; p < y.length; p++) {
            out[p] = (y[p] + 16.0) / 116.0;
        }
        return out;
    }

    private static double[] magnitude(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int p = 0; p < a.length; p++) {
            out[p] = Math.sqrt(a[p] * a[p] + b[p] * b[p]);
        }
        return out;
    }

    private static double sum(double[] k) {
        double s = 0;
        for (double v : k) {
            s += v;
        }
        return s;
    }

    private static void scale(double[] k, double f) {
        for (int i = 0; i < k.length; i++) {
            k[i] *= f;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Colour spaces.

    /**
     * Linear RGB planes to YCxCz planes (HPG 2020 section 4.1, after Zhang and Wandell's S-CIELAB): XYZ through the
     * sRGB/D65 matrix, divided by the white point, then {@code Y = 116 y - 16, Cx = 500 (x - y), Cz = 200 (y - z)}:
     * CIELab without the cube root, linear so that filtering in it is meaningful (reference {@code LinearRGBToXYZ},
     * {@code XYZToYCxCz}).
     */
    private static double[][] toYCxCz(double[][] rgb) {
        int n = rgb[0].length;
        double[][] out = new double[3][n];
        double[] xyz = new double[3];
        for (int p = 0; p < n; p++) {
            linearRgbToXyz(rgb[0][p], rgb[1][p], rgb[2][p], xyz);
            double xr = xyz[0] / WHITE_X;
            double yr = xyz[1] / WHITE_Y;
            double zr = xyz[2] / WHITE_Z;
            out[0][p] = 116.0 * yr - 16.0;
            out[1][p] = 500.0 * (xr - yr);
            out[2][p] = 200.0 * (yr - zr);
        }
        return out;
    }

    /**
     * A filtered YCxCz colour to Hunt-adjusted CIELab in {@code out} (L, a, b): YCxCz back to XYZ and linear RGB,
     * clamped to [0, 1] (reference: "Clamp to [0,1] in linear RGB"), then CIELab relative to D65 with a and b scaled by
     * {@code 0.01 L} (Hunt adjustment, HPG 2020 section 4.2).
     */
    private static void huntLab(double yy, double cx, double cz, double[] out) {
        double y = (yy + 16.0) / 116.0;
        double x = (y + cx / 500.0) * WHITE_X;
        double z = (y - cz / 200.0) * WHITE_Z;
        y *= WHITE_Y;
        double[][] m = XYZ_TO_RGB;
        double r = clamp01(m[0][0] * x + m[0][1] * y + m[0][2] * z);
        double g = clamp01(m[1][0] * x + m[1][1] * y + m[1][2] * z);
        double b = clamp01(m[2][0] * x + m[2][1] * y + m[2][2] * z);
        linearRgbToLab(r, g, b, out);
        out[1] *= 0.01 * out[0];
        out[2] *= 0.01 * out[0];
    }

    /** HyAB distance (Abasi et al. 2020): city-block in L, Euclidean in (a, b). */
    private static double hyab(double[] a, double[] b) {
        double da = a[1] - b[1];
        double db = a[2] - b[2];
        return Math.abs(a[0] - b[0]) + Math.sqrt(da * da + db * db);
    }

    /** cmax of HPG 2020 section 4.2: Hunt-adjusted HyAB between pure green and pure blue, raised to q_c. */
    private static double maxColourDistance() {
        double[] green = new double[3];
        double[] blue = new double[3];
        linearRgbToLab(0, 1, 0, green);
        linearRgbToLab(0, 0, 1, blue);
        for (double[] c : new double[][] {green, blue}) {
            c[1] *= 0.01 * c[0];
            c[2] *= 0.01 * c[0];
        }
        return Math.pow(hyab(green, blue), QC);
    }

    /** CIE 1976 L*a*b* of a linear sRGB colour, D65 white (reference {@code XYZToCIELab}). */
    private static void linearRgbToLab(double r, double g, double b, double[] out) {
        linearRgbToXyz(r, g, b, out);
        double fx = labF(out[0] / WHITE_X);
        double fy = labF(out[1] / WHITE_Y);
        double fz = labF(out[2] / WHITE_Z);
        out[0] = 116.0 * fy - 16.0;
        out[1] = 500.0 * (fx - fy);
        out[2] = 200.0 * (fy - fz);
    }

    private static double labF(double t) {
        double delta = 6.0 / 29.0;
        return t > delta * delta * delta ? Math.cbrt(t) : t / (3.0 * delta * delta) + 4.0 / 29.0;
    }

    /**
     * Linear sRGB to XYZ, D65, with the reference's exact rational coefficients (its {@code LinearRGBToXYZ}; the
     * inverse in {@link #huntLab} uses its decimal one, so the round trip matches it rather than being exact).
     */
    private static void linearRgbToXyz(double r, double g, double b, double[] out) {
        for (int i = 0; i < 3; i++) {
            out[i] = RGB_TO_XYZ[i][0] * r + RGB_TO_XYZ[i][1] * g + RGB_TO_XYZ[i][2] * b;
        }
    }

    /** The sRGB decoding curve (IEC 61966-2-1), with the reference's 0.04045 threshold. */
    private static double srgbToLinear(double v) {
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }

    /** Rec. 709 luminance of linear RGB (reference {@code linearRGBToLuminance}). */
    private static double luminance(double r, double g, double b) {
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    }

    /** Clamp to [0, 1] written as the reference's macros, so NaN becomes 0. */
    private static double clamp01(double v) {
        double lo = v > 0.0 ? v : 0.0;
        return lo > 1.0 ? 1.0 : lo;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Tone mapping.

    /** R, G, B planes scaled by {@code scale}, ACES tone-mapped and clamped to [0, 1] (reference expose, toneMap, clamp). */
    private static double[][] toneMapped(double[][] rgb, double scale) {
        double[][] out = new double[3][];
        for (int c = 0; c < 3; c++) {
            double[] src = rgb[c];
            double[] dst = new double[src.length];
            for (int p = 0; p < src.length; p++) {
                dst[p] = clamp01(aces(src[p] * scale));
            }
            out[c] = dst;
        }
        return out;
    }

    private static double aces(double x) {
        return (x * x * ACES_K0 + x * ACES_K1 + ACES_K2) / (x * x * ACES_K3 + x * ACES_K4 + ACES_K5);
    }

    /**
     * The input the ACES curve maps to {@code t}: the larger root of {@code (k0 - t k3) x^2 + (k1 - t k4) x +
     * (k2 - t k5) = 0} (reference {@code solveSecondDegree}).
     */
    private static double acesInverseAt(double t) {
        double a = ACES_K0 - t * ACES_K3;
        double b = ACES_K1 - t * ACES_K4;
        double c = ACES_K2 - t * ACES_K5;
        double d1 = -0.5 * (b / a);
        double d2 = Math.sqrt(d1 * d1 - c / a);
        return d1 + d2;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Plumbing.

    private static void checkPpd(double ppd) {
        if (!(ppd > 0) || !Double.isFinite(ppd)) {
            throw new IllegalArgumentException("pixels per degree must be positive and finite: " + ppd);
        }
    }

    private static double[][] planes(FloatImage image) {
        int n = image.width * image.height;
        double[][] out = new double[3][n];
        for (int p = 0; p < n; p++) {
            int i = p * image.channels;
            for (int c = 0; c < 3; c++) {
                out[c][p] = image.data[i + c];
            }
        }
        return out;
    }

    private static double[][] linearFromSrgb(FloatImage image) {
        double[][] out = planes(image);
        for (double[] plane : out) {
            for (int p = 0; p < plane.length; p++) {
                plane[p] = srgbToLinear(plane[p]);
            }
        }
        return out;
    }

    private static double[][] clamped(double[][] rgb) {
        double[][] out = new double[3][];
        for (int c = 0; c < 3; c++) {
            out[c] = rgb[c].clone();
            for (int p = 0; p < out[c].length; p++) {
                out[c][p] = clamp01(out[c][p]);
            }
        }
        return out;
    }

    private static FloatImage toImage(double[] values, int w, int h) {
        float[] data = new float[values.length];
        for (int p = 0; p < values.length; p++) {
            data[p] = (float) values[p];
        }
        return new FloatImage(w, h, 1, data);
    }

    private static double mean(FloatImage map) {
        double s = 0;
        for (float v : map.data) {
            s += v;
        }
        return s / map.data.length;
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2.0);
    }
}
