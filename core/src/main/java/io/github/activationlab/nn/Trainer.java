package io.github.activationlab.nn;

import io.github.activationlab.internal.tf.Arrays2;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * {@code fit}, as Keras's trainer runs it: Keras's batching ({@link Batching}), one optimizer step
 * per batch — all steps in one op ({@link FusedFit}, the default, XLA-compiled unless asked not to)
 * or one {@code Session.run} per step — then the History: each epoch's loss, accuracy and metrics
 * are its batch values averaged with the batch sizes as weights, each computed before its step's
 * update, as Keras's metric trackers report them.
 */
final class Trainer {
  private Trainer() {}

  static History fit(ModelGraph g, Tensor xt, Tensor yt, int n, Fit fit) {
    Batching batching = Batching.of(n, fit);
    Batching.Padded p = batching.padded();
    boolean masked = batching.hasPartialBatch();
    double[][] perStep =
        fit.fused()
            ? runFused(g, xt, yt, n, p, masked, fit.xla(), fit.seed())
            : runPerStep(g, xt, yt, n, p, masked, fit.seed());
    List<Double> losses = new ArrayList<>();
    List<Double> accuracies = new ArrayList<>();
    Map<String, List<Double>> metrics = new LinkedHashMap<>();
    for (String m : g.metrics) metrics.put(m, new ArrayList<>());
    int perEpoch = batching.stepsPerEpoch();
    for (int e = 0, st = 0; e < fit.epochs(); e++) {
      double loss = 0;
      double accuracy = 0;
      double[] m = new double[g.metrics.size()];
      for (int k = 0; k < perEpoch; k++, st++) {
        loss += perStep[0][st] * batching.batchLength(k);
        accuracy += perStep[1][st] * batching.batchLength(k);
        for (int q = 0; q < m.length; q++) m[q] += perStep[2 + q][st] * batching.batchLength(k);
      }
      losses.add(loss / n);
      accuracies.add(accuracy / n);
      for (int q = 0; q < m.length; q++) metrics.get(g.metrics.get(q)).add(m[q] / n);
      if (!Double.isFinite(loss)) {
        throw new IllegalStateException("loss became " + loss / n + " in epoch " + (e + 1));
      }
      Progress.epoch(fit, e + 1, loss / n, accuracy / n);
    }
    return new History(losses, accuracies, batching, metrics);
  }

  /** All steps in one Session.run; returns each step's loss, accuracy and metrics. */
  private static double[][] runFused(
      ModelGraph g,
      Tensor xt,
      Tensor yt,
      int n,
      Batching.Padded p,
      boolean masked,
      boolean xla,
      long seed) {
    FusedFit ff = g.fused(n, p.width(), p.steps(), masked, xla);
    return runLoop(g, ff, xt, yt, p.steps(), p.width(), p.index(), p.mask(), seed);
  }

  /**
   * One run of a loop op over {@code steps} rows of the schedule; each step's loss, accuracy and
   * metrics.
   */
  private static double[][] runLoop(
      ModelGraph g,
      FusedFit ff,
      Tensor xt,
      Tensor yt,
      int steps,
      int width,
      int[] index,
      double[] mask,
      long seed) {
    Shape shape = Shape.of(steps, width);
    try (Tensor it = TInt32.tensorOf(shape, DataBuffers.of(index, true, false));
        Tensor mt = Arrays2.tensor(g.dtype, shape, mask);
        TInt64 st = TInt64.scalarOf(seed)) {
      Session.Runner runner =
          g.session
              .runner()
              .feed(g.x, xt)
              .feed(g.y, yt)
              .feed(ff.index, it)
              .feed(ff.mask, mt)
              .feed(ff.seed, st)
              .addTarget(ff.train)
              .fetch(ff.losses)
              .fetch(ff.accuracies);
      ff.metrics.forEach(runner::fetch);
      try (Result r = runner.run()) {
        double[][] out = new double[2 + ff.metrics.size()][];
        for (int q = 0; q < out.length; q++) out[q] = Arrays2.doubles(r.get(q));
        return out;
      }
    }
  }

  /**
   * One Session.run per step (the simple fallback): the same loop op run for one step at a time,
   * the state carried in the model's variables between runs. (Its own graph of the step would not
   * do: TF's oneDNN rewrite gives float32 MatMul other kernels in the main graph than in a loop
   * body, and the two paths would no longer agree bit for bit.)
   */
  private static double[][] runPerStep(
      ModelGraph g, Tensor xt, Tensor yt, int n, Batching.Padded p, boolean masked, long seed) {
    int b = p.width();
    FusedFit step = g.fused(n, b, 1, masked, false);
    double[][] out = new double[2 + g.metrics.size()][p.steps()];
    for (int st = 0; st < p.steps(); st++) {
      int[] idx = java.util.Arrays.copyOfRange(p.index(), st * b, (st + 1) * b);
      double[] mask = java.util.Arrays.copyOfRange(p.mask(), st * b, (st + 1) * b);
      double[][] one = runLoop(g, step, xt, yt, 1, b, idx, mask, seed);
      for (int q = 0; q < out.length; q++) out[q][st] = one[q][0];
    }
    return out;
  }
}
