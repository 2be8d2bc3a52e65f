package org.reconview.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Per-frame metric curves of every method as PNG charts (JFreeChart, rendered headless), camera cuts marked. */
final class Charts {
    static final int WIDTH = 960;
    static final int HEIGHT = 480;

    private Charts() {
    }

    /** The look every chart of eval shares: white background, light grid, a value axis fitted to the data. */
    static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        plot.getRangeAxis().setAutoRange(true);
        ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    }

    static void write(Path file, String title, String yLabel, Map<String, List<Evaluator.FrameResult>> byMethod,
            ToDoubleFunction<Evaluator.FrameResult> value, List<Integer> cuts) {
        XYSeriesCollection data = new XYSeriesCollection();
        byMethod.forEach((method, rows) -> {
            XYSeries s = new XYSeries(method);
            for (Evaluator.FrameResult r : rows) {
                double v = value.applyAsDouble(r);
                if (Double.isFinite(v)) {
                    s.add(r.frame(), v);
                }
            }
            data.addSeries(s);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title, "frame", yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = chart.getXYPlot();
        style(plot);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            plot.getRenderer().setSeriesStroke(i, new BasicStroke(1.6f));
        }
        int first = cuts.isEmpty() ? 0 : cuts.get(0); // the first frame always starts a shot: not worth a marker
        for (int cut : cuts) {
            if (cut == first) {
                continue;
            }
            ValueMarker m = new ValueMarker(cut, new Color(150, 150, 150), new BasicStroke(1f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
            m.setLabel("cut");
            plot.addDomainMarker(m);
        }
        Rgb8.writePng(file, chart.createBufferedImage(WIDTH, HEIGHT));
    }
}
