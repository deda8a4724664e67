package io.github.activationlab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The maps call rounding noise around 0.5 undecided, so a chart is the same on any machine. */
class ChartsTest {
  static final double[][] X = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
  static final double[] XOR = {0, 1, 1, 0};

  @Test
  void predictionsWithinTheBandOfTheThresholdAreUndecided() {
    assertEquals(0, Charts.side(0.5 + 1e-7, 0.5));
    assertEquals(0, Charts.side(0.5 - 1e-7, 0.5));
    assertEquals(1, Charts.side(0.5 + 1e-5, 0.5));
    assertEquals(-1, Charts.side(0.4, 0.5));
    // one sigmoid layer on XOR: 0.5 +- 1e-7 is no class, so no hit, on any machine
    assertEquals(0, Charts.decidedAccuracy(new double[] {0.5 - 1e-7, 0.5 + 1e-7, 0.5, 0.5}, XOR));
    assertEquals(0.75, Charts.decidedAccuracy(new double[] {0.1, 0.9, 0.8, 0.7}, XOR));
  }

  @Test
  void aNoisyHalfEverywhereDrawsTheSameMapWhicheverSideTheNoiseFalls() {
    double[][] grid = new double[121][];
    double[] up = new double[121];
    double[] down = new double[121];
    for (int i = 0; i < 121; i++) {
      grid[i] = new double[] {(i / 11) / 10.0, (i % 11) / 10.0};
      up[i] = 0.5 + 1e-7 * ((i % 3) - 1);
      down[i] = 0.5 - 1e-7 * ((i % 3) - 1);
    }
    for (boolean classes : List.of(true, false)) {
      var a =
          classes
              ? Charts.classMap("t", grid, up, 0.5, X, XOR)
              : Charts.decisionMap("t", grid, up, 0.5, X, XOR);
      var b =
          classes
              ? Charts.classMap("t", grid, down, 0.5, X, XOR)
              : Charts.decisionMap("t", grid, down, 0.5, X, XOR);
      assertEquals(a.getSeriesMap().keySet(), b.getSeriesMap().keySet());
      assertTrue(
          a.getSeriesMap().keySet().stream().noneMatch(k -> k.startsWith("y = ")),
          "no boundary through noise: " + a.getSeriesMap().keySet());
      for (var k : a.getSeriesMap().keySet()) {
        assertEquals(
            a.getSeriesMap().get(k).getXData().length,
            b.getSeriesMap().get(k).getXData().length,
            k);
      }
    }
    var c = Charts.classMap("t", grid, up, 0.5, X, XOR);
    assertTrue(
        c.getSeriesMap().values().stream()
            .anyMatch(s -> s.getLabel() != null && s.getLabel().startsWith("undecided")));
  }
}
