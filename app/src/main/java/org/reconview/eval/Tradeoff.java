package org.reconview.eval;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.BasicStroke;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.reconview.UserException;

/**
 * Quality against average activation bits across eval runs (CADyQ's rate-distortion view): one point per run and
 * method, read from eval's summary.json ({@code avg_bits}, {@code psnr}, {@code ssim}, {@code bitops}), grouped into
 * series by the first word of each point's label, as a chart and a Markdown table.
 */
public final class Tradeoff {
    /** One run's method: where it was read from and its numbers. */
    public record Point(String label, String series, Path summary, String method, double avgBits, double psnr,
                        double ssim, double bitops) {
    }

    private Tradeoff() {
    }

    /**
     * The point of {@code arg}, written {@code LABEL=SUMMARY.json} or {@code LABEL=SUMMARY.json#METHOD}; without a
     * method, the summary's one method with finite average bits below 16 (a quantized network).
     */
    public static Point read(String arg) {
        int eq = arg.indexOf('=');
        if (eq <= 0 || eq == arg.length() - 1) {
            throw new UserException("'" + arg + "': expected LABEL=SUMMARY.json[#METHOD]");
        }
        String label = arg.substring(0, eq).trim();
        String rest = arg.substring(eq + 1);
        int hash = rest.lastIndexOf('#');
        String method = hash >= 0 ? rest.substring(hash + 1) : null;
        Path file = Path.of(hash >= 0 ? rest.substring(0, hash) : rest);
        JsonObject methods;
        try {
            JsonElement root = JsonParser.parseString(Files.readString(file));
            methods = root.isJsonObject() && root.getAsJsonObject().has("methods")
                    ? root.getAsJsonObject().getAsJsonObject("methods") : null;
        } catch (IOException e) {
            throw new UserException(file + ": cannot read (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            throw new UserException(file + ": not an eval summary.json (" + e.getMessage() + ")");
        }
        if (methods == null) {
            throw new UserException(file + ": not an eval summary.json (no \"methods\")");
        }
        if (method == null) {
            List<String> quantized = new ArrayList<>();
            for (String m : methods.keySet()) {
                double b = number(methods.getAsJsonObject(m), "avg_bits");
                if (Double.isFinite(b) && b < 16) {
                    quantized.add(m);
                }
            }
            if (quantized.size() != 1) {
                throw new UserException(file + ": " + (quantized.isEmpty() ? "no method with average bits"
                        : "methods " + quantized + " have average bits") + "; name one as " + file + "#METHOD");
            }
            method = quantized.get(0);
        }
        if (!methods.has(method)) {
            throw new UserException(file + ": no method '" + method + "' (has " + methods.keySet() + ")");
        }
        JsonObject m = methods.getAsJsonObject(method);
        double bits = number(m, "avg_bits");
        double psnr = number(m, "psnr");
        if (!Double.isFinite(bits) || !Double.isFinite(psnr)) {
            throw new UserException(file + ": method '" + method + "' has no avg_bits or psnr");
        }
        String series = label.split("\\s+")[0];
        return new Point(label, series, file, method, bits, psnr, number(m, "ssim"), number(m, "bitops"));
    }

    private static double number(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }

    /** The points as a Markdown table, in the order given. */
    public static String table(List<Point> points) {
        StringBuilder sb = new StringBuilder("| run | series | avg bits (MAC-weighted) | PSNR (dB) | SSIM | BitOPs a frame "
                + "| summary |\n|---|---|---|---|---|---|---|\n");
        for (Point p : points) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.3f | %s | %s | %s |%n", p.label(), p.series(),
                    p.avgBits(), p.psnr(), Double.isFinite(p.ssim()) ? String.format(Locale.ROOT, "%.4f", p.ssim())
                            : "-", Double.isFinite(p.bitops()) ? String.format(Locale.ROOT, "%.3g", p.bitops()) : "-",
                    p.summary()));
        }
        return sb.toString();
    }

    /** PSNR against average bits, a line and markers per series (sorted by bits), each point labelled. */
    public static void chart(Path png, String title, List<Point> points) {
        Map<String, XYSeries> bySeries = new LinkedHashMap<>();
        XYSeriesCollection data = new XYSeriesCollection();
        for (Point p : points) {
            bySeries.computeIfAbsent(p.series(), s -> {
                XYSeries x = new XYSeries(s, true, true);
                data.addSeries(x);
                return x;
            }).add(p.avgBits(), p.psnr());
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "average activation bits (MAC-weighted)",
                "PSNR (dB)", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        Charts.style(plot);
        plot.getDomainAxis().setUpperMargin(0.15); // room for the last point's label
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            r.setSeriesStroke(i, new BasicStroke(1.6f));
        }
        plot.setRenderer(r);
        for (Point p : points) {
            XYTextAnnotation a = new XYTextAnnotation("  " + p.label(), p.avgBits(), p.psnr());
            a.setTextAnchor(org.jfree.chart.ui.TextAnchor.CENTER_LEFT);
            plot.addAnnotation(a);
        }
        Rgb8.writePng(png, chart.createBufferedImage(Charts.WIDTH, Charts.HEIGHT));
    }
}
