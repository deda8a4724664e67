package io.github.activationlab.activation;

import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.IntUnaryOperator;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * An activation over the last axis (softmax, log_softmax, sparsemax, glu): its TF forward graph,
 * the analytic vector-Jacobian product as TF ops, and plain-Java references of both on one row.
 */
public record RowWise(
    String name,
    String formula,
    Map<String, Object> params,
    Fn forward,
    VjpFn vjp,
    UnaryOperator<double[]> rowReference,
    BinaryOperator<double[]> rowReferenceVjp,
    IntUnaryOperator width)
    implements Activation {

  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x) {
    return Activation.typed(forward.apply(new FloatOps(tf, x.type()), Activation.erased(x)));
  }

  @Override
  public <T extends TFloating> Operand<T> vjp(Ops tf, Operand<T> x, Operand<T> dy) {
    return Activation.typed(
        vjp.apply(new FloatOps(tf, x.type()), Activation.erased(x), Activation.erased(dy)));
  }

  @Override
  public double[] reference(double[] row) {
    return rowReference.apply(row);
  }

  @Override
  public double[] referenceVjp(double[] row, double[] dy) {
    return rowReferenceVjp.apply(row, dy);
  }

  @Override
  public int outputWidth(int n) {
    return width.applyAsInt(n);
  }
}
