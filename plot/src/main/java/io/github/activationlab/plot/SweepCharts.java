package io.github.activationlab.plot;

import io.github.activationlab.sweep.SweepResults.ActivationResult;
import io.github.activationlab.sweep.SweepResults.Sweep;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxChartBuilder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.style.BoxStyler.BoxplotCalCulationMethod;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A seed sweep's chart, one PNG per model ({@code sweep-<model>.png}): the solved rate of each
 * activation with its 95% Wilson interval, and beside it the distribution of the final loss over
 * the seeds (box plots of log10 of the loss). Only the sweep's results go into it (no timings), so
 * the same sweep draws the same bytes.
 */
public final class SweepCharts {
  private SweepCharts() {}

  static final Color INTERVAL = new Color(158, 202, 225);
  static final Color RATE = new Color(8, 81, 156);

  /** The file name of a model's chart. */
  public static String fileName(String model) {
    return "sweep-" + model + ".png";
  }

  /** Draws both panels and writes {@code graphs/sweep-<model>.png}. */
  public static Path save(Sweep s, Path graphs) throws IOException {
    return Charts.save(draw(s), graphs.resolve(fileName(s.model())));
  }

  /** The two panels side by side (one above the other for more than 10 activations). */
  public static BufferedImage draw(Sweep s) {
    return Charts.grid(List.of(solvedRates(s), finalLosses(s)), s.results().size() > 10 ? 1 : 2);
  }

  /** A panel's width: room for each activation's name (rotated when there are many). */
  static int width(Sweep s) {
    int k = s.results().size();
    return k > 10 ? 120 + 40 * k : Math.max(Charts.PANEL_W, 120 + 80 * k);
  }

  /**
   * Solved rate per activation: a marker at the rate, and a floating bar from the interval's low
   * end to its high end.
   */
  public static CategoryChart solvedRates(Sweep s) {
    CategoryChart c =
        new CategoryChartBuilder()
            .width(width(s))
            .height(Charts.PANEL_H + 60)
            .title(
                String.format(
                    "%s: solved rate, %d seeds (bar: 95%% Wilson interval)", s.model(), s.seeds()))
            .xAxisTitle("")
            .yAxisTitle("solved rate")
            .build();
    var st = c.getStyler();
    st.setChartBackgroundColor(Color.WHITE);
    st.setLegendVisible(false);
    st.setOverlapped(true);
    st.setPlotGridLinesVisible(false); // the white bars would cut them
    st.setAvailableSpaceFill(0.5);
    st.setYAxisMin(0.0).setYAxisMax(1.0);
    st.setYAxisDecimalPattern("0.0");
    st.setXAxisLabelRotation(s.results().size() > 10 ? 60 : 0);
    st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    st.setMarkerSize(9);
    List<String> names = new ArrayList<>();
    List<Double> lo = new ArrayList<>();
    List<Double> hi = new ArrayList<>();
    List<Double> rate = new ArrayList<>();
    for (ActivationResult r : s.results()) {
      names.add(r.activation());
      lo.add(r.ci95().lo());
      hi.add(r.ci95().hi());
      rate.add(r.solvedRate());
    }
    // overlapped, in order: a bar to the interval's high end, a white bar to its low end over it
    c.addSeries("95% interval", names, hi).setFillColor(INTERVAL);
    var below = c.addSeries("below the interval", names, lo);
    below.setFillColor(Color.WHITE);
    below.setLineColor(Color.WHITE);
    var marker = c.addSeries("solved rate", names, rate);
    marker.setChartCategorySeriesRenderStyle(CategorySeriesRenderStyle.Scatter);
    marker.setMarker(SeriesMarkers.DIAMOND);
    marker.setMarkerColor(RATE);
    return c;
  }

  /**
   * The final losses per activation as box plots of log10(loss) (quartiles by linear interpolation;
   * the finite losses only; a loss of 0 is drawn at 1e-12).
   */
  public static BoxChart finalLosses(Sweep s) {
    BoxChart c =
        new BoxChartBuilder()
            .width(width(s))
            .height(Charts.PANEL_H + 60)
            .title(
                String.format(
                    "%s: final loss over %d seeds (%d epochs)", s.model(), s.seeds(), s.epochs()))
            .xAxisTitle("")
            .yAxisTitle("log10(final loss)")
            .build();
    var st = c.getStyler();
    st.setChartBackgroundColor(Color.WHITE);
    st.setLegendVisible(false);
    st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    st.setBoxplotCalCulationMethod(BoxplotCalCulationMethod.N_LESS_1_PLUS_1);
    // XChart draws each box as wide as the plot's side margins together, (1 - size) * width:
    // with size 2k / (2k + 1) a box is half the room of one of the k activations
    int k = s.results().size();
    st.setPlotContentSize(2.0 * k / (2.0 * k + 1));
    st.setXAxisLabelRotation(s.results().size() > 10 ? 60 : 0);
    st.setYAxisDecimalPattern("0.0");
    boolean any = false;
    for (ActivationResult r : s.results()) {
      double[] logs =
          Arrays.stream(r.finalLosses())
              .filter(Double::isFinite)
              .map(v -> Math.log10(Math.max(v, 1e-12)))
              .toArray();
      if (logs.length == 0) continue; // every seed diverged: nothing to draw
      any = true;
      c.addSeries(r.activation(), logs).setFillColor(INTERVAL);
    }
    if (!any) c.addSeries("(no finite loss)", new double[] {0});
    return c;
  }
}
