package io.github.activationlab.nn;

import io.github.activationlab.activation.Activation;
import io.github.activationlab.tf.FloatOps;
import java.util.List;
import java.util.random.RandomGenerator;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's {@code Activation} layer (and its parameterised twins {@code LeakyReLU}, {@code ELU},
 * {@code ReLU}, {@code Softmax}): applies a catalogue activation, with no weights. It carries
 * parameters a Dense layer cannot: Keras stores only a Dense's activation name, so a {@code .keras}
 * file keeps, say, a leaky ReLU's slope only on an activation layer.
 *
 * <pre>{@code
 * var leaky = new ActivationLayer(NotebookActivations.leakyRelu(0.01));
 * Sequential.of(1, Dense.of(8), leaky, Dense.of(1));
 * }</pre>
 *
 * @param activation the activation it applies
 */
public record ActivationLayer(Activation activation) implements Layer {
  @Override
  public String type() {
    return "Activation";
  }

  @Override
  public int units(int inputDim) {
    return activation.outputWidth(inputDim);
  }

  @Override
  public List<WeightSpec> weights(int inputDim) {
    return List.of();
  }

  @Override
  public List<double[]> initialWeights(int inputDim, RandomGenerator rng) {
    return List.of();
  }

  @Override
  public Operand<TFloating> call(
      FloatOps tf, Operand<TFloating> x, List<Operand<TFloating>> weights) {
    return activation.call(tf.ops, x);
  }

  @Override
  public String activationName() {
    return activation.name();
  }
}
