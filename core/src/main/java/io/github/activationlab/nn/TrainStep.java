package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * One training step as TF ops, as Keras's {@code train_step}: the batch gathered by index from the
 * training set, the forward pass in training mode (Dropout masks from the step's seed,
 * BatchNormalization's batch statistics and its new moving averages), the loss and the metrics as
 * masked means over the batch (padding rows weigh 0, so they are exactly the means over its real
 * samples; no mask when no batch is partial) plus the regularization penalties, {@code
 * tf.gradients} of that total with respect to the trainable weights, and the optimizer's update. It
 * is the body of {@link FusedFit}'s loop, which runs every step of a fit in one op, or one step per
 * {@code Session.run} (the per-step fallback).
 *
 * <p>The same ops serve a fit and a seed sweep: a sweep's index, weights and optimizer slots carry
 * a trailing seed axis of S (the batch is then {@code [B, features, S]}), its loss and accuracy are
 * one per seed ({@code [S]}), and the gradient of their sum is each seed's own gradient (a seed's
 * weights reach only its own loss). The batch is axis 0 and the features axis 1 in both shapes.
 * What a sweep can train is {@link SeedSweep}'s to check.
 */
final class TrainStep {
  private TrainStep() {}

  /**
   * A sweep's batch rows come from this many samples or fewer by a chain of selects (one per
   * sample, vectorised over the seeds), from more by a gather.
   */
  static final int SELECT_ROWS = 8;

  /**
   * What a step trains: the model as {@code compile} left it — its architecture, loss, optimizer
   * and the metrics it reports.
   *
   * @param arch the model
   * @param loss the loss
   * @param optimizer the optimizer (its update and slots)
   * @param metrics Keras's metric names, in order (the loss and binary accuracy are always there)
   */
  record Compiled(Architecture arch, Loss loss, Optimizer optimizer, List<String> metrics) {}

  /**
   * The step's outputs: every weight's new value (trainable ones from the optimizer, state from the
   * layers), the optimizer's new state, the batch's loss, binary accuracy and metrics.
   */
  record Result(
      List<Operand<TFloating>> weights,
      Optimizers.Slots state,
      Operand<TFloating> loss,
      Operand<TFloating> accuracy,
      List<Operand<TFloating>> metrics) {}

  /**
   * The step on the batch {@code index} names: a fit's {@code [B]}, or a sweep's {@code [B, S]}.
   *
   * @param mask the batch's mask {@code [B]} (shared by a sweep's seeds), or null when no batch is
   *     partial
   * @param seed the fit's seed (int64 scalar): with the optimizer's step count, the step's seed
   */
  static Result build(
      FloatOps f,
      Compiled model,
      Operand<TFloating> x,
      Operand<TFloating> y,
      Operand<TInt32> index,
      Operand<TFloating> mask,
      Operand<TInt64> seed,
      List<Operand<TFloating>> weights,
      Optimizers.Slots state) {
    var tf = f.ops;
    Architecture arch = model.arch();
    boolean sweep = index.shape().numDimensions() > 1;
    Operand<TFloating> xb = rows(tf, x, index);
    Operand<TFloating> yb = rows(tf, y, index);
    // the step's seed: the fit's, and the optimizer's step count (new masks at every step)
    Operand<TInt64> stepSeed = tf.stack(List.of(seed, state.iterations()));
    Architecture.Forward out =
        arch.forward(CallContext.training(f, mask, stepSeed), xb, weights, model.loss());
    // the batch's mean; with a mask (a padded last batch), over its real samples only. Without
    // one, sum / B: the same ops as sum(l * 1) / sum(1), so both forms give the same bits.
    long width = index.shape().size(0);
    var count = mask == null ? f.c(width) : tf.sum(mask, tf.constant(0));
    // [B, 1]: a sweep's mask is the same for all seeds
    var m = mask != null && sweep ? tf.expandDims(mask, tf.constant(1)) : mask;
    Operand<TFloating> lossValue = mean(f, model.loss().perSample(f, yb, out), m, count);
    // Keras's compute_loss: the loss, then each regularization penalty, summed
    for (Operand<TFloating> p : arch.penalties(f, weights)) lossValue = f.add(lossValue, p);
    Operand<TFloating> accuracy = mean(f, perSampleAccuracy(f, yb, out.output()), m, count);
    List<Operand<TFloating>> metrics = new ArrayList<>();
    for (String name : model.metrics()) {
      metrics.add(mean(f, Metrics.perSample(name, f, yb, out.output(), model.loss()), m, count));
    }
    List<Architecture.Weight> walk = arch.weights();
    List<Operand<TFloating>> trainable = new ArrayList<>();
    for (int j = 0; j < walk.size(); j++) {
      if (walk.get(j).trainable()) trainable.add(weights.get(j));
    }
    // a sweep: each seed's weights reach only its own loss, so d(sum)/dw is each seed's gradient
    var grads = tf.gradients(sweep ? tf.sum(lossValue, tf.constant(0)) : lossValue, trainable);
    List<Operand<TFloating>> gs = new ArrayList<>();
    for (int j = 0; j < trainable.size(); j++) gs.add(grads.dy(j));
    Optimizers.Step step = Optimizers.rule(model.optimizer()).update(f, trainable, gs, state);
    List<Operand<TFloating>> next = new ArrayList<>();
    for (int j = 0, t = 0; j < walk.size(); j++) {
      if (walk.get(j).trainable()) next.add(step.weights().get(t++));
      else next.add(out.updates().getOrDefault(j, weights.get(j)));
    }
    return new Result(next, step.state(), lossValue, accuracy, metrics);
  }

  private static Operand<TFloating> mean(
      FloatOps f, Operand<TFloating> perSample, Operand<TFloating> mask, Operand<TFloating> count) {
    var tf = f.ops;
    Operand<TFloating> v = mask == null ? perSample : f.mul(perSample, mask);
    return f.div(tf.sum(v, tf.constant(0)), count);
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

  /**
   * Keras 3's "accuracy" on a one-output model: binary accuracy at threshold 0.5, per sample (the
   * mean over the outputs, axis 1; a sweep's seed axis kept); for class-index targets the sparse
   * categorical accuracy.
   */
  static Operand<TFloating> perSampleAccuracy(
      FloatOps f, Operand<TFloating> yTrue, Operand<TFloating> yPred) {
    if (yTrue.shape().size(1) != yPred.shape().size(1)) {
      return Metrics.perSample("sparse_categorical_accuracy", f, yTrue, yPred, null);
    }
    var predicted = f.ops.dtypes.cast(f.gt(yPred, 0.5), yTrue.type());
    var hit = f.ops.dtypes.cast(f.ops.math.equal(yTrue, predicted), yTrue.type());
    return f.ops.math.mean(hit, f.ops.constant(1));
  }
}
