package org.reconview.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.reconview.UserException;
import org.reconview.color.Pq;

/**
 * How linear HDR RGB becomes the [0, 1] values that PSNR, SSIM and the temporal error compare (DESIGN.md, colour
 * spaces: every saved number says which). Applied per channel:
 * <ul>
 * <li>{@link #PQ} ({@code pq}, the default): {@link Pq#encode(double)}, SMPTE ST 2084 normalised to 1000 nits, as the
 * paper measures.</li>
 * <li>{@link #SRGB} ({@code srgb}): what the viewer shows at exposure 0 stops (a factor 2^0 = 1): negatives and NaN
 * to 0, Narkowicz's ACES fit {@code clamp(x(2.51x + 0.03) / (x(2.43x + 0.59) + 0.14), 0, 1)}, then the sRGB OETF.
 * The same curve as the viewer ({@code shaders/ui/view.frag}) with {@code uExposure = 0} (tested against it); the GLSL
 * twin is {@code shaders/metrics/encoding.glsl}.</li>
 * <li>{@link #LINEAR} ({@code linear}): the values as given. They must already lie in [0, 1]; values outside are NOT
 * clamped, so PSNR and SSIM then behave as scikit-image does with {@code data_range=1} on such data.</li>
 * </ul>
 * The GPU passes receive the constant names {@code ENCODING_PQ}, {@code ENCODING_SRGB}, {@code ENCODING_LINEAR} and the
 * exposure from {@link #shaderDefines()}, so the numbering and the exposure live here only.
 */
public enum DisplayEncoding {
    PQ("pq"),
    SRGB("srgb"),
    LINEAR("linear");

    /** Exposure of the sRGB encoding in stops (the viewer's default): the linear value is multiplied by 2^this. */
    public static final double SRGB_EXPOSURE_STOPS = 0.0;

    private final String id;

    DisplayEncoding(String id) {
        this.id = id;
    }

    /** The name used on the command line and in saved results: "pq", "srgb" or "linear". */
    public String id() {
        return id;
    }

    /** The encoded value of one linear channel value. */
    /**
     * R, G, B of a linear image encoded (3 channels, float): what the GPU encode pass hands FLIP and the views, in
     * plain Java.
     */
    public org.reconview.io.FloatImage encode(org.reconview.io.FloatImage linear) {
        org.reconview.io.FloatImage out = new org.reconview.io.FloatImage(linear.width, linear.height, 3);
        int n = linear.width * linear.height;
        for (int p = 0; p < n; p++) {
            for (int c = 0; c < 3; c++) {
                out.data[p * 3 + c] = (float) encode(linear.data[p * linear.channels + c]);
            }
        }
        return out;
    }

    public double encode(double linear) {
        return switch (this) {
            case PQ -> Pq.encode(linear);
            case SRGB -> srgbOetf(aces(linear > 0 ? linear * Math.pow(2, SRGB_EXPOSURE_STOPS) : 0));
            case LINEAR -> linear;
        };
    }

    /** Narkowicz 2015, "ACES Filmic Tone Mapping Curve"; inputs at or above ~7.25 give 1 (infinity included). */
    static double aces(double x) {
        if (x >= 65504) {
            return 1; // the curve is clamped to 1 long before; avoids inf/inf
        }
        double y = (x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14);
        return Math.min(Math.max(y, 0), 1);
    }

    /** IEC 61966-2-1 sRGB transfer function, for c in [0, 1]. */
    static double srgbOetf(double c) {
        return c < 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055;
    }

    /** The encoding with this id (case-insensitive); a {@link UserException} naming {@code --encoding} if none. */
    public static DisplayEncoding parse(String name) {
        try {
            return fromId(name);
        } catch (IllegalArgumentException e) {
            throw new UserException("--encoding: " + e.getMessage());
        }
    }

    /** The encoding with this id (case-insensitive); an {@link IllegalArgumentException} listing them if none. */
    public static DisplayEncoding fromId(String name) {
        for (DisplayEncoding e : values()) {
            if (e.id.equalsIgnoreCase(name == null ? "" : name.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown '" + name + "' (" + String.join(", ", ids()) + ")");
    }

    /** Every encoding's id, in order: pq, srgb, linear. */
    public static java.util.List<String> ids() {
        return Arrays.stream(values()).map(DisplayEncoding::id).collect(Collectors.toList());
    }

    /** The value a shader compares its {@code uEncoding} uniform with (see {@link #shaderDefines()}). */
    public int shaderCode() {
        return ordinal();
    }

    /** {@code ENCODING_PQ -> 0} and so on, and {@code SRGB_EXPOSURE_STOPS}: defines for the metrics shaders. */
    public static Map<String, String> shaderDefines() {
        Map<String, String> d = new LinkedHashMap<>();
        for (DisplayEncoding e : values()) {
            d.put("ENCODING_" + e.name().toUpperCase(Locale.ROOT), Integer.toString(e.shaderCode()));
        }
        d.put("SRGB_EXPOSURE_STOPS", Double.toString(SRGB_EXPOSURE_STOPS));
        return d;
    }

    @Override
    public String toString() {
        return id;
    }
}
