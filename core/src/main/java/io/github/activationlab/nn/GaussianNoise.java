package io.github.activationlab.nn;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's {@code GaussianNoise(stddev, seed=None)}: in training it adds zero-mean normal noise of
 * standard deviation {@code stddev} to each value (TensorFlow's stateless normal generator, seeded
 * as {@link Dropout}'s masks are); in inference it passes its input through. No weights.
 *
 * @param stddev the noise's standard deviation (not negative)
 * @param seed Keras's {@code seed} as the file gives it, or null
 */
public record GaussianNoise(double stddev, Long seed) implements Layer {

  @Override
  public String type() {
    return "GaussianNoise";
  }

  @Override
  public Operand<TFloating> call(
      CallContext c, List<Operand<TFloating>> inputs, List<Operand<TFloating>> weights) {
    Operand<TFloating> x = inputs.get(0);
    if (!c.training() || stddev == 0) return x;
    var tf = c.ops().ops;
    // no gradient flows into the noise (TF Java has none registered for the random op)
    var noise = tf.stopGradient(tf.random.statelessRandomNormal(tf.shape(x), c.seed(), x.type()));
    return c.ops().add(x, c.ops().mul(noise, c.ops().c(stddev)));
  }

  @Override
  public Map<String, Object> config() {
    return Layer.configOf("stddev", stddev, "seed", seed);
  }

  /** Keras's config: stddev and seed. */
  static GaussianNoise fromKeras(KerasConfig c) {
    Double seed = c.optionalNumber("seed");
    return new GaussianNoise(c.number("stddev", 0), seed == null ? null : seed.longValue());
  }
}
