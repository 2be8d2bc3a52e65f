package org.reconview.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.reconview.UserException;
import org.reconview.io.PngImages;

/**
 * The loss curve of a training run as a PNG (for model cards): total loss, L_s and L_t per step from the CSV log
 * {@link Trainer#log} writes, each also smoothed over 25 steps (a single batch's loss is noisy).
 */
public final class LossPlot {
    private LossPlot() {
    }

    public static void write(Path csv, Path png, String title) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv);
        } catch (java.io.IOException e) {
            throw new UserException(csv + ": cannot read (" + e.getMessage() + ")");
        }
        if (lines.isEmpty() || !lines.get(0).startsWith("step,loss,spatial,temporal")) {
            throw new UserException(csv + ": not a training log (expected the header step,loss,spatial,temporal)");
        }
        XYSeriesCollection data = new XYSeriesCollection();
        String[] names = {"loss (0.3 L_s + 0.7 L_t)", "L_s", "L_t"};
        for (int col = 0; col < 3; col++) {
            XYSeries s = new XYSeries(names[col] + ", 25-step mean");
            double[] window = new double[25];
            int n = 0;
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).split(",");
                double v = Double.parseDouble(f[col + 1]);
                window[n % window.length] = v;
                n++;
                double sum = 0;
                int k = Math.min(n, window.length);
                for (int j = 0; j < k; j++) {
                    sum += window[j];
                }
                s.add(Integer.parseInt(f[0]), sum / k);
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "step", "loss (PQ space)", data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        for (int i = 0; i < 3; i++) {
            plot.getRenderer().setSeriesStroke(i, new BasicStroke(1.6f));
        }
        BufferedImage img = chart.createBufferedImage(900, 450);
        byte[] rgb = new byte[900 * 450 * 3];
        for (int y = 0; y < 450; y++) {
            for (int x = 0; x < 900; x++) {
                int argb = img.getRGB(x, y);
                int i = (y * 900 + x) * 3;
                rgb[i] = (byte) (argb >> 16);
                rgb[i + 1] = (byte) (argb >> 8);
                rgb[i + 2] = (byte) argb;
            }
        }
        PngImages.write(png, 900, 450, 3, rgb);
    }
}
