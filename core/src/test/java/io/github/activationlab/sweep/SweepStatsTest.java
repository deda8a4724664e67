package io.github.activationlab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The sweep's statistics against known values (Wilson 1927; numpy 2.4's np.percentile). */
class SweepStatsTest {

  @Test
  void wilsonIntervalKnownValues() {
    // statsmodels' proportion_confint(5, 10, method='wilson') = (0.2366, 0.7634)
    var half = SweepStats.wilson(5, 10);
    assertEquals(0.236593090512564, half.lo(), 1e-12);
    assertEquals(0.7634069094874361, half.hi(), 1e-12);
    var none = SweepStats.wilson(0, 10);
    assertEquals(0.0, none.lo());
    assertEquals(0.2775327998628892, none.hi(), 1e-12);
    var all = SweepStats.wilson(10, 10);
    assertEquals(0.7224672001371107, all.lo(), 1e-12);
    assertEquals(1.0, all.hi(), "clamped: exactly 1 at k = n");
    var one = SweepStats.wilson(1, 1);
    assertEquals(0.20654931437723745, one.lo(), 1e-12);
    var big = SweepStats.wilson(512, 1000);
    assertEquals(0.4810325544060909, big.lo(), 1e-12);
    assertEquals(0.5428756033902558, big.hi(), 1e-12);
  }

  @Test
  void wilsonIntervalContainsTheRateAndRejectsNonsense() {
    for (int n : new int[] {1, 7, 300}) {
      for (int k = 0; k <= n; k++) {
        var ci = SweepStats.wilson(k, n);
        double p = (double) k / n;
        assertTrue(ci.lo() <= p && p <= ci.hi() && ci.lo() >= 0 && ci.hi() <= 1, k + "/" + n);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> SweepStats.wilson(0, 0));
    assertThrows(IllegalArgumentException.class, () -> SweepStats.wilson(11, 10));
  }

  /** np.percentile(v, q) for q = 0, 10, 25, 50, 90, 100, printed by numpy 2.4.6 (repr). */
  @Test
  void percentilesAsNumpyDefault() {
    check(
        new double[] {3.2, 0.5, 7.0, 1.25, 9.5, 0.001, 4.4},
        0.001,
        0.30040000000000006,
        0.875,
        3.2,
        8.0,
        9.5);
    check(
        new double[] {0.25, 0.1667, 0.0031, 0.1275, 0.0042, 0.0029, 0.25, 0.1683},
        0.0029,
        0.0030399999999999997,
        0.003925,
        0.1471,
        0.25,
        0.25);
    check(new double[] {5.0}, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0);
    check(new double[] {1.0, 2.0}, 1.0, 1.1, 1.25, 1.5, 1.9, 2.0);
    assertTrue(Double.isNaN(SweepStats.percentile(new double[0], 50)));
    assertThrows(
        IllegalArgumentException.class, () -> SweepStats.percentile(new double[] {1}, 101));
  }

  private static void check(double[] v, double... expected) {
    double[] qs = {0, 10, 25, 50, 90, 100};
    double[] before = v.clone();
    for (int i = 0; i < qs.length; i++) {
      // numpy's own rounding, bit for bit (the same formula, the same order of operations)
      assertEquals(expected[i], SweepStats.percentile(v, qs[i]), 0.0, "q = " + qs[i]);
    }
    assertEquals(expected[3], SweepStats.median(v), 0.0);
    assertEquals(
        java.util.Arrays.toString(before), java.util.Arrays.toString(v), "input unchanged");
  }
}
