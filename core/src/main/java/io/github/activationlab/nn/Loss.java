package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's losses for these models, each the mean over the outputs (axis 1), then over the batch
 * (axis 0). A seed sweep's values carry a trailing seed axis, which both means keep.
 */
public enum Loss {
  /** {@code mean((y_pred - y_true)^2)}. */
  MSE("mse"),
  /**
   * {@code -mean(y log p + (1 - y) log(1 - p))}, p clipped to [1e-7, 1 - 1e-7] as Keras does.
   * (Keras 3's TF backend switches to the logits form after a sigmoid layer; see {@link
   * Sequential}.)
   */
  BINARY_CROSSENTROPY("binary_crossentropy");

  public final String kerasName;

  Loss(String kerasName) {
    this.kerasName = kerasName;
  }

  public static Loss of(String name) {
    for (Loss l : values()) if (l.kerasName.equals(name)) return l;
    throw new IllegalArgumentException(
        "unknown loss '" + name + "'; valid: mse, binary_crossentropy");
  }

  /**
   * Per-sample losses, shape [batch] (a sweep's: [batch, seeds]). {@code logits} is the pre-sigmoid
   * output, or null.
   */
  Operand<TFloating> perSample(
      FloatOps tf, Operand<TFloating> yTrue, Operand<TFloating> yPred, Operand<TFloating> logits) {
    var outputs = tf.ops.constant(1);
    return switch (this) {
      case MSE -> tf.ops.math.mean(tf.square(tf.sub(yPred, yTrue)), outputs);
      case BINARY_CROSSENTROPY -> {
        if (logits != null) {
          // max(z, 0) - z * y + log1p(exp(-|z|)), as tf.nn.sigmoid_cross_entropy_with_logits
          var z = logits;
          var ce =
              tf.add(tf.sub(tf.max(z, 0), tf.mul(z, yTrue)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
          yield tf.ops.math.mean(ce, outputs);
        }
        double eps = 1e-7;
        var p = tf.max(tf.min(yPred, 1 - eps), eps);
        var ll =
            tf.add(
                tf.mul(yTrue, tf.ops.math.log(p)),
                tf.mul(tf.sub(1, yTrue), tf.ops.math.log(tf.sub(1, p))));
        yield tf.neg(tf.ops.math.mean(ll, outputs));
      }
    };
  }
}
