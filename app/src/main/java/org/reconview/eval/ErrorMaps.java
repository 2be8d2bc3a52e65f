package org.reconview.eval;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.reconview.color.ColorMap;
import org.reconview.io.FloatImage;
import org.reconview.metrics.DisplayEncoding;
import org.reconview.metrics.Flip;
import org.reconview.metrics.ImageComparison;
import org.reconview.metrics.Ssim;

/**
 * Error maps of one frame, every method side by side under one colour scale, each sheet with its colour bar
 * (magma, the published table) and the scale's numbers: what {@code eval --error-maps} writes to
 * {@code error-maps/NNNN-KIND.png}. Kinds:
 * <ul>
 *   <li>{@code flip}: the LDR-FLIP map of the images as displayed on the encoding ({@link Flip#ldrMap}, 67 ppd),
 *       on FLIP's own scale [0, 1];</li>
 *   <li>{@code abs}: the absolute error of the encoded values, mean over R, G, B;</li>
 *   <li>{@code rel}: the relative error of the linear values, |a - b| / (|b| + 0.01), mean over R, G, B (tev's
 *       relative error; the 0.01 keeps black from dividing by zero);</li>
 *   <li>{@code signed}: method minus reference of the encoded values, mean over R, G, B, on the diverging CET-D1
 *       (red: brighter than the reference, blue: darker);</li>
 *   <li>{@code ssim}: 1 - SSIM, the per-pixel map that the ssim metric averages ({@link Ssim#map}), on [0, 1];
 *       pixels within the SSIM window's radius of the border have no value and show as the background.</li>
 * </ul>
 * {@code abs} and {@code rel} run from 0 to the 99th percentile over all methods' pixels of the frame (numpy's
 * 'lower': sorted index floor(0.99 (n - 1)); printed on the bar), so the methods of one sheet compare by colour and
 * one outlier does not flatten the rest; {@code signed} runs over [-t, t], t that percentile of |value|. Pairs
 * ({@code eval --diff A:B}) get a signed sheet of A minus B ({@code NNNN-signed-A-minus-B.png}) on their own scale.
 */
public final class ErrorMaps {
    /** Kinds, in the order written. */
    public static final List<String> KINDS = List.of("flip", "abs", "rel", "signed", "ssim");
    static final int BAR = 44;
    static final int GAP = 4;
    /** Two caption lines: each panel's method, then what the sheet shows. */
    static final int CAPTION = 34;
    /** Narrowest sheet: room for the bar's three numbers. */
    static final int MIN_WIDTH = 240;
    private static final double REL_EPS = 0.01;
    private static final Color BACKGROUND = new Color(24, 24, 26);
    private static final Map<String, String> TITLES = Map.of("flip", "LDR-FLIP", "abs", "absolute error (encoded)",
            "rel", "relative error (linear)", "signed", "signed: minus reference (encoded)", "ssim", "1 - SSIM");

    private ErrorMaps() {
    }

    /** One kind's per-pixel map of {@code image} against {@code reference} (row-major, width x height). */
    public static double[] map(String kind, FloatImage image, FloatImage reference, DisplayEncoding encoding) {
        int n = image.width * image.height;
        double[] out = new double[n];
        switch (kind) {
            case "flip" -> {
                FloatImage m = encoding == DisplayEncoding.LINEAR
                        ? Flip.ldrMap(ImageComparison.srgbOfClamped(image), ImageComparison.srgbOfClamped(reference),
                                Flip.DEFAULT_PPD)
                        : Flip.ldrMap(encoding.encode(image), encoding.encode(reference), Flip.DEFAULT_PPD);
                for (int p = 0; p < n; p++) {
                    out[p] = m.data[p];
                }
            }
            case "abs" -> {
                for (int p = 0; p < n; p++) {
                    double s = 0;
                    for (int c = 0; c < 3; c++) {
                        s += Math.abs(encoding.encode(image.data[p * image.channels + c])
                                - encoding.encode(reference.data[p * reference.channels + c]));
                    }
                    out[p] = s / 3;
                }
            }
            case "signed" -> {
                for (int p = 0; p < n; p++) {
                    double d = 0;
                    for (int c = 0; c < 3; c++) {
                        d += encoding.encode(image.data[p * image.channels + c])
                                - encoding.encode(reference.data[p * reference.channels + c]);
                    }
                    out[p] = d / 3;
                }
            }
            case "ssim" -> {
                double[] m = Ssim.map(image, reference, encoding);
                for (int p = 0; p < n; p++) {
                    out[p] = 1 - m[p];
                }
            }
            case "rel" -> {
                for (int p = 0; p < n; p++) {
                    double s = 0;
                    for (int c = 0; c < 3; c++) {
                        double a = image.data[p * image.channels + c];
                        double b = reference.data[p * reference.channels + c];
                        s += Math.abs(a - b) / (Math.abs(b) + REL_EPS);
                    }
                    out[p] = s / 3;
                }
            }
            default -> throw new IllegalArgumentException("unknown error map " + kind + " (" + KINDS + ")");
        }
        return out;
    }

    /** Whether a kind's values are signed (diverging map over [-top, top]) rather than errors in [0, top]. */
    static boolean signed(String kind) {
        return kind.equals("signed");
    }

    /**
     * The top of a kind's scale for one frame: 1 for FLIP and 1 - SSIM, else the 99th percentile of every method's
     * map (of |value| for a signed kind; NaN pixels left out).
     */
    static double scaleTop(String kind, List<double[]> maps) {
        if (kind.equals("flip") || kind.equals("ssim")) {
            return 1;
        }
        double[] all = maps.stream().flatMapToDouble(Arrays::stream).filter(v -> !Double.isNaN(v)).map(Math::abs)
                .toArray();
        Arrays.sort(all);
        double top = all.length == 0 ? 0 : all[Math.min(all.length - 1, (int) Math.floor(0.99 * (all.length - 1)))];
        return top > 0 ? top : 1e-6;
    }

    /**
     * Writes error-maps/NNNN-KIND.png for every kind, and NNNN-signed-A-minus-B.png for every pair {A, B} of
     * {@code pairs} (both among the outputs).
     */
    static void write(Path dir, int frame, Map<String, FloatImage> outputs, FloatImage reference,
            DisplayEncoding encoding, List<List<String>> pairs) {
        for (String kind : KINDS) {
            Map<String, double[]> maps = new LinkedHashMap<>();
            outputs.forEach((m, img) -> maps.put(m, map(kind, img, reference, encoding)));
            double top = scaleTop(kind, new ArrayList<>(maps.values()));
            Rgb8.writePng(dir.resolve(String.format(Locale.ROOT, "%04d-%s.png", frame, kind)),
                    sheet(kind, frame, maps, reference.width, reference.height, top));
        }
        for (List<String> pair : pairs) {
            String name = pair.get(0) + " minus " + pair.get(1);
            Map<String, double[]> maps = Map.of(name, map("signed", outputs.get(pair.get(0)), outputs.get(pair.get(1)),
                    encoding));
            Rgb8.writePng(dir.resolve(String.format(Locale.ROOT, "%04d-signed-%s-minus-%s.png", frame, pair.get(0),
                    pair.get(1))), sheet("signed", "signed difference (encoded)", frame, maps, reference.width,
                    reference.height, scaleTop("signed", List.copyOf(maps.values()))));
        }
    }

    static BufferedImage sheet(String kind, int frame, Map<String, double[]> maps, int w, int h, double top) {
        return sheet(kind, TITLES.get(kind), frame, maps, w, h, top);
    }

    /** One sheet: the maps side by side, each captioned with its name, the title, and the colour bar. */
    static BufferedImage sheet(String kind, String title, int frame, Map<String, double[]> maps, int w, int h,
            double top) {
        int n = maps.size();
        int width = Math.max(n * w + (n - 1) * GAP, MIN_WIDTH);
        BufferedImage img = new BufferedImage(width, h + CAPTION + BAR, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int x0 = 0;
        for (Map.Entry<String, double[]> e : maps.entrySet()) {
            double[] m = e.getValue();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = m[y * w + x];
                    img.setRGB(x0 + x, y, Double.isNaN(v) ? BACKGROUND.getRGB() & 0xffffff
                            : rgb(colorMap(kind).rgb(signed(kind) ? 0.5 + 0.5 * v / top : v / top)));
                }
            }
            g.setColor(Color.WHITE);
            g.drawString(e.getKey(), x0 + 4, h + 14);
            x0 += w + GAP;
        }
        g.setColor(new Color(220, 220, 220));
        g.drawString(title + ", frame " + frame, 4, h + 29);
        drawBar(g, img, 8, h + CAPTION + 4, width - 16, 14, top, colorMap(kind), signed(kind));
        g.dispose();
        return img;
    }

    static ColorMap colorMap(String kind) {
        return signed(kind) ? ColorMap.CET_D1 : ColorMap.MAGMA;
    }

    /**
     * The colour bar: the map from 0 to {@code top} (signed: from -top to top), with its ends and middle written
     * under it.
     */
    static void drawBar(Graphics2D g, BufferedImage img, int x, int y, int w, int h, double top, ColorMap map,
            boolean signed) {
        for (int i = 0; i < w; i++) {
            int c = rgb(map.rgb(i / (double) (w - 1)));
            for (int j = 0; j < h; j++) {
                img.setRGB(x + i, y + j, c);
            }
        }
        g.setColor(new Color(220, 220, 220));
        String[] labels = signed ? ColorMap.signedBarLabels(top) : ColorMap.barLabels(top);
        g.drawString(labels[0], x, y + h + 13);
        g.drawString(labels[1], x + w / 2 - g.getFontMetrics().stringWidth(labels[1]) / 2, y + h + 13);
        g.drawString(labels[2], x + w - g.getFontMetrics().stringWidth(labels[2]), y + h + 13);
    }

    private static int rgb(float[] c) {
        int r = Math.round(Math.max(0, Math.min(1, c[0])) * 255);
        int gg = Math.round(Math.max(0, Math.min(1, c[1])) * 255);
        int b = Math.round(Math.max(0, Math.min(1, c[2])) * 255);
        return r << 16 | gg << 8 | b;
    }
}
