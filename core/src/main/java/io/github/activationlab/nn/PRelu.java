package io.github.activationlab.nn;

import io.github.activationlab.activation.Activations;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's {@code PReLU} layer: {@code relu(x) - alpha * relu(-x)} with a trained alpha, one per
 * unit (Keras's default {@code shared_axes=None} on a [batch, units] input), initial value {@code
 * alphaInitial} (Keras: zeros; the notebook's PReLU uses 0.1).
 *
 * <pre>{@code
 * Sequential.of(2, Dense.of(4), new PRelu(0.1), Dense.of(1, "sigmoid")); // the xor-prelu model
 * }</pre>
 *
 * @param alphaInitial the initial value of every alpha
 */
public record PRelu(double alphaInitial) implements Layer {

  @Override
  public String type() {
    return "PReLU";
  }

  @Override
  public List<WeightSpec> weights(List<long[]> inputs) {
    long[] in = Layer.single(inputs);
    return List.of(WeightSpec.trainable("alpha", in.clone(), Initializer.constant(alphaInitial)));
  }

  @Override
  public Operand<TFloating> call(
      CallContext c, List<Operand<TFloating>> inputs, List<Operand<TFloating>> weights) {
    return Activations.prelu(c.ops(), inputs.get(0), weights.get(0));
  }

  @Override
  public String activationName() {
    return "prelu";
  }

  @Override
  public Map<String, Object> config() {
    return Layer.configOf(
        "alpha_initializer", KerasConfig.initializer("Zeros"),
        "alpha_regularizer", null,
        "alpha_constraint", null,
        "shared_axes", null);
  }

  /** Keras's PReLU config: one alpha per unit (shared_axes null), no regularizer or constraint. */
  static PRelu fromKeras(KerasConfig c) {
    Object shared = c.raw("shared_axes");
    if (shared != null && !(shared instanceof List<?> l && l.isEmpty())) {
      throw c.error(
          "shared_axes "
              + shared
              + " is not supported (only one alpha per unit, shared_axes null)");
    }
    c.requireNull("alpha_regularizer", "");
    c.requireNull("alpha_constraint", "");
    return new PRelu(0);
  }
}
