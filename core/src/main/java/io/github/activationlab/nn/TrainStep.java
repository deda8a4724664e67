package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
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
 */
final class TrainStep {
  private TrainStep() {}

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

  static Result build(
      FloatOps f,
      ModelGraph g,
      Operand<TFloating> x,
      Operand<TFloating> y,
      Operand<TInt32> index,
      Operand<TFloating> mask,
      Operand<TInt64> seed,
      List<Operand<TFloating>> weights,
      Optimizers.Slots state) {
    var tf = f.ops;
    Architecture arch = g.arch;
    Operand<TFloating> xb = tf.gather(x, index, tf.constant(0));
    Operand<TFloating> yb = tf.gather(y, index, tf.constant(0));
    // the step's seed: the fit's, and the optimizer's step count (new masks at every step)
    Operand<TInt64> stepSeed = tf.stack(List.of(seed, state.iterations()));
    Architecture.Forward out =
        arch.forward(CallContext.training(f, mask, stepSeed), xb, weights, g.loss);
    // the batch's mean; with a mask (a padded last batch), over its real samples only. Without
    // one, sum / B: the same ops as sum(l * 1) / sum(1), so both forms give the same bits.
    long width = index.shape().size(0);
    var count = mask == null ? f.c(width) : tf.sum(mask, tf.constant(0));
    Operand<TFloating> lossValue = mean(f, g.loss.perSample(f, yb, out), mask, count);
    // Keras's compute_loss: the loss, then each regularization penalty, summed
    for (Operand<TFloating> p : arch.penalties(f, weights)) lossValue = f.add(lossValue, p);
    Operand<TFloating> accuracy = mean(f, perSampleAccuracy(f, yb, out.output()), mask, count);
    List<Operand<TFloating>> metrics = new ArrayList<>();
    for (String m : g.metrics) {
      metrics.add(mean(f, Metrics.perSample(m, f, yb, out.output(), g.loss), mask, count));
    }
    List<Architecture.Weight> walk = arch.weights();
    List<Operand<TFloating>> trainable = new ArrayList<>();
    for (int j = 0; j < walk.size(); j++)
      if (walk.get(j).trainable()) trainable.add(weights.get(j));
    var grads = tf.gradients(lossValue, trainable);
    List<Operand<TFloating>> gs = new ArrayList<>();
    for (int j = 0; j < trainable.size(); j++) gs.add(grads.dy(j));
    Optimizers.Step step = Optimizers.rule(g.optimizer).update(f, trainable, gs, state);
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

  /** Keras 3's "accuracy" on a one-output model: binary accuracy at threshold 0.5, per sample. */
  static Operand<TFloating> perSampleAccuracy(
      FloatOps f, Operand<TFloating> yTrue, Operand<TFloating> yPred) {
    if (yTrue.shape().size(1) != yPred.shape().size(1)) {
      return Metrics.perSample("sparse_categorical_accuracy", f, yTrue, yPred, null);
    }
    var predicted = f.ops.dtypes.cast(f.gt(yPred, 0.5), yTrue.type());
    var hit = f.ops.dtypes.cast(f.ops.math.equal(yTrue, predicted), yTrue.type());
    return f.ops.math.mean(hit, f.ops.constant(-1));
  }
}
