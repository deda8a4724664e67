package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's {@code Dropout(rate, seed=None)}: in training each value is kept with probability {@code
 * 1 - rate} and scaled by {@code 1 / (1 - rate)} ({@code x * scale * keep}, as {@code
 * tf.nn.experimental.stateless_dropout} computes it), or set to 0; in inference it passes its input
 * through. The masks come from TensorFlow's stateless uniform generator, seeded from the fit's
 * seed, the step and the layer's position: the same fit gives the same masks, every step new ones.
 * (Keras draws from its own generator: the masks differ between the two, their statistics do not.)
 *
 * @param rate the fraction of values dropped, in [0, 1)
 * @param seed Keras's {@code seed} as the file gives it (kept for the file; Java's masks follow the
 *     fit's seed), or null
 */
public record Dropout(double rate, Long seed) implements Layer {

  /**
   * Checks the rate.
   *
   * @param rate the fraction of values dropped
   * @param seed Keras's seed, or null
   * @throws IllegalArgumentException unless 0 &lt;= rate &lt; 1
   */
  public Dropout {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("Dropout rate must be in [0, 1), got " + rate);
    }
  }

  /**
   * Keras's {@code Dropout(rate)}.
   *
   * @param rate the fraction of values dropped, in [0, 1)
   */
  public Dropout(double rate) {
    this(rate, null);
  }

  @Override
  public String type() {
    return "Dropout";
  }

  @Override
  public Operand<TFloating> call(
      CallContext c, List<Operand<TFloating>> inputs, List<Operand<TFloating>> weights) {
    Operand<TFloating> x = inputs.get(0);
    if (!c.training() || rate == 0) return x;
    FloatOps f = c.ops();
    var tf = f.ops;
    Operand<TFloating> u = tf.random.statelessRandomUniform(tf.shape(x), c.seed(), x.type());
    var keep = tf.dtypes.cast(tf.math.greaterEqual(u, f.c(rate)), x.type());
    return f.mul(f.mul(x, f.c(1.0 / (1.0 - rate))), keep);
  }

  @Override
  public Map<String, Object> config() {
    return Layer.configOf("rate", rate, "seed", seed, "noise_shape", null);
  }

  /** Keras's config: rate and seed (no noise_shape). */
  static Dropout fromKeras(KerasConfig c) {
    c.requireNull("noise_shape", "");
    double rate = c.number("rate", -1);
    if (!(rate >= 0 && rate < 1)) throw c.error("rate " + c.raw("rate") + " is not in [0, 1)");
    Double seed = c.optionalNumber("seed");
    return new Dropout(rate, seed == null ? null : seed.longValue());
  }
}
