package io.github.activationlab.nn;

import io.github.activationlab.activation.Activations;
import io.github.activationlab.tf.FloatOps;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
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
  public int units(int inputDim) {
    return inputDim;
  }

  @Override
  public List<WeightSpec> weights(int inputDim) {
    return List.of(new WeightSpec("alpha", new long[] {inputDim}));
  }

  @Override
  public List<double[]> initialWeights(int inputDim, RandomGenerator rng) {
    double[] alpha = new double[inputDim];
    Arrays.fill(alpha, alphaInitial);
    return List.of(alpha);
  }

  @Override
  public Operand<TFloating> call(
      FloatOps tf, Operand<TFloating> x, List<Operand<TFloating>> weights) {
    return Activations.prelu(tf, x, weights.get(0));
  }

  @Override
  public String activationName() {
    return "prelu";
  }
}
