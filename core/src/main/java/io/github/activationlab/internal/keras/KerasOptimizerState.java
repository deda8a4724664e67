package io.github.activationlab.internal.keras;

import java.util.List;

/**
 * An optimizer's variables as {@code model.weights.h5} stores them under {@code optimizer/vars/}:
 * {@code 0} = iterations (int64 scalar), {@code 1} = learning_rate (float32 scalar; Keras loads it
 * over the compile config's), then the optimizer's own variables in Keras's order (Adam: m and v of
 * trainable weight 0, m and v of weight 1, ...; each optimizer's order is the library's business).
 *
 * @param iterations the optimizer's step count
 * @param learningRate the learning_rate variable (a float32 in the file, widened exactly)
 * @param variables the optimizer's slot variables, in the file's order (empty: a fresh optimizer)
 */
public record KerasOptimizerState(
    long iterations, double learningRate, List<KerasWeight> variables) {
  /** Copies the list. */
  public KerasOptimizerState {
    if (iterations < 0) {
      throw new IllegalArgumentException("optimizer iterations must be >= 0, got " + iterations);
    }
    variables = List.copyOf(variables);
  }
}
