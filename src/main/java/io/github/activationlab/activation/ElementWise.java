package io.github.activationlab.activation;

import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * An element-wise activation y = f(x): its TF forward graph, its analytic derivative f'(x) as TF
 * ops, and the plain-Java references of both.
 *
 * @param kinks where f is not differentiable; {@link #derivative(double)} states the value TF uses
 *     there, and finite differences are not taken across them
 */
public record ElementWise(
    String name,
    String formula,
    Map<String, Object> params,
    Fn forward,
    Fn derivative,
    DoubleUnaryOperator reference,
    DoubleUnaryOperator referenceDerivative,
    double[] kinks)
    implements Activation {

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x) {
    return Activation.typed(forward.apply(new FloatOps(tf, x.type()), Activation.erased(x)));
  }

  /** The analytic derivative f'(x), element-wise, as TF ops. */
  public <T extends TFloating> Operand<T> derivative(Ops tf, Operand<T> x) {
    return Activation.typed(derivative.apply(new FloatOps(tf, x.type()), Activation.erased(x)));
  }

  @Override
  public <T extends TFloating> Operand<T> vjp(Ops tf, Operand<T> x, Operand<T> dy) {
    return tf.math.mul(dy, derivative(tf, x));
  }

  /** The plain-Java reference f(x), in double. */
  public double value(double x) {
    return reference.applyAsDouble(x);
  }

  /** The plain-Java reference f'(x), in double; at a kink, the one-sided value TF gives. */
  public double derivative(double x) {
    return referenceDerivative.applyAsDouble(x);
  }

  @Override
  public double[] reference(double[] row) {
    double[] y = new double[row.length];
    for (int i = 0; i < row.length; i++) y[i] = value(row[i]);
    return y;
  }

  @Override
  public double[] referenceVjp(double[] row, double[] dy) {
    double[] g = new double[row.length];
    for (int i = 0; i < row.length; i++) g[i] = dy[i] * derivative(row[i]);
    return g;
  }
}
