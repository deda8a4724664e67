package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.List;
import java.util.random.RandomGenerator;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * A layer of a {@link Sequential} model: its weights, named and ordered as Keras names and orders
 * them ({@code kernel}, {@code bias}; {@code alpha}), their initial values, and its forward pass.
 * Three kinds, each an immutable record: {@link Dense}, {@link PRelu}, {@link ActivationLayer}. A
 * layer holds no weights itself (the model does), so one layer object may appear in many models.
 */
public sealed interface Layer permits Dense, PRelu, ActivationLayer {

  /**
   * A weight of the layer: Keras's name for it and its shape, given the input width.
   *
   * @param name {@code kernel}, {@code bias} or {@code alpha}
   * @param shape the shape, e.g. {@code [in, units]} for a kernel
   */
  record WeightSpec(String name, long[] shape) {
    /**
     * The number of values.
     *
     * @return the product of the shape
     * @throws ArithmeticException beyond {@code Integer.MAX_VALUE}
     */
    public int size() {
      long n = 1;
      for (long d : shape) n *= d;
      return Math.toIntExact(n);
    }
  }

  /**
   * Keras's class name, for {@code summary()}, run.json and Keras files.
   *
   * @return {@code Dense}, {@code PReLU} or {@code Activation}
   */
  String type();

  /**
   * The output width.
   *
   * @param inputDim the input width
   * @return the number of output units
   */
  int units(int inputDim);

  /**
   * The layer's weights, in Keras's {@code get_weights()} order.
   *
   * @param inputDim the input width
   * @return their names and shapes (empty for a layer without weights)
   */
  List<WeightSpec> weights(int inputDim);

  /**
   * Initial values of {@link #weights}, with Keras's defaults (glorot_uniform kernels, zero
   * biases).
   *
   * @param inputDim the input width
   * @param rng the generator kernels are drawn from
   * @return flat arrays in {@link #weights} order, kernels row-major
   */
  List<double[]> initialWeights(int inputDim, RandomGenerator rng);

  /**
   * The forward pass as TF ops.
   *
   * @param tf the ops, bound to the model's dtype
   * @param x the input, {@code [batch, in]} (or {@code [seeds, batch, in]})
   * @param weights the layer's weights as operands, in {@link #weights} order
   * @return the output, {@code [batch, units]}
   */
  Operand<TFloating> call(FloatOps tf, Operand<TFloating> x, List<Operand<TFloating>> weights);

  /**
   * The activation's Keras name, for run.json.
   *
   * @return e.g. {@code sigmoid}; {@code linear} for a Dense without one; {@code prelu} for PReLU
   */
  String activationName();
}
