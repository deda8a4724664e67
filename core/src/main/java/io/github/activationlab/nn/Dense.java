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
 * bias)}, kernel {@code [in, units]} initialised glorot_uniform, bias zeros. Any activation of the
 * catalogue works, element-wise or row-wise (softmax).
 *
 * <pre>{@code
 * Dense hidden = Dense.of(4, "relu");
 * Dense out = new Dense(1, NotebookActivations.leakyRelu(0.2), false); // other parameters, no bias
 * }</pre>
 *
 * @param units the number of output units (positive)
 * @param activation the activation applied to {@code x @ kernel + bias}
 * @param useBias whether the layer has a bias (Keras's {@code use_bias})
 */
public record Dense(int units, Activation activation, boolean useBias) implements Layer {

  /**
   * Keras's {@code Dense(units, activation=name)}, with a bias.
   *
   * @param units the number of output units (positive)
   * @param activation a catalogue name ({@link
   *     io.github.activationlab.activation.Activations#get}); {@code null} or {@code "linear"} for
   *     none
   * @return the layer
   * @throws IllegalArgumentException for an unknown activation or non-positive units
   */
  public static Dense of(int units, String activation) {
    return new Dense(units, Activations.get(activation == null ? "linear" : activation), true);
  }

  /**
   * Keras's {@code Dense(units)}: linear, with a bias.
   *
   * @param units the number of output units (positive)
   * @return the layer
   * @throws IllegalArgumentException for non-positive units
   */
  public static Dense of(int units) {
    return of(units, "linear");
  }

  /**
   * Checks the units.
   *
   * @param units the number of output units
   * @param activation the activation
   * @param useBias whether the layer has a bias
   * @throws IllegalArgumentException for non-positive units
   */
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

  /**
   * The same layer without its activation.
   *
   * @return a linear Dense of the same units and bias: its output is this layer's pre-activation
   *     values (e.g. logits)
   */
  public Dense linear() {
    return new Dense(units, Activations.get("linear"), useBias);
  }

  @Override
  public String activationName() {
    return activation.name();
  }
}
