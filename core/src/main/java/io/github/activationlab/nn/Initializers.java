package io.github.activationlab.nn;

import java.util.random.RandomGenerator;

/**
 * Keras's default initializers, computed in plain Java from a seeded generator so that the same
 * seed gives bit-identical weights in any run (and the weights can be written to run.json).
 *
 * <p>Not tensorflow-framework's {@code Glorot(UNIFORM)}: in TF Java 1.1.0 it draws from U[0,
 * limit), one-sided (pinned by a test).
 */
final class Initializers {
  private Initializers() {}

  /**
   * glorot_uniform: U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out)); row-major [in, out].
   */
  public static double[] glorotUniform(RandomGenerator rng, int fanIn, int fanOut) {
    double limit = Math.sqrt(6.0 / (fanIn + fanOut));
    double[] w = new double[fanIn * fanOut];
    for (int i = 0; i < w.length; i++) w[i] = (2 * rng.nextDouble() - 1) * limit;
    return w;
  }
}
