package io.github.activationlab.plot;

import io.github.activationlab.files.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The notebook's pictures, drawn with XChart and written as PNG: an activation's function and
 * derivative, histogram and image before / after; decision maps of the gate models; the ReLU fits.
 */
public final class Charts {
  private Charts() {}

  /**
   * How close to a threshold a prediction is rounding noise rather than a class: one sigmoid layer
   * on XOR predicts 0.5 +- 1e-7, and which side of 0.5 it lands on depends on the machine's
   * floating-point kernels. Within this band the maps say "undecided".
   */
  public static final double UNDECIDED = 1e-6;

  /** -1, 0 (undecided) or +1: the side of {@code threshold} a prediction is on. */
  public static int side(double predicted, double threshold) {
    return predicted > threshold + UNDECIDED ? 1 : predicted < threshold - UNDECIDED ? -1 : 0;
  }

  /**
   * Draws a small decision map off-screen, on a daemon thread, and throws it away: in a fresh JVM
   * the first chart pays for Java2D's, the fonts' and XChart's start (about 0.3-0.5 s here). A
   * command that will draw calls this first, so that the start overlaps with TensorFlow's load,
   * which keeps one thread busy and leaves the other core idle. A failure here is ignored: the real
   * drawing reports its own.
   *
   * @return the thread, started
   */
  public static Thread warmUpInBackground() {
    Thread t =
        new Thread(
            () -> {
              try {
                double[][] grid = {{0, 0}, {1, 1}};
                double[] v = {0.25, 0.75};
                BitmapEncoder.getBufferedImage(
                    classMap("warm-up", grid, v, 0.5, grid, new double[] {0, 1}));
              } catch (RuntimeException | LinkageError | java.awt.AWTError e) {
                // ignored: the real chart reports it
              }
            },
            "charts-warm-up");
    t.setDaemon(true);
    t.start();
    return t;
  }

  public static final int PANEL_W = 480;
  public static final int PANEL_H = 360;

  /** Function and derivative on the notebook's grid. */
  public static XYChart function(String name, double[] x, double[] y, double[] dy) {
    XYChart c =
        new XYChartBuilder()
            .width(PANEL_W)
            .height(PANEL_H)
            .title(name + ": function and derivative")
            .xAxisTitle("x")
            .yAxisTitle("y")
            .build();
    style(c);
    line(c, name + "(x)", x, y, new Color(31, 119, 180));
    if (dy != null) line(c, name + "'(x)", x, dy, new Color(255, 127, 14));
    return c;
  }

  /** Histogram of values, {@code bins} equal bins over their range. */
  public static CategoryChart histogram(String title, double[] values, int bins) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      if (Double.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (!(hi > lo)) {
      hi = lo + 1e-9;
    }
    int[] counts = new int[bins];
    for (double v : values) {
      if (!Double.isFinite(v)) continue;
      int b = (int) Math.min(bins - 1, Math.floor((v - lo) / (hi - lo) * bins));
      counts[b]++;
    }
    List<String> labels = new ArrayList<>();
    List<Integer> ys = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      labels.add(String.format("%.2g", lo + (b + 0.5) * (hi - lo) / bins));
      ys.add(counts[b]);
    }
    CategoryChart c =
        new CategoryChartBuilder()
            .width(PANEL_W)
            .height(PANEL_H)
            .title(title)
            .xAxisTitle("activation value")
            .yAxisTitle("count")
            .build();
    c.getStyler().setLegendVisible(false);
    c.getStyler().setXAxisLabelRotation(60);
    c.getStyler().setAvailableSpaceFill(0.95);
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.addSeries("samples", labels, ys).setFillColor(new Color(31, 119, 180));
    return c;
  }

  /**
   * A decision map over [0,1]^2: each grid point as a small square coloured by the predicted value
   * (ten bins, a heat map with its legend), the {@code threshold} contour (grid cells where the
   * prediction crosses it), and the training points.
   */
  public static XYChart decisionMap(
      String title,
      double[][] grid,
      double[] predicted,
      double threshold,
      double[][] trainX,
      double[] trainY) {
    XYChart c =
        new XYChartBuilder()
            .width(PANEL_W)
            .height(PANEL_H)
            .title(title)
            .xAxisTitle("x1")
            .yAxisTitle("x2")
            .build();
    style(c);
    c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    c.getStyler().setMarkerSize(4);
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    c.getStyler().setXAxisMin(-0.02).setXAxisMax(1.02).setYAxisMin(-0.02).setYAxisMax(1.02);
    double lo = Math.min(0, min(predicted));
    double hi = Math.max(1, max(predicted));
    int bins = 10;
    List<List<Double>> bx = new ArrayList<>();
    List<List<Double>> by = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      bx.add(new ArrayList<>());
      by.add(new ArrayList<>());
    }
    for (int i = 0; i < grid.length; i++) {
      // an undecided value is binned as the threshold itself, wherever the noise put it
      double p = side(predicted[i], threshold) == 0 ? threshold : predicted[i];
      int b = (int) Math.min(bins - 1, Math.max(0, Math.floor((p - lo) / (hi - lo) * bins)));
      bx.get(b).add(grid[i][0]);
      by.get(b).add(grid[i][1]);
    }
    for (int b = 0; b < bins; b++) {
      if (bx.get(b).isEmpty()) continue;
      double t = (b + 0.5) / bins;
      var s =
          c.addSeries(
              String.format(
                  "%.2f-%.2f", lo + b * (hi - lo) / bins, lo + (b + 1) * (hi - lo) / bins),
              bx.get(b),
              by.get(b));
      s.setMarker(SeriesMarkers.SQUARE);
      s.setMarkerColor(viridis(t));
    }
    // the threshold contour: grid points whose right or upper neighbour is on the other side
    int n = (int) Math.round(Math.sqrt(grid.length));
    List<Double> cx = new ArrayList<>();
    List<Double> cy = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        int k = i * n + j;
        int side = side(predicted[k], threshold);
        boolean crossesRight = i + 1 < n && side(predicted[k + n], threshold) != side;
        boolean crossesUp = j + 1 < n && side(predicted[k + 1], threshold) != side;
        if (crossesRight || crossesUp) {
          cx.add(grid[k][0] + (crossesRight ? 0.005 : 0));
          cy.add(grid[k][1] + (crossesUp ? 0.005 : 0));
        }
      }
    }
    if (!cx.isEmpty()) {
      var s = c.addSeries("y = " + threshold, cx, cy);
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setMarkerColor(Color.RED);
    }
    List<Double> tx1 = new ArrayList<>();
    List<Double> ty1 = new ArrayList<>();
    List<Double> tx0 = new ArrayList<>();
    List<Double> ty0 = new ArrayList<>();
    for (int i = 0; i < trainX.length; i++) {
      (trainY[i] > 0.5 ? tx1 : tx0).add(trainX[i][0]);
      (trainY[i] > 0.5 ? ty1 : ty0).add(trainX[i][1]);
    }
    if (!tx1.isEmpty()) {
      var s = c.addSeries("label 1", tx1, ty1);
      s.setMarker(SeriesMarkers.DIAMOND);
      s.setMarkerColor(new Color(255, 127, 14));
    }
    if (!tx0.isEmpty()) {
      var s = c.addSeries("label 0", tx0, ty0);
      s.setMarker(SeriesMarkers.DIAMOND);
      s.setMarkerColor(Color.BLACK);
    }
    return c;
  }

  /**
   * The notebook's 2D scatter: each grid point as True (prediction above {@code threshold}), False,
   * or undecided (within {@link #UNDECIDED} of the threshold: rounding noise, not a class), and the
   * training points.
   */
  public static XYChart classMap(
      String title,
      double[][] grid,
      double[] predicted,
      double threshold,
      double[][] trainX,
      double[] trainY) {
    double[] classes = new double[predicted.length];
    for (int i = 0; i < classes.length; i++) classes[i] = (side(predicted[i], threshold) + 1) / 2.0;
    XYChart c = decisionMap(title, grid, classes, 0.5, trainX, trainY);
    for (var s : c.getSeriesMap().values()) {
      if (s.getName().startsWith("0.00-")) s.setLabel("False (< " + threshold + ")");
      if (s.getName().startsWith("0.50-")) {
        s.setLabel("undecided (" + threshold + " +- " + UNDECIDED + ")");
        s.setMarkerColor(Color.LIGHT_GRAY);
      }
      if (s.getName().startsWith("0.90-")) s.setLabel("True (> " + threshold + ")");
      if (s.getName().startsWith("y = ")) s.setLabel("boundary");
    }
    return c;
  }

  /** The share of samples whose prediction is decided and on their label's side of 0.5. */
  public static double decidedAccuracy(double[] predicted, double[] labels) {
    int hits = 0;
    for (int i = 0; i < predicted.length; i++) {
      int s = side(predicted[i], 0.5);
      if (s != 0 && (s > 0) == (labels[i] > 0.5)) hits++;
    }
    return (double) hits / predicted.length;
  }

  /** The noisy data and each model's fit, for the ReLU regression. */
  public static XYChart regression(
      String title,
      double[] x,
      double[] noisy,
      double[] truth,
      List<String> names,
      List<double[]> fits) {
    XYChart c =
        new XYChartBuilder()
            .width(2 * PANEL_W)
            .height(PANEL_H + 120)
            .title(title)
            .xAxisTitle("x")
            .yAxisTitle("y")
            .build();
    style(c);
    var data = c.addSeries("x^2 + 10 N(0,1)", x, noisy);
    data.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    data.setMarker(SeriesMarkers.CIRCLE);
    data.setMarkerColor(new Color(170, 170, 170));
    line(c, "x^2", x, truth, Color.BLACK);
    Color[] colors = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44)};
    for (int i = 0; i < names.size(); i++)
      line(c, names.get(i), x, fits.get(i), colors[i % colors.length]);
    c.getStyler().setMarkerSize(2);
    return c;
  }

  /** A grayscale image (values mapped linearly from [lo, hi]) with a title, as a panel. */
  public static BufferedImage image(String title, double[] pixels, int w, int h) {
    double lo = min(pixels);
    double hi = max(pixels);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double v = pixels[y * w + x];
        int g = hi > lo && Double.isFinite(v) ? (int) Math.round(255 * (v - lo) / (hi - lo)) : 0;
        img.setRGB(x, y, (g << 16) | (g << 8) | g);
      }
    }
    BufferedImage panel = new BufferedImage(PANEL_W, PANEL_H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = panel.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, PANEL_W, PANEL_H);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, (PANEL_W - g.getFontMetrics().stringWidth(title)) / 2, 22);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    String range = String.format("black %.3g .. white %.3g", lo, hi);
    g.drawString(range, (PANEL_W - g.getFontMetrics().stringWidth(range)) / 2, PANEL_H - 8);
    // at most 320 px wide: the committed gallery stays small (a photo compresses poorly in PNG)
    double scale = Math.min(Math.min((PANEL_W - 20.0) / w, (PANEL_H - 60.0) / h), 320.0 / w);
    int dw = (int) (w * scale);
    int dh = (int) (h * scale);
    g.drawImage(img, (PANEL_W - dw) / 2, 32, dw, dh, null);
    g.setStroke(new BasicStroke(1));
    g.drawRect((PANEL_W - dw) / 2, 32, dw, dh);
    g.dispose();
    return panel;
  }

  /** Panels (charts or images) in a grid of {@code cols} columns. */
  public static BufferedImage grid(List<Object> panels, int cols) {
    List<BufferedImage> imgs = new ArrayList<>();
    for (Object p : panels) {
      imgs.add(
          p instanceof BufferedImage b
              ? b
              : BitmapEncoder.getBufferedImage(
                  (org.knowm.xchart.internal.chartpart.Chart<?, ?>) p));
    }
    int w = imgs.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
    int h = imgs.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
    int rows = (imgs.size() + cols - 1) / cols;
    BufferedImage out = new BufferedImage(w * cols, h * rows, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    for (int i = 0; i < imgs.size(); i++)
      g.drawImage(imgs.get(i), (i % cols) * w, (i / cols) * h, null);
    g.dispose();
    return out;
  }

  /**
   * Writes a PNG atomically, replacing an older one (charts are always regenerated): {@link
   * AtomicFiles#write} with force — a temporary sibling, fsynced, renamed into place; the file's
   * mode follows the umask.
   */
  public static Path save(BufferedImage image, Path file) throws IOException {
    return AtomicFiles.write(
        file,
        true,
        out -> {
          try (ImageOutputStream png = new MemoryCacheImageOutputStream(out)) {
            if (!ImageIO.write(image, "png", png)) throw new IOException("no PNG writer");
          }
        });
  }

  public static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file)
      throws IOException {
    return save(BitmapEncoder.getBufferedImage(chart), file);
  }

  private static void style(XYChart c) {
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    c.getStyler().setPlotGridLinesVisible(true);
  }

  private static void line(XYChart c, String name, double[] x, double[] y, Color color) {
    double[] yy = y.clone();
    for (int i = 0; i < yy.length; i++) if (!Double.isFinite(yy[i])) yy[i] = Double.NaN;
    var s = c.addSeries(name, x, yy);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(color);
    s.setLineWidth(2f);
  }

  static Color viridis(double t) {
    double[][] stops = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
    double p = Math.max(0, Math.min(1, t)) * (stops.length - 1);
    int i = (int) Math.min(stops.length - 2, Math.floor(p));
    double f = p - i;
    return new Color(
        (int) (stops[i][0] + f * (stops[i + 1][0] - stops[i][0])),
        (int) (stops[i][1] + f * (stops[i + 1][1] - stops[i][1])),
        (int) (stops[i][2] + f * (stops[i + 1][2] - stops[i][2])));
  }

  private static double min(double[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (double d : v) if (Double.isFinite(d)) m = Math.min(m, d);
    return m == Double.POSITIVE_INFINITY ? 0 : m;
  }

  private static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double d : v) if (Double.isFinite(d)) m = Math.max(m, d);
    return m == Double.NEGATIVE_INFINITY ? 1 : m;
  }
}
