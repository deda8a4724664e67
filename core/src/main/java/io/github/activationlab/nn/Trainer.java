package io.github.activationlab.nn;

import io.github.activationlab.tf.Arrays2;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Result;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TInt32;

/**
 * {@code fit}, as Keras's trainer runs it: Keras's batching ({@link Batching}), one Adam step per
 * batch — all steps in one op ({@link FusedFit}, the default, XLA-compiled unless asked not to) or
 * one {@code Session.run} per step — then the History: each epoch's loss and accuracy are its batch
 * values averaged with the batch sizes as weights, each computed before its step's update, as
 * Keras's metric trackers report them.
 */
final class Trainer {
  private Trainer() {}

  static History fit(ModelGraph g, Tensor xt, Tensor yt, int n, Fit fit) {
    Batching batching = Batching.of(n, fit);
    Batching.Padded p = batching.padded();
    boolean masked = batching.hasPartialBatch();
    double[][] perStep =
        fit.fused()
            ? runFused(g, xt, yt, n, p, masked, fit.xla())
            : runPerStep(g, xt, yt, n, p, masked);
    List<Double> losses = new ArrayList<>();
    List<Double> accuracies = new ArrayList<>();
    int perEpoch = batching.stepsPerEpoch();
    for (int e = 0, st = 0; e < fit.epochs(); e++) {
      double loss = 0;
      double accuracy = 0;
      for (int k = 0; k < perEpoch; k++, st++) {
        loss += perStep[0][st] * batching.batchLength(k);
        accuracy += perStep[1][st] * batching.batchLength(k);
      }
      losses.add(loss / n);
      accuracies.add(accuracy / n);
      if (!Double.isFinite(loss)) {
        throw new IllegalStateException("loss became " + loss / n + " in epoch " + (e + 1));
      }
      Progress.epoch(fit, e + 1, loss / n, accuracy / n);
    }
    return new History(losses, accuracies, batching);
  }

  /** All steps in one Session.run; returns each step's loss and accuracy. */
  private static double[][] runFused(
      ModelGraph g, Tensor xt, Tensor yt, int n, Batching.Padded p, boolean masked, boolean xla) {
    FusedFit ff = g.fused(n, p.width(), p.steps(), masked, xla);
    return runLoop(g, ff, xt, yt, p.steps(), p.width(), p.index(), p.mask());
  }

  /** One run of a loop op over {@code steps} rows of the schedule; each step's loss, accuracy. */
  private static double[][] runLoop(
      ModelGraph g,
      FusedFit ff,
      Tensor xt,
      Tensor yt,
      int steps,
      int width,
      int[] index,
      double[] mask) {
    Shape shape = Shape.of(steps, width);
    try (Tensor it = TInt32.tensorOf(shape, DataBuffers.of(index, true, false));
        Tensor mt = Arrays2.tensor(g.dtype, shape, mask);
        Result r =
            g.session
                .runner()
                .feed(g.x, xt)
                .feed(g.y, yt)
                .feed(ff.index, it)
                .feed(ff.mask, mt)
                .addTarget(ff.train)
                .fetch(ff.losses)
                .fetch(ff.accuracies)
                .run()) {
      return new double[][] {Arrays2.doubles(r.get(0)), Arrays2.doubles(r.get(1))};
    }
  }

  /**
   * One Session.run per step (the simple fallback): the same loop op run for one step at a time,
   * the state carried in the model's variables between runs. (Its own graph of the step would not
   * do: TF's oneDNN rewrite gives float32 MatMul other kernels in the main graph than in a loop
   * body, and the two paths would no longer agree bit for bit.)
   */
  private static double[][] runPerStep(
      ModelGraph g, Tensor xt, Tensor yt, int n, Batching.Padded p, boolean masked) {
    int b = p.width();
    FusedFit step = g.fused(n, b, 1, masked, false);
    double[][] out = new double[2][p.steps()];
    for (int st = 0; st < p.steps(); st++) {
      int[] idx = java.util.Arrays.copyOfRange(p.index(), st * b, (st + 1) * b);
      double[] mask = java.util.Arrays.copyOfRange(p.mask(), st * b, (st + 1) * b);
      double[][] one = runLoop(g, step, xt, yt, 1, b, idx, mask);
      out[0][st] = one[0][0];
      out[1][st] = one[1][0];
    }
    return out;
  }
}
