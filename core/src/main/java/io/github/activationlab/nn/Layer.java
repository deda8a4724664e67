package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.List;
import java.util.random.RandomGenerator;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * A layer of a {@link Sequential} model: its weights, named and ordered as Keras names and orders
 * them ({@code kernel}, {@code bias}; {@code alpha}), their initial values, and its forward pass.
 */
public sealed interface Layer permits Dense, PRelu, ActivationLayer {

  /** A weight of the layer: Keras's name for it and its shape, given the input width. */
  record WeightSpec(String name, long[] shape) {
    /** Number of values. */
    public int size() {
      long n = 1;
      for (long d : shape) n *= d;
      return Math.toIntExact(n);
    }
  }

  /** Keras's class name ({@code Dense}, {@code PReLU}, {@code Activation}), for summary(). */
  String type();

  /** Output units, given the input width. */
  int units(int inputDim);

  /** The weights in Keras's {@code get_weights()} order, given the input width. */
  List<WeightSpec> weights(int inputDim);

  /** Initial values of {@link #weights} (Keras's defaults: glorot_uniform kernels, zero biases). */
  List<double[]> initialWeights(int inputDim, RandomGenerator rng);

  /** The forward pass, with the layer's weights as operands (in {@link #weights} order). */
  Operand<TFloating> call(FloatOps tf, Operand<TFloating> x, List<Operand<TFloating>> weights);

  /** The activation's Keras name, for run.json ({@code null} for none). */
  String activationName();
}
