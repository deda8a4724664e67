package io.github.activationlab.nn;

import io.github.activationlab.activation.FloatOps;
import java.util.List;
import java.util.random.RandomGenerator;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/** A layer of a {@link Sequential} model: its weights (Keras's order) and its forward pass. */
public sealed interface Layer permits Dense, PRelu {

  /** Keras's class name, for {@code summary()}. */
  String type();

  /** Output units, given the input width. */
  int units(int inputDim);

  /** Shapes of the weights in Keras's {@code get_weights()} order, given the input width. */
  List<long[]> weightShapes(int inputDim);

  /** Initial weights (Keras's defaults: glorot_uniform kernels, zero biases). */
  List<double[]> initialWeights(int inputDim, RandomGenerator rng);

  /** The forward pass, with the layer's weights as operands (in {@link #weightShapes} order). */
  Operand<TFloating> call(FloatOps tf, Operand<TFloating> x, List<Operand<TFloating>> weights);

  /** The activation's Keras name, for run.json ({@code null} for none). */
  String activationName();
}
