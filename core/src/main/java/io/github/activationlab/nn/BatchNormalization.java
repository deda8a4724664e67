package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's {@code BatchNormalization(axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True)}
 * over the last axis. In training ({@code fit}) it normalises with the batch's mean and (biased)
 * variance over every other axis, {@code tf.nn.moments} as Keras computes them (a padded last
 * batch: over its real samples only), and updates its moving statistics:
 *
 * <pre>
 * moving_mean     = moving_mean * momentum + mean * (1 - momentum)
 * moving_variance = moving_variance * momentum + variance * (1 - momentum)
 * </pre>
 *
 * ({@code 1 - momentum} in double, rounded once to the dtype, as Keras computes it). In inference
 * ({@code predict}, {@code evaluate}, exports) it uses the moving statistics. Either way the output
 * is {@code tf.nn.batch_normalization}'s: {@code inv = rsqrt(variance + epsilon) * gamma; y = x *
 * inv + (beta - mean * inv)}. Weights, in Keras's order: gamma (if scale; ones), beta (if center;
 * zeros), then the non-trainable moving_mean (zeros) and moving_variance (ones).
 *
 * <p>Ioffe and Szegedy, "Batch Normalization", ICML 2015.
 *
 * @param momentum the moving averages' momentum
 * @param epsilon added to the variance
 * @param center whether the layer has an offset beta
 * @param scale whether the layer has a scale gamma
 */
public record BatchNormalization(double momentum, double epsilon, boolean center, boolean scale)
    implements Layer {

  /** Keras's defaults: momentum 0.99, epsilon 1e-3, center and scale. */
  public BatchNormalization() {
    this(0.99, 1e-3, true, true);
  }

  @Override
  public String type() {
    return "BatchNormalization";
  }

  @Override
  public List<WeightSpec> weights(List<long[]> inputs) {
    long[] in = Layer.single(inputs);
    long[] d = {in[in.length - 1]};
    List<WeightSpec> w = new ArrayList<>();
    if (scale) w.add(WeightSpec.trainable("gamma", d, Initializer.ONES));
    if (center) w.add(WeightSpec.trainable("beta", d, Initializer.ZEROS));
    w.add(WeightSpec.state("moving_mean", d, Initializer.ZEROS));
    w.add(WeightSpec.state("moving_variance", d, Initializer.ONES));
    return w;
  }

  @Override
  public Operand<TFloating> call(
      CallContext c, List<Operand<TFloating>> inputs, List<Operand<TFloating>> weights) {
    FloatOps f = c.ops();
    Operand<TFloating> x = inputs.get(0);
    int k = (scale ? 1 : 0) + (center ? 1 : 0);
    Operand<TFloating> gamma = scale ? weights.get(0) : null;
    Operand<TFloating> beta = center ? weights.get(scale ? 1 : 0) : null;
    Operand<TFloating> mean = weights.get(k);
    Operand<TFloating> variance = weights.get(k + 1);
    if (c.training()) {
      Operand<TFloating>[] m = Moments.overBatch(f, x, c.mask());
      c.update(k, f.add(f.mul(mean, f.c(momentum)), f.mul(m[0], f.c(1.0 - momentum))));
      c.update(k + 1, f.add(f.mul(variance, f.c(momentum)), f.mul(m[1], f.c(1.0 - momentum))));
      mean = m[0];
      variance = m[1];
    }
    Operand<TFloating> inv = f.ops.math.rsqrt(f.add(variance, f.c(epsilon)));
    if (gamma != null) inv = f.mul(inv, gamma);
    Operand<TFloating> shift =
        beta != null ? f.sub(beta, f.mul(mean, inv)) : f.mul(f.neg(mean), inv);
    return f.add(f.mul(x, inv), shift);
  }

  @Override
  public Map<String, Object> config() {
    return Layer.configOf(
        "axis",
        -1,
        "momentum",
        momentum,
        "epsilon",
        epsilon,
        "center",
        center,
        "scale",
        scale,
        "beta_initializer",
        KerasConfig.initializer("Zeros"),
        "gamma_initializer",
        KerasConfig.initializer("Ones"),
        "moving_mean_initializer",
        KerasConfig.initializer("Zeros"),
        "moving_variance_initializer",
        KerasConfig.initializer("Ones"),
        "beta_regularizer",
        null,
        "gamma_regularizer",
        null,
        "beta_constraint",
        null,
        "gamma_constraint",
        null,
        "synchronized",
        false,
        "renorm",
        false,
        "renorm_clipping",
        null,
        "renorm_momentum",
        0.99);
  }

  /** Keras's config: the last axis, no renorm, no regularizer or constraint. */
  static BatchNormalization fromKeras(KerasConfig c) {
    c.lastAxisOnly("axis", -1);
    c.require("renorm", false);
    for (String k : List.of("beta_regularizer", "gamma_regularizer")) c.requireNull(k, "");
    for (String k : List.of("beta_constraint", "gamma_constraint")) c.requireNull(k, "");
    return new BatchNormalization(
        c.number("momentum", 0.99),
        c.number("epsilon", 1e-3),
        c.bool("center", true),
        c.bool("scale", true));
  }
}
