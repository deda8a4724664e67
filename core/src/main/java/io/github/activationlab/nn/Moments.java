package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Mean and biased variance as {@code tf.nn.moments} computes them (what Keras's normalisation
 * layers call): {@code mean = reduce_mean(x)}, {@code variance = reduce_mean(squared_difference(x,
 * stop_gradient(mean)))}.
 */
final class Moments {
  private Moments() {}

  /**
   * Over every axis but the last (BatchNormalization's batch statistics); with a sample mask {@code
   * [batch]}, over the real samples only.
   *
   * @return {mean, variance}, each shaped as the last axis
   */
  @SuppressWarnings("unchecked")
  static Operand<TFloating>[] overBatch(FloatOps f, Operand<TFloating> x, Operand<TFloating> mask) {
    var tf = f.ops;
    int rank = x.shape().numDimensions();
    int[] axes = new int[rank - 1];
    for (int i = 0; i < axes.length; i++) axes[i] = i;
    var a = tf.constant(axes);
    if (mask == null) {
      Operand<TFloating> mean = tf.math.mean(x, a);
      Operand<TFloating> var = tf.math.mean(tf.math.squaredDifference(x, tf.stopGradient(mean)), a);
      return new Operand[] {mean, var};
    }
    long[] ones = new long[rank];
    java.util.Arrays.fill(ones, 1);
    ones[0] = -1;
    Operand<TFloating> m = tf.reshape(mask, tf.constant(ones));
    // the count of real values per feature: real samples x the sizes of the other non-feature
    // axes (static; onesLike(x) would have no gradient in TF Java)
    long others = 1;
    for (int i = 1; i < rank - 1; i++) others *= x.shape().get(i);
    Operand<TFloating> count = f.mul(tf.sum(mask, tf.constant(0)), f.c(others));
    Operand<TFloating> mean = f.div(tf.sum(f.mul(x, m), a), count);
    Operand<TFloating> sq = f.mul(tf.math.squaredDifference(x, tf.stopGradient(mean)), m);
    return new Operand[] {mean, f.div(tf.sum(sq, a), count)};
  }

  /** Over the last axis, keeping it (LayerNormalization). */
  @SuppressWarnings("unchecked")
  static Operand<TFloating>[] overLastAxis(FloatOps f, Operand<TFloating> x) {
    var tf = f.ops;
    var a = tf.constant(new int[] {-1});
    var keep = org.tensorflow.op.math.Mean.keepDims(true);
    Operand<TFloating> mean = tf.math.mean(x, a, keep);
    Operand<TFloating> var =
        tf.math.mean(tf.math.squaredDifference(x, tf.stopGradient(mean)), a, keep);
    return new Operand[] {mean, var};
  }
}
