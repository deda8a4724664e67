package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * The metrics {@code compile} takes, by Keras's names, and how Keras resolves {@code accuracy}: the
 * binary accuracy (threshold 0.5) when the output has one column, the sparse categorical accuracy
 * when the targets are class indices, else the categorical accuracy.
 */
final class Metrics {
  private Metrics() {}

  static final List<String> NAMES =
      List.of(
          "accuracy",
          "acc",
          "binary_accuracy",
          "categorical_accuracy",
          "sparse_categorical_accuracy",
          "mae",
          "mean_absolute_error",
          "mse",
          "mean_squared_error");

  /** The metrics, checked. */
  static List<String> check(List<String> metrics) {
    for (String m : metrics) {
      if (!NAMES.contains(m)) {
        throw new IllegalArgumentException(
            "unknown metric '" + m + "'; supported: " + String.join(", ", NAMES));
      }
    }
    return List.copyOf(metrics);
  }

  /**
   * The metric per sample, {@code [batch]}, as Keras's metric function computes it (its epoch value
   * is the mean over the epoch's samples).
   */
  static Operand<TFloating> perSample(
      String name, FloatOps f, Operand<TFloating> yTrue, Operand<TFloating> yPred, Loss loss) {
    var tf = f.ops;
    var last = tf.constant(-1);
    long outWidth = yPred.shape().size(1);
    long targetWidth = yTrue.shape().size(1);
    String n =
        switch (name) {
          case "accuracy", "acc" ->
              outWidth == 1
                  ? "binary_accuracy"
                  : targetWidth == 1 ? "sparse_categorical_accuracy" : "categorical_accuracy";
          case "mean_absolute_error" -> "mae";
          case "mean_squared_error" -> "mse";
          default -> name;
        };
    Class<TFloating> t = yPred.type();
    return switch (n) {
      case "binary_accuracy" -> {
        var predicted = tf.dtypes.cast(f.gt(yPred, 0.5), t);
        yield tf.math.mean(tf.dtypes.cast(tf.math.equal(yTrue, predicted), t), last);
      }
      case "categorical_accuracy" ->
          tf.dtypes.cast(
              tf.math.equal(tf.math.argMax(yTrue, last), tf.math.argMax(yPred, last)), t);
      case "sparse_categorical_accuracy" -> {
        var label = tf.reshape(yTrue, tf.constant(new int[] {-1}));
        var predicted = tf.dtypes.cast(tf.math.argMax(yPred, last), t);
        yield tf.dtypes.cast(tf.math.equal(label, predicted), t);
      }
      case "mae" -> tf.math.mean(f.abs(f.sub(yTrue, yPred)), last);
      default -> tf.math.mean(f.square(f.sub(yTrue, yPred)), last); // mse
    };
  }
}
