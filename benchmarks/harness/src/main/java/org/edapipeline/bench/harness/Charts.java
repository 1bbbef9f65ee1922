package org.edapipeline.bench.harness;

import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.ScatterRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.DefaultMultiValueCategoryDataset;

/**
 * The report's PNG charts (JFreeChart, headless): per suite, bars of the median throughput and CPU
 * cost per contender with each pair's value as a point, and, where measured, latency percentiles.
 */
public final class Charts {

  private static final int WIDTH = 900;
  private static final int HEIGHT = 480;

  private Charts() {}

  /** Writes the suite's charts into {@code dir}; returns their file names, in report order. */
  public static List<Path> write(SuiteSummary summary, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    String id = summary.suite().id();
    List<Path> files = new ArrayList<>();
    files.add(
        save(
            bars(summary, "Throughput (events/s, higher is better)", RunRecord::eventsPerSecond),
            dir.resolve(id + "-throughput.png")));
    files.add(
        save(
            bars(
                summary,
                "CPU-seconds per million events (lower is better)",
                RunRecord::cpuSecondsPerMillion),
            dir.resolve(id + "-cpu.png")));
    if (summary.hasLatency()) {
      files.add(save(latency(summary), dir.resolve(id + "-latency.png")));
    }
    return files;
  }

  private static JFreeChart bars(
      SuiteSummary summary, String title, ToDoubleFunction<RunRecord> metric) {
    DefaultCategoryDataset medians = new DefaultCategoryDataset();
    DefaultMultiValueCategoryDataset pairs = new DefaultMultiValueCategoryDataset();
    for (String contender : summary.suite().contenders()) {
      double median = summary.median(contender, metric);
      medians.addValue(Double.isNaN(median) ? null : median, "median", contender);
      List<Double> values = new ArrayList<>();
      summary.ok(contender).forEach(r -> values.add(metric.applyAsDouble(r)));
      pairs.add(values, "per pair", contender);
    }
    CategoryAxis axis = new CategoryAxis();
    axis.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    BarRenderer bars = new BarRenderer();
    bars.setBarPainter(new StandardBarPainter());
    bars.setShadowVisible(false);
    bars.setSeriesPaint(0, new Color(0x4E79A7));
    CategoryPlot plot = new CategoryPlot(medians, axis, new NumberAxis(), bars);
    ScatterRenderer points = new ScatterRenderer();
    points.setSeriesPaint(0, new Color(0xE15759));
    points.setSeriesShape(0, new Ellipse2D.Double(-3, -3, 6, 6));
    plot.setDataset(1, pairs);
    plot.setRenderer(1, points);
    plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return new JFreeChart(summary.suite().title() + ": " + title, plot);
  }

  private static JFreeChart latency(SuiteSummary summary) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (String contender : summary.suite().contenders()) {
      data.addValue(
          ms(summary.median(contender, r -> orNaN(r.latencyP50Micros()))), "p50", contender);
      data.addValue(
          ms(summary.median(contender, r -> orNaN(r.latencyP99Micros()))), "p99", contender);
      data.addValue(
          ms(summary.median(contender, r -> orNaN(r.latencyP999Micros()))), "p99.9", contender);
    }
    CategoryAxis axis = new CategoryAxis();
    axis.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    BarRenderer bars = new BarRenderer();
    bars.setBarPainter(new StandardBarPainter());
    bars.setShadowVisible(false);
    CategoryPlot plot = new CategoryPlot(data, axis, new NumberAxis("ms"), bars);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return new JFreeChart(summary.suite().title() + ": latency (ms, lower is better)", plot);
  }

  private static double orNaN(Double value) {
    return value == null ? Double.NaN : value;
  }

  private static Double ms(double micros) {
    return Double.isNaN(micros) ? null : micros / 1000;
  }

  private static Path save(JFreeChart chart, Path file) throws IOException {
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    return file;
  }
}
