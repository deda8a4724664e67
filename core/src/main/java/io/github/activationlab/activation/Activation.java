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
 * a Jacobian, given here as its vector-Jacobian product). Instances come from the catalogue, {@link
 * Activations#get}, or from the factories of {@link NotebookActivations} and {@link
 * KerasActivations} (other parameters). They are immutable and hold no native resources: {@link
 * #call} only adds ops to the caller's graph, so one instance may be used from any thread.
 *
 * <pre>{@code
 * Activation elu = Activations.get("elu");            // alpha = 1.0, the notebook's
 * double[] y = elu.reference(new double[] {-1, 0, 2}); // plain Java: [-0.632..., 0, 2]
 * Operand<TFloat32> out = elu.call(tf, x);             // TF ops, in any float dtype
 * }</pre>
 */
public sealed interface Activation permits ElementWise, RowWise {

  /**
   * The Keras name, by which the catalogue finds it and the {@code activations} SavedModel names
   * its signature.
   *
   * @return the name, e.g. {@code relu}, {@code leaky_relu}, {@code binary_step}
   */
  String name();

  /**
   * The formula, in the plain-text notation of its definition's doc comment (for tables and
   * charts).
   *
   * @return e.g. {@code "x if x > 0 else alpha * (exp(x) - 1)"}
   */
  String formula();

  /**
   * The parameters in effect, under their Keras names, in definition order; a value may be null
   * (Keras's {@code None}, as relu's {@code max_value}).
   *
   * @return an unmodifiable map, empty for an activation without parameters
   */
  Map<String, Object> params();

  /**
   * f(x) as TF ops added to {@code tf}'s graph (or eager session), in the dtype of {@code x}.
   *
   * @param <T> the float dtype ({@code TFloat32}, {@code TFloat64}, ...)
   * @param tf where the ops go (its scope names them)
   * @param x the input; element-wise activations take any shape, row-wise ones work on the last
   *     axis
   * @return f(x), shaped as {@code x} (glu: the last axis halved)
   */
  <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x);

  /**
   * The analytic vector-Jacobian product dL/dx = (dy/dx)^T dL/dy, as TF ops: for an element-wise
   * activation {@code dy * f'(x)}; TensorFlow's autodiff of {@link #call} is checked against it.
   *
   * @param <T> the float dtype
   * @param tf where the ops go
   * @param x the input of {@link #call}
   * @param dy the upstream gradient dL/dy, shaped as the output
   * @return dL/dx, shaped as {@code x}
   */
  <T extends TFloating> Operand<T> vjp(Ops tf, Operand<T> x, Operand<T> dy);

  /**
   * The plain-Java reference of f, in double, on one row; element-wise activations map each value
   * on its own, so any array works.
   *
   * @param row the inputs (not modified)
   * @return a new array of f's values ({@link #outputWidth} of them)
   */
  double[] reference(double[] row);

  /**
   * The plain-Java reference of the vector-Jacobian product, in double, on one row.
   *
   * @param row the inputs (not modified)
   * @param dy the upstream gradient, one value per output
   * @return a new array, dL/dx for each input
   */
  double[] referenceVjp(double[] row, double[] dy);

  /**
   * How many outputs a row of {@code n} inputs gives.
   *
   * @param n the width of an input row
   * @return {@code n}, or {@code n / 2} for glu
   */
  default int outputWidth(int n) {
    return n;
  }

  /**
   * A definition's TF graph of one input, written on the dtype-erased operands {@link FloatOps}
   * works with, so that one lambda serves every float dtype: {@code (tf, x) -> tf.mul(x,
   * tf.sigmoid(x))}.
   */
  @FunctionalInterface
  interface Fn {
    /**
     * Adds the ops.
     *
     * @param tf the ops, bound to the input's dtype
     * @param x the input
     * @return the result, in the input's dtype
     */
    Operand<TFloating> apply(FloatOps tf, Operand<TFloating> x);
  }

  /** A row-wise definition's TF graph of its vector-Jacobian product: (x, dy) to dL/dx. */
  @FunctionalInterface
  interface VjpFn {
    /**
     * Adds the ops.
     *
     * @param tf the ops, bound to the input's dtype
     * @param x the input
     * @param dy the upstream gradient, shaped as the output
     * @return dL/dx, shaped as {@code x}
     */
    Operand<TFloating> apply(FloatOps tf, Operand<TFloating> x, Operand<TFloating> dy);
  }

  /**
   * Gives a dtype-erased result back its dtype (no op is added: ops built by {@link FloatOps} from
   * an input of dtype {@code T} are of dtype {@code T}).
   *
   * @param <T> the caller's dtype
   * @param y an operand built by {@link FloatOps} from an input of dtype {@code T}
   * @return the same operand, typed
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static <T extends TFloating> Operand<T> typed(Operand<TFloating> y) {
    return (Operand) y;
  }

  /**
   * Views a typed operand as the {@code Operand<TFloating>} that {@link FloatOps} and the
   * definitions take (no op is added).
   *
   * @param x an operand of any float dtype
   * @return the same operand
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Operand<TFloating> erased(Operand<? extends TFloating> x) {
    return (Operand) x;
  }
}
