package io.github.activationlab.nn;

import java.util.List;

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
}
