package org.reconview.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.reconview.UserException;
import org.reconview.io.PngImages;
import org.reconview.io.TextFiles;

/**
 * The validation record of a training run: {@code FILE.val.csv} (per validation: step, mean PSNR over the sequences
 * after each rollout's first {@link Validator#WARMUP} frames, the BN gap as the training loss with batch and with
 * running statistics, and each sequence's mean) and {@code FILE.val-frames.csv} (step, sequence, frame, PSNR), and
 * their plot {@code FILE.val.png}: mean validation PSNR per step, and the per-frame curve at the best step (averaged
 * over the sequences), which shows whether the recurrence decays over a long rollout.
 */
public final class ValidationLog {
    static final String HEADER = "step,val_psnr,bn_loss_train,bn_loss_inference";
    private final Path summary;
    private final Path frames;

    public ValidationLog(Path summary, Path frames) {
        this.summary = summary;
        this.frames = frames;
    }

    public void clear() throws IOException {
        Files.deleteIfExists(summary);
        Files.deleteIfExists(frames);
    }

    public void append(int step, double mean, double[] bnGap, Map<String, double[]> perSequence) {
        StringBuilder s = new StringBuilder(read(summary));
        if (s.length() == 0) {
            s.append(HEADER);
            perSequence.keySet().forEach(n -> s.append(',').append(n.replace(',', '_')));
            s.append('\n');
        }
        s.append(String.format(Locale.ROOT, "%d,%.4f,%.6f,%.6f", step, mean, bnGap[0], bnGap[1]));
        perSequence.values().forEach(v -> s.append(String.format(Locale.ROOT, ",%.4f", Validator.mean(v))));
        s.append('\n');
        TextFiles.writeAtomic(summary, s.toString());
        StringBuilder f = new StringBuilder(read(frames));
        if (f.length() == 0) {
            f.append("step,sequence,frame,psnr\n");
        }
        perSequence.forEach((n, v) -> {
            for (int i = 0; i < v.length; i++) {
                f.append(String.format(Locale.ROOT, "%d,%s,%d,%.4f%n", step, n.replace(',', '_'), i, v[i]));
            }
        });
        TextFiles.writeAtomic(frames, f.toString());
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            throw new UserException(p + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Writes the two curves into one PNG. */
    public void plot(Path png, String title, int bestStep) {
        XYSeries curve = new XYSeries("mean validation PSNR");
        for (String line : read(summary).split("\n")) {
            if (line.isEmpty() || line.startsWith("step")) {
                continue;
            }
            String[] p = line.split(",");
            curve.add(Integer.parseInt(p[0]), Double.parseDouble(p[1]));
        }
        TreeMap<Integer, double[]> perFrame = new TreeMap<>();
        for (String line : read(frames).split("\n")) {
            if (line.isEmpty() || line.startsWith("step")) {
                continue;
            }
            String[] p = line.split(",");
            if (Integer.parseInt(p[0]) == bestStep) {
                double[] acc = perFrame.computeIfAbsent(Integer.parseInt(p[2]), k -> new double[2]);
                acc[0] += Double.parseDouble(p[3]);
                acc[1]++;
            }
        }
        XYSeries frameCurve = new XYSeries("per-frame PSNR at step " + bestStep + " (mean over sequences)");
        perFrame.forEach((k, v) -> frameCurve.add((double) k, v[0] / v[1]));
        List<JFreeChart> charts = new ArrayList<>();
        charts.add(chart(title + ": mean PSNR (dB) after " + Validator.WARMUP + " frames", "step", curve));
        charts.add(chart("per-frame PSNR (dB) of the rollout", "frame", frameCurve));
        int w = 900;
        int h = 360;
        BufferedImage img = new BufferedImage(w, 2 * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        for (int i = 0; i < charts.size(); i++) {
            g.drawImage(charts.get(i).createBufferedImage(w, h), 0, i * h, null);
        }
        g.dispose();
        byte[] rgb = new byte[w * 2 * h * 3];
        for (int y = 0; y < 2 * h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = img.getRGB(x, y);
                int i = (y * w + x) * 3;
                rgb[i] = (byte) (argb >> 16);
                rgb[i + 1] = (byte) (argb >> 8);
                rgb[i + 2] = (byte) argb;
            }
        }
        PngImages.write(png, w, 2 * h, 3, rgb);
    }

    private static JFreeChart chart(String title, String x, XYSeries s) {
        JFreeChart c = ChartFactory.createXYLineChart(title, x, "PSNR (dB)", new XYSeriesCollection(s),
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = c.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        plot.getRenderer().setSeriesStroke(0, new BasicStroke(1.6f));
        ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        return c;
    }
}
