package io.github.activationlab.bench;

import io.github.activationlab.nn.Adam;
import io.github.activationlab.nn.Dense;
import io.github.activationlab.nn.Fit;
import io.github.activationlab.nn.Loss;
import io.github.activationlab.nn.Sequential;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Training speed of the notebook's models, each way {@code fit} can run: the fused loop compiled by
 * XLA, the fused loop without XLA, and one {@code Session.run} per step. Each row is the median of
 * {@code repeats} timed runs after one warm-up run (which includes graph building and XLA
 * compilation, reported separately).
 */
public final class TrainingBench {
  public record Row(String what, int steps, double warmupMs, double medianMs) {
    public double usPerStep() {
      return medianMs * 1000 / steps;
    }
  }

  private TrainingBench() {}

  static final double[][] X = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
  static final double[][] XOR = {{0}, {1}, {1}, {0}};

  public static List<Row> run(int repeats) {
    List<Row> rows = new ArrayList<>();
    Supplier<Sequential> xor =
        () ->
            Sequential.of(2, Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid"))
                .compile(Loss.MSE, Adam.learningRate(0.01), 42);
    Fit xorFit = Fit.epochs(1000).batchSize(32);
    rows.add(
        time(
            "XOR MLP, 1000 epochs: fused loop + XLA",
            1000,
            repeats,
            xor,
            X,
            XOR,
            xorFit.xla(true)));
    rows.add(
        time(
            "XOR MLP, 1000 epochs: fused loop, no XLA",
            1000,
            repeats,
            xor,
            X,
            XOR,
            xorFit.xla(false)));
    rows.add(
        time(
            "XOR MLP, 1000 epochs: Session.run per step",
            1000,
            repeats,
            xor,
            X,
            XOR,
            xorFit.fused(false)));
    double[][] q = new double[2001][1];
    double[][] qy = new double[2001][1];
    Random rnd = new Random(0);
    for (int i = 0; i < q.length; i++) {
      q[i][0] = -10 + i / 100.0;
      qy[i][0] = q[i][0] * q[i][0] + 10 * rnd.nextGaussian();
    }
    Supplier<Sequential> relu =
        () ->
            Sequential.of(1, Dense.of(6, "relu"), Dense.of(1))
                .compile(Loss.MSE, Adam.learningRate(0.005), 42);
    Fit reluFit = Fit.epochs(100).batchSize(32);
    int reluSteps = 100 * 63;
    rows.add(
        time(
            "ReLU fit (2001 x, batch 32), 100 epochs: fused + XLA",
            reluSteps,
            repeats,
            relu,
            q,
            qy,
            reluFit.xla(true)));
    rows.add(
        time(
            "ReLU fit (2001 x, batch 32), 100 epochs: Session.run per step",
            reluSteps,
            Math.min(repeats, 3),
            relu,
            q,
            qy,
            reluFit.fused(false)));
    return rows;
  }

  static Row time(
      String what,
      int steps,
      int repeats,
      Supplier<Sequential> model,
      double[][] x,
      double[][] y,
      Fit fit) {
    try (Sequential m = model.get()) {
      long t0 = System.nanoTime();
      m.fit(x, y, fit);
      double warm = (System.nanoTime() - t0) / 1e6;
      double[] ms = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        long t = System.nanoTime();
        m.fit(x, y, fit);
        ms[r] = (System.nanoTime() - t) / 1e6;
      }
      Arrays.sort(ms);
      return new Row(what, steps, warm, ms[repeats / 2]);
    }
  }

  public static void print(List<Row> rows, PrintStream o) {
    o.println("| training | steps | first run (ms, incl. build/compile) | median (ms) | us/step |");
    o.println("|---|---:|---:|---:|---:|");
    for (Row r : rows) {
      o.printf(
          "| %s | %d | %.0f | %.1f | %.1f |%n",
          r.what(), r.steps(), r.warmupMs(), r.medianMs(), r.usPerStep());
    }
  }
}
