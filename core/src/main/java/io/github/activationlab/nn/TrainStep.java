package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * One training step as TF ops: the batch gathered by index from the training set, the forward pass,
 * the loss and accuracy as masked means over the batch (padding rows weigh 0, so they are exactly
 * the means over its real samples; no mask when no batch is partial), {@code tf.gradients}, and
 * Adam's update. It is the body of {@link FusedFit}'s loop, which runs every step of a fit in one
 * op, or one step per {@code Session.run} (the per-step fallback).
 */
final class TrainStep {
  private TrainStep() {}

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
    Operand<TFloating> xb = tf.gather(x, index, tf.constant(0));
    Operand<TFloating> yb = tf.gather(y, index, tf.constant(0));
    Architecture.Forward out = arch.forward(f, xb, weights, loss);
    // the batch's mean; with a mask (a padded last batch), over its real samples only. Without
    // one, sum / B: the same ops as sum(l * 1) / sum(1), so both forms give the same bits.
    long width = index.shape().size(0);
    var count = mask == null ? f.c(width) : tf.sum(mask, tf.constant(0));
    Operand<TFloating> perSample = loss.perSample(f, yb, out.output(), out.logits());
    Operand<TFloating> hits = perSampleAccuracy(f, yb, out.output());
    if (mask != null) {
      perSample = f.mul(perSample, mask);
      hits = f.mul(hits, mask);
    }
    Operand<TFloating> lossValue = f.div(tf.sum(perSample, tf.constant(0)), count);
    Operand<TFloating> accuracy = f.div(tf.sum(hits, tf.constant(0)), count);
    var grads = tf.gradients(lossValue, weights);
    List<Operand<TFloating>> g = new java.util.ArrayList<>();
    for (int j = 0; j < weights.size(); j++) g.add(grads.dy(j));
    return new Result(adam.update(f, weights, g, state), lossValue, accuracy);
  }

  /** Keras 3's "accuracy" on a one-output model: binary accuracy at threshold 0.5, per sample. */
  static Operand<TFloating> perSampleAccuracy(
      FloatOps f, Operand<TFloating> yTrue, Operand<TFloating> yPred) {
    var predicted = f.ops.dtypes.cast(f.gt(yPred, 0.5), yTrue.type());
    var hit = f.ops.dtypes.cast(f.ops.math.equal(yTrue, predicted), yTrue.type());
    return f.ops.math.mean(hit, f.ops.constant(-1));
  }
}
