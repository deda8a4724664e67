package io.github.activationlab.sweep;

import java.util.Arrays;

/**
 * The statistics of a seed sweep, in plain Java: the Wilson score interval of a success rate and
 * percentiles as numpy computes them by default (so that Java's and Python's numbers agree).
 *
 * <pre>{@code
 * SweepStats.wilson(5, 10);                           // [0.2366, 0.7634]
 * SweepStats.percentile(new double[] {1, 2, 3, 4}, 10); // 1.3, as np.percentile
 * }</pre>
 */
public final class SweepStats {
  private SweepStats() {}

  /** The two-sided 95% normal quantile, z = Phi^-1(0.975). */
  public static final double Z95 = 1.959963984540054;

  /**
   * A closed interval [lo, hi].
   *
   * @param lo the lower end
   * @param hi the upper end
   */
  public record Interval(double lo, double hi) {}

  /**
   * The 95% Wilson score interval of {@code k} successes in {@code n} trials.
   *
   * @param k the successes, in [0, n]
   * @param n the trials (positive)
   * @return the interval, within [0, 1]
   * @throws IllegalArgumentException for n not positive or k outside [0, n]
   */
  public static Interval wilson(int k, int n) {
    return wilson(k, n, Z95);
  }

  /**
   * The Wilson score interval (Wilson 1927) of {@code k} successes in {@code n} trials:
   *
   * <pre>
   * center = (p + z^2 / 2n) / (1 + z^2 / n)
   * half   = z sqrt(p (1 - p) / n + z^2 / 4n^2) / (1 + z^2 / n)
   * </pre>
   *
   * with p = k / n. Unlike the normal (Wald) interval it stays inside [0, 1] and is not empty at k
   * = 0 or k = n (5/10 gives [0.2366, 0.7634], 0/10 [0, 0.2775], 10/10 [0.7225, 1]). The ends are
   * clamped to [0, 1] against rounding.
   *
   * @param k the successes, in [0, n]
   * @param n the trials (positive)
   * @param z the normal quantile of the confidence level ({@link #Z95} for 95%)
   * @return the interval, within [0, 1]
   * @throws IllegalArgumentException for n not positive or k outside [0, n]
   */
  public static Interval wilson(int k, int n, double z) {
    if (n <= 0) throw new IllegalArgumentException("n must be positive, got " + n);
    if (k < 0 || k > n) throw new IllegalArgumentException("k must be in [0, " + n + "], got " + k);
    double p = (double) k / n;
    double z2 = z * z;
    double denom = 1 + z2 / n;
    double center = (p + z2 / (2.0 * n)) / denom;
    double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denom;
    double lo = k == 0 ? 0 : Math.max(0, center - half);
    double hi = k == n ? 1 : Math.min(1, center + half);
    return new Interval(lo, hi);
  }

  /**
   * The {@code q}-th percentile (q in [0, 100]) of {@code values}, as numpy's {@code
   * np.percentile(values, q)} with its default method "linear" (Hyndman and Fan's type 7): sort,
   * take the position h = (n - 1) q / 100, interpolate linearly between the values at floor(h) and
   * ceil(h). NaN for no values. The values must be finite (the caller drops the others).
   *
   * @param values the values (not modified)
   * @param q the percentile, in [0, 100]
   * @return the percentile, or NaN for no values
   * @throws IllegalArgumentException for q outside [0, 100]
   */
  public static double percentile(double[] values, double q) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return percentileOfSorted(sorted, q);
  }

  /**
   * {@link #percentile} of values already sorted ascending (no copy, no sort).
   *
   * @param sorted the values, ascending
   * @param q the percentile, in [0, 100]
   * @return the percentile, or NaN for no values
   * @throws IllegalArgumentException for q outside [0, 100]
   */
  public static double percentileOfSorted(double[] sorted, double q) {
    if (!(q >= 0 && q <= 100))
      throw new IllegalArgumentException("q must be in [0, 100], got " + q);
    int n = sorted.length;
    if (n == 0) return Double.NaN;
    double h = (n - 1) * (q / 100.0);
    int lo = (int) Math.floor(h);
    int hi = Math.min(n - 1, lo + 1);
    double frac = h - lo;
    // numpy's _lerp: a + (b - a) t, computed from the nearer end (b - (b - a)(1 - t) for t >= 0.5)
    double a = sorted[lo];
    double b = sorted[hi];
    double diff = b - a;
    return frac >= 0.5 ? b - diff * (1 - frac) : a + diff * frac;
  }

  /**
   * The median (the 50th percentile, numpy's {@code np.median}).
   *
   * @param values the values (not modified)
   * @return the median, or NaN for no values
   */
  public static double median(double[] values) {
    return percentile(values, 50);
  }
}
