package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * One training step as TF ops: the batch gathered by index from the training set, the forward pass,
 * the loss and accuracy as masked means over the batch (padding rows weigh 0, so they are exactly
 * the means over its real samples; no mask when no batch is partial), {@code tf.gradients}, and
 * Adam's update. It is the body of {@link FusedFit}'s loop, which runs every step of a fit in one
 * op, or one step per {@code Session.run} (the per-step fallback).
 *
 * <p>The same ops serve a fit and a seed sweep: a sweep's index, weights and moments carry a
 * trailing seed axis of S (the batch is then {@code [B, features, S]}), its loss and accuracy are
 * one per seed ({@code [S]}), and the gradient of their sum is each seed's own gradient (a seed's
 * weights reach only its own loss). The batch is axis 0 and the features axis 1 in both shapes.
 */
final class TrainStep {
  private TrainStep() {}

  /**
   * A sweep's batch rows come from this many samples or fewer by a chain of selects (one per
   * sample, vectorised over the seeds), from more by a gather.
   */
  static final int SELECT_ROWS = 8;

  /** The step's outputs: the new weights and Adam state, the batch's loss and accuracy. */
  record Result(Adam.Step update, Operand<TFloating> loss, Operand<TFloating> accuracy) {}

  static Result build(
      FloatOps f,
      Architecture arch,
      Loss loss,
      Adam adam,
      Operand<TFloating> x,
      Operand<TFloating> y,
      Operand<TInt32> index,
      Operand<TFloating> mask,
      List<Operand<TFloating>> weights,
      Adam.State state) {
    var tf = f.ops;
    boolean sweep = index.shape().numDimensions() > 1;
    Operand<TFloating> xb = rows(tf, x, index);
    Operand<TFloating> yb = rows(tf, y, index);
    Architecture.Forward out = arch.forward(f, xb, weights, loss);
    // the batch's mean; with a mask (a padded last batch), over its real samples only. Without
    // one, sum / B: the same ops as sum(l * 1) / sum(1), so both forms give the same bits.
    long width = index.shape().size(0);
    var batch = tf.constant(0);
    var count = mask == null ? f.c(width) : tf.sum(mask, batch);
    Operand<TFloating> perSample = loss.perSample(f, yb, out.output(), out.logits());
    Operand<TFloating> hits = perSampleAccuracy(f, yb, out.output());
    if (mask != null) {
      var m = sweep ? tf.expandDims(mask, tf.constant(1)) : mask; // [B, 1]: the same for all seeds
      perSample = f.mul(perSample, m);
      hits = f.mul(hits, m);
    }
    Operand<TFloating> lossValue = f.div(tf.sum(perSample, batch), count);
    Operand<TFloating> accuracy = f.div(tf.sum(hits, batch), count);
    // a sweep: each seed's weights reach only its own loss, so d(sum)/dw is each seed's gradient
    var grads = tf.gradients(sweep ? tf.sum(lossValue, batch) : lossValue, weights);
    List<Operand<TFloating>> g = new ArrayList<>();
    for (int j = 0; j < weights.size(); j++) g.add(grads.dy(j));
    return new Result(adam.update(f, weights, g, state), lossValue, accuracy);
  }

  /**
   * The rows {@code index} names of {@code data} {@code [n, d]}: {@code [B, d]} for a fit's {@code
   * [B]}, {@code [B, d, S]} for a sweep's {@code [B, S]} (the seed axis last, as XLA's CPU code
   * vectorises along the minor axis).
   */
  static Operand<TFloating> rows(Ops tf, Operand<TFloating> data, Operand<TInt32> index) {
    if (index.shape().numDimensions() == 1) return tf.gather(data, index, tf.constant(0));
    int n = (int) data.shape().size(0);
    if (n > SELECT_ROWS) {
      var columns =
          tf.gather(
              tf.linalg.transpose(data, tf.constant(new int[] {1, 0})), index, tf.constant(1));
      return tf.linalg.transpose(
          columns, tf.constant(new int[] {1, 0, 2})); // [d, B, S] -> [B, d, S]
    }
    var at = tf.expandDims(index, tf.constant(1)); // [B, 1, S]
    var shape = tf.constant(new long[] {1, data.shape().size(1), 1});
    List<Output<TFloating>> samples = tf.unstack(data, (long) n, Unstack.axis(0L)).output();
    Operand<TFloating> picked = tf.reshape(samples.get(n - 1), shape);
    for (int r = n - 2; r >= 0; r--) {
      var here = tf.math.equal(at, tf.constant(r));
      picked = tf.select(here, tf.reshape(samples.get(r), shape), picked);
    }
    return n > 1 ? picked : tf.broadcastTo(picked, tf.shape(tf.expandDims(at, tf.constant(1))));
  }

  /** Keras 3's "accuracy" on a one-output model: binary accuracy at threshold 0.5, per sample. */
  static Operand<TFloating> perSampleAccuracy(
      FloatOps f, Operand<TFloating> yTrue, Operand<TFloating> yPred) {
    var predicted = f.ops.dtypes.cast(f.gt(yPred, 0.5), yTrue.type());
    var hit = f.ops.dtypes.cast(f.ops.math.equal(yTrue, predicted), yTrue.type());
    return f.ops.math.mean(hit, f.ops.constant(1));
  }
}
