package io.github.activationlab.nn;

/**
 * Adam with Keras's semantics and defaults (learning_rate 0.001, beta_1 0.9, beta_2 0.999,
 * epsilon 1e-7 — not TF's 1e-8). Step t = iterations + 1:
 *
 * <pre>
 * alpha = learning_rate * sqrt(1 - beta_2^t) / (1 - beta_1^t)
 * m += (g - m) * (1 - beta_1);  v += (g^2 - v) * (1 - beta_2)
 * w -= alpha * m / (sqrt(v) + epsilon)
 * </pre>
 *
 * This is exactly TF's {@code ApplyAdam} kernel, which {@link Sequential} uses, with the beta
 * powers computed from the iteration counter <em>before</em> the updates and the counter
 * incremented only after every {@code ApplyAdam} has run (control dependencies). The
 * tensorflow-framework {@code Adam} updates its beta-power variables unordered with the
 * ApplyAdam ops: its results vary from run to run.
 */
public record Adam(double learningRate, double beta1, double beta2, double epsilon) {
  public static Adam defaults() {
    return new Adam(0.001, 0.9, 0.999, 1e-7);
  }

  public static Adam learningRate(double lr) {
    return new Adam(lr, 0.9, 0.999, 1e-7);
  }
}
