package io.github.activationlab.nn;

import io.github.activationlab.activation.Activation;
import io.github.activationlab.activation.Activations;
import io.github.activationlab.tf.FloatOps;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's {@code Dense(units, activation=None, use_bias=True)}: {@code activation(x @ kernel +
 * bias)}, kernel {@code [in, units]} initialised glorot_uniform, bias zeros.
 */
public record Dense(int units, Activation activation, boolean useBias) implements Layer {

  /** {@code Dense(units, activation)} with a catalogue name ({@code null} or "linear": none). */
  public static Dense of(int units, String activation) {
    return new Dense(units, Activations.get(activation == null ? "linear" : activation), true);
  }

  /** {@code Dense(units)}, linear. */
  public static Dense of(int units) {
    return of(units, "linear");
  }

  public Dense {
    if (units <= 0)
      throw new IllegalArgumentException("Dense units must be positive, got " + units);
  }

  @Override
  public String type() {
    return "Dense";
  }

  @Override
  public int units(int inputDim) {
    return units;
  }

  @Override
  public List<WeightSpec> weights(int inputDim) {
    var kernel = new WeightSpec("kernel", new long[] {inputDim, units});
    return useBias ? List.of(kernel, new WeightSpec("bias", new long[] {units})) : List.of(kernel);
  }

  @Override
  public List<double[]> initialWeights(int inputDim, RandomGenerator rng) {
    List<double[]> w = new ArrayList<>();
    w.add(Initializers.glorotUniform(rng, inputDim, units));
    if (useBias) w.add(new double[units]);
    return w;
  }

  @Override
  public Operand<TFloating> call(
      FloatOps tf, Operand<TFloating> x, List<Operand<TFloating>> weights) {
    Operand<TFloating> kernel = weights.get(0);
    // a kernel with a leading seed axis [S, in, out] (seed sweeps): one matmul per seed
    Operand<TFloating> z =
        kernel.shape().numDimensions() == 3
            ? tf.ops.train.batchMatMul(x, kernel, kernel.type())
            : tf.ops.linalg.matMul(x, kernel);
    if (useBias) z = tf.add(z, weights.get(1));
    return activation.call(tf.ops, z);
  }

  /** The same layer without its activation (its pre-activation values, e.g. logits). */
  public Dense linear() {
    return new Dense(units, Activations.get("linear"), useBias);
  }

  @Override
  public String activationName() {
    return activation.name();
  }
}
