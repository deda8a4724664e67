package io.github.activationlab.sweep;

import io.github.activationlab.nn.SeedSweep.Outcome;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * What a seed sweep gives: the per-seed rules (solved, collapsed, dead units), the per-activation
 * summary ({@link ActivationResult}), the whole sweep ({@link Sweep}) and its table; its JSON is
 * {@link SweepJson}. The rules are shared with the JAX twin ({@code scripts/sweep_reference.py}),
 * so the two sweeps count alike.
 *
 * <pre>{@code
 * SweepResults.Tally tally = new SweepResults.Tally(false, new int[] {2}, 1000); // xor-mlp
 * for (SeedSweep.Outcome o : outcomes) tally.add(o);
 * SweepResults.ActivationResult r = tally.result("tanh", seconds);
 * var sweep = new SweepResults.Sweep("xor-mlp", 1000, 0.01, 42, 1000, 0, "float32", false,
 *     1000, 1, List.of(r), seconds);
 * SweepResults.printTable(sweep, System.out);
 * SweepJson.write(sweep, Path.of("sweep.json"), false);
 * }</pre>
 */
public final class SweepResults {
  private SweepResults() {}

  /**
   * Gates: solved when every output is within this of its label ({@code max |output - label| <
   * 0.4}).
   */
  public static final double GATE_TOLERANCE = 0.4;

  /** ReLU fits (regression): solved when the MSE against the noiseless x^2 is below this. */
  public static final double FIT_MSE_LIMIT = 50;

  /**
   * The solved rule, in words (table header, JSON).
   *
   * @param regression true for the ReLU fits, false for the gates
   * @return the rule, e.g. {@code "MSE against the noiseless x^2 < 50"}
   */
  public static String solvedRule(boolean regression) {
    return regression
        ? "MSE against the noiseless x^2 < " + fmt(FIT_MSE_LIMIT)
        : "every output within "
            + GATE_TOLERANCE
            + " of its label (max |output - label| < "
            + GATE_TOLERANCE
            + ")";
  }

  /** The collapsed rule, in words (JSON's {@code collapsed_rule}). */
  public static final String COLLAPSED_RULE =
      "max(output) - min(output) over the training inputs" + " <= 1e-6 * max(1, |mean(output)|)";

  /**
   * Solved: for the gates every output within 0.4 of its label ({@code maxAbsError < 0.4}), for the
   * ReLU fits the MSE against the noiseless x^2 below 50 ({@code mseVsTruth < 50}). NaN (a diverged
   * run) is not solved.
   *
   * @param regression true for the ReLU fits, false for the gates
   * @param o one seed's outcome
   * @return whether the seed solved the task
   */
  public static boolean solved(boolean regression, Outcome o) {
    return regression ? o.mseVsTruth() < FIT_MSE_LIMIT : o.maxAbsError() < GATE_TOLERANCE;
  }

  /**
   * Collapsed: the output is constant over the training inputs (SeedSweep's rule: {@code max - min
   * <= 1e-6 * max(1, |mean|)}, the same as the JAX twin's) — exactly constant (every ReLU dead) or
   * constant up to the float32 rounding of its values (a sigmoid output sitting at 0.5 +- 6e-8, as
   * one sigmoid layer on XOR does). NaN is not collapsed.
   *
   * @param o one seed's outcome
   * @return whether its output collapsed
   */
  public static boolean collapsed(Outcome o) {
    return o.collapsed();
  }

  /**
   * Dead units of each hidden layer as a fraction of its units.
   *
   * @param o one seed's outcome
   * @param units the units of each hidden layer
   * @return per hidden layer, dead units / {@code units[l]}
   */
  public static double[] deadFractions(Outcome o, int[] units) {
    double[] f = new double[units.length];
    for (int l = 0; l < units.length; l++) f[l] = (double) o.deadUnits()[l] / units[l];
    return f;
  }

  /**
   * One activation's summary over n seeds. {@code finalLosses} in seed order (NaN for a diverged
   * seed); the median and percentiles are over the finite ones ({@code diverged} counts the others;
   * NaN if none is finite). {@code deadUnitRate}: dead hidden units / all hidden units over all
   * seeds (NaN for a model without a hidden layer), also per hidden layer.
   *
   * @param activation the activation's Keras name
   * @param n the number of seeds
   * @param solved how many solved the task ({@link #solved})
   * @param ci95 the 95% Wilson interval of the solved rate
   * @param median the median final loss
   * @param p10 the 10th percentile of the final losses
   * @param p90 the 90th percentile of the final losses
   * @param diverged how many seeds ended with a non-finite loss
   * @param deadUnitRate dead hidden units / all hidden units, over all seeds
   * @param deadUnitRatePerLayer the same per hidden layer
   * @param collapsedRate the fraction of seeds whose output collapsed ({@link #collapsed})
   * @param seconds the wall time of this activation's sweep
   * @param finalLosses every seed's final loss, in seed order
   */
  public record ActivationResult(
      String activation,
      int n,
      int solved,
      SweepStats.Interval ci95,
      double median,
      double p10,
      double p90,
      int diverged,
      double deadUnitRate,
      double[] deadUnitRatePerLayer,
      double collapsedRate,
      double seconds,
      double[] finalLosses) {

    /**
     * The solved rate.
     *
     * @return solved / n
     */
    public double solvedRate() {
      return (double) solved / n;
    }
  }

  /**
   * Adds up one activation's outcomes, seed by seed (so a sweep of many seeds keeps only their
   * final losses, not their weights). Not thread-safe: one tally per activation.
   */
  public static final class Tally {
    private final boolean regression;
    private final int[] units;
    private final double[] losses;
    private final long[] dead;
    private int n;
    private int solved;
    private int collapsed;

    /**
     * An empty tally.
     *
     * @param regression true for the ReLU fits, false for the gates
     * @param hiddenUnits the units of each hidden layer (empty for none)
     * @param seeds how many outcomes will be added, at most
     */
    public Tally(boolean regression, int[] hiddenUnits, int seeds) {
      this.regression = regression;
      this.units = hiddenUnits.clone();
      this.losses = new double[seeds];
      this.dead = new long[hiddenUnits.length];
    }

    /**
     * Counts one seed's outcome.
     *
     * @param o the outcome
     * @throws ArrayIndexOutOfBoundsException beyond the number of seeds given
     */
    public void add(Outcome o) {
      losses[n++] = o.loss();
      if (solved(regression, o)) solved++;
      if (collapsed(o)) collapsed++;
      for (int l = 0; l < units.length; l++) dead[l] += o.deadUnits()[l];
    }

    /**
     * The outcomes added so far.
     *
     * @return their number
     */
    public int count() {
      return n;
    }

    /**
     * The summary of the outcomes added.
     *
     * @param activation the activation's Keras name
     * @param seconds the wall time of its sweep
     * @return the summary
     * @throws IllegalStateException if no outcome was added
     */
    public ActivationResult result(String activation, double seconds) {
      if (n == 0) throw new IllegalStateException("no outcome added");
      double[] all = Arrays.copyOf(losses, n);
      double[] finite = Arrays.stream(all).filter(Double::isFinite).sorted().toArray();
      double[] perLayer = new double[units.length];
      long deadAll = 0;
      long unitsAll = 0;
      for (int l = 0; l < units.length; l++) {
        perLayer[l] = (double) dead[l] / ((long) units[l] * n);
        deadAll += dead[l];
        unitsAll += (long) units[l] * n;
      }
      return new ActivationResult(
          activation,
          n,
          solved,
          SweepStats.wilson(solved, n),
          SweepStats.percentileOfSorted(finite, 50),
          SweepStats.percentileOfSorted(finite, 10),
          SweepStats.percentileOfSorted(finite, 90),
          n - finite.length,
          unitsAll == 0 ? Double.NaN : (double) deadAll / unitsAll,
          perLayer,
          (double) collapsed / n,
          seconds,
          all);
    }
  }

  /**
   * A whole sweep: a model, its settings, one result per activation in the order given, and the
   * total time.
   *
   * @param model the model's name, e.g. {@code xor-mlp}
   * @param epochs epochs per seed
   * @param learningRate Adam's learning rate
   * @param firstSeed the first seed; the others follow it
   * @param seeds the number of seeds per activation
   * @param dataSeed the seed of the training data (the ReLU fits' noise)
   * @param dtype {@code float32} or {@code float64}
   * @param regression true for the ReLU fits, false for the gates
   * @param chunk seeds per SeedSweep run
   * @param threads activations swept side by side
   * @param results one per activation, in the order given
   * @param secondsTotal the wall time of the whole sweep
   */
  public record Sweep(
      String model,
      int epochs,
      double learningRate,
      long firstSeed,
      int seeds,
      long dataSeed,
      String dtype,
      boolean regression,
      int chunk,
      int threads,
      List<ActivationResult> results,
      double secondsTotal) {

    /**
     * The throughput.
     *
     * @return seeds x epochs trained per second of wall time, over all activations
     */
    public double seedEpochsPerSecond() {
      return (double) seeds * epochs * results.size() / secondsTotal;
    }
  }

  // ---------------------------------------------------------------- table

  /**
   * Prints the table: one row per activation (solved, rate, Wilson interval, final-loss
   * percentiles, dead units, collapsed rate, seconds), and a note under a row with diverged seeds.
   *
   * @param s the sweep
   * @param out where the table goes
   */
  public static void printTable(Sweep s, PrintStream out) {
    out.printf(
        "%-14s %13s %6s  %-16s %10s %10s %10s %6s %9s %8s%n",
        "activation",
        "solved",
        "rate",
        "95% CI (Wilson)",
        "loss p50",
        "p10",
        "p90",
        "dead",
        "collapsed",
        "seconds");
    for (ActivationResult r : s.results()) {
      out.printf(
          "%-14s %13s %6.3f  %-16s %10s %10s %10s %6s %9.3f %8.1f%n",
          r.activation(),
          r.solved() + "/" + r.n(),
          r.solvedRate(),
          String.format("[%.3f, %.3f]", r.ci95().lo(), r.ci95().hi()),
          g4(r.median()),
          g4(r.p10()),
          g4(r.p90()),
          Double.isNaN(r.deadUnitRate()) ? "-" : String.format("%.3f", r.deadUnitRate()),
          r.collapsedRate(),
          r.seconds());
      if (r.diverged() > 0) {
        out.printf(
            "%14s %d of %d seeds diverged (non-finite final loss; left out of the"
                + " percentiles)%n",
            "", r.diverged(), r.n());
      }
    }
  }

  /**
   * The one-line throughput summary.
   *
   * @param s the sweep
   * @return e.g. {@code "3 activations x 1000 seeds x 1000 epochs = 3.00e+06 seed-epochs in ..."}
   */
  public static String throughput(Sweep s) {
    return String.format(
        "%d activation%s x %d seeds x %d epochs = %.3g seed-epochs in %.1f s:"
            + " %.3g seed-epochs/s (chunks of up to %d seeds, %d activation%s at a time)",
        s.results().size(),
        s.results().size() == 1 ? "" : "s",
        s.seeds(),
        s.epochs(),
        (double) s.seeds() * s.epochs() * s.results().size(),
        s.secondsTotal(),
        s.seedEpochsPerSecond(),
        s.chunk(),
        s.threads(),
        s.threads() == 1 ? "" : "s");
  }

  private static String g4(double v) {
    return Double.isNaN(v) ? "-" : String.format("%.4g", v);
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
