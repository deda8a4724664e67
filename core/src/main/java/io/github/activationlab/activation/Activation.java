package io.github.activationlab.activation;

import io.github.activationlab.tf.FloatOps;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * An activation function, written once as TensorFlow ops, with its analytic derivative (also TF
 * ops) and a plain-Java reference of both, which the tests check the TF code against.
 *
 * <p>Two kinds: {@link ElementWise} (y_i = f(x_i), with a scalar derivative f') and {@link RowWise}
 * (softmax, log_softmax, sparsemax, glu: each row of the last axis maps to a row; the derivative is
 * a Jacobian, given here as its vector-Jacobian product).
 */
public sealed interface Activation permits ElementWise, RowWise {

  /** The Keras-style name ({@code relu}, {@code leaky_relu}, ...): the SavedModel signature. */
  String name();

  /** The formula, as the doc comment of its definition gives it. */
  String formula();

  /** The parameters in effect, under their Keras names, in definition order. */
  Map<String, Object> params();

  /** f(x) as TF ops, on any float dtype. */
  <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x);

  /** The analytic vector-Jacobian product dL/dx = (dy/dx)^T dL/dy, as TF ops. */
  <T extends TFloating> Operand<T> vjp(Ops tf, Operand<T> x, Operand<T> dy);

  /** Plain-Java reference of f on one row (one value for element-wise activations). */
  double[] reference(double[] row);

  /** Plain-Java reference of the vector-Jacobian product on one row. */
  double[] referenceVjp(double[] row, double[] dy);

  /** How many outputs a row of {@code n} inputs gives ({@code n}, or {@code n/2} for glu). */
  default int outputWidth(int n) {
    return n;
  }

  /** A TF graph of a definition, on the dtype-erased operands {@link FloatOps} works with. */
  @FunctionalInterface
  interface Fn {
    Operand<TFloating> apply(FloatOps tf, Operand<TFloating> x);
  }

  /** A TF graph of a vector-Jacobian product. */
  @FunctionalInterface
  interface VjpFn {
    Operand<TFloating> apply(FloatOps tf, Operand<TFloating> x, Operand<TFloating> dy);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static <T extends TFloating> Operand<T> typed(Operand<TFloating> y) {
    return (Operand) y;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Operand<TFloating> erased(Operand<? extends TFloating> x) {
    return (Operand) x;
  }
}
