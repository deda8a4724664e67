package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's {@code LayerNormalization(axis=-1, epsilon=1e-3, center=True, scale=True)}: each sample
 * normalised over its last axis, the same in training and inference, as Keras's {@code
 * ops.layer_normalization} computes it:
 *
 * <pre>
 * mean, variance = moments(x, axis=-1)            (tf.nn.moments, biased variance)
 * inv = rsqrt(variance + epsilon) * gamma
 * y = x * inv + (-mean * inv + beta)
 * </pre>
 *
 * Weights: gamma (if scale; ones), beta (if center; zeros), both trainable.
 *
 * <p>Ba, Kiros and Hinton, "Layer Normalization", 2016.
 *
 * @param epsilon added to the variance
 * @param center whether the layer has an offset beta
 * @param scale whether the layer has a scale gamma
 */
public record LayerNormalization(double epsilon, boolean center, boolean scale) implements Layer {

  /** Keras's defaults: epsilon 1e-3, center and scale. */
  public LayerNormalization() {
    this(1e-3, true, true);
  }

  @Override
  public String type() {
    return "LayerNormalization";
  }

  @Override
  public List<WeightSpec> weights(List<long[]> inputs) {
    long[] in = Layer.single(inputs);
    long[] d = {in[in.length - 1]};
    List<WeightSpec> w = new ArrayList<>();
    if (scale) w.add(WeightSpec.trainable("gamma", d, Initializer.ONES));
    if (center) w.add(WeightSpec.trainable("beta", d, Initializer.ZEROS));
    return w;
  }

  @Override
  public Operand<TFloating> call(
      CallContext c, List<Operand<TFloating>> inputs, List<Operand<TFloating>> weights) {
    FloatOps f = c.ops();
    Operand<TFloating> x = inputs.get(0);
    Operand<TFloating>[] m = Moments.overLastAxis(f, x);
    Operand<TFloating> inv = f.ops.math.rsqrt(f.add(m[1], f.c(epsilon)));
    if (scale) inv = f.mul(inv, weights.get(0));
    Operand<TFloating> res = f.mul(f.neg(m[0]), inv);
    if (center) res = f.add(res, weights.get(scale ? 1 : 0));
    return f.add(f.mul(x, inv), res);
  }

  @Override
  public Map<String, Object> config() {
    return Layer.configOf(
        "axis",
        List.of(-1),
        "epsilon",
        epsilon,
        "center",
        center,
        "scale",
        scale,
        "rms_scaling",
        false,
        "beta_initializer",
        KerasConfig.initializer("Zeros"),
        "gamma_initializer",
        KerasConfig.initializer("Ones"),
        "beta_regularizer",
        null,
        "gamma_regularizer",
        null,
        "beta_constraint",
        null,
        "gamma_constraint",
        null);
  }

  /** Keras's config: the last axis, no rms_scaling, no regularizer or constraint. */
  static LayerNormalization fromKeras(KerasConfig c) {
    c.lastAxisOnly("axis", -1);
    c.require("rms_scaling", false);
    for (String k : List.of("beta_regularizer", "gamma_regularizer")) c.requireNull(k, "");
    for (String k : List.of("beta_constraint", "gamma_constraint")) c.requireNull(k, "");
    return new LayerNormalization(
        c.number("epsilon", 1e-3), c.bool("center", true), c.bool("scale", true));
  }
}
