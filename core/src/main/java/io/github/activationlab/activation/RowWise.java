package io.github.activationlab.activation;

import io.github.activationlab.tf.FloatOps;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.IntUnaryOperator;
import java.util.function.UnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * An activation over the last axis (softmax, log_softmax, sparsemax, glu): its TF forward graph,
 * the analytic vector-Jacobian product as TF ops, and plain-Java references of both on one row.
 *
 * <p>Definitions name their parts with {@link #named(String)}:
 *
 * <pre>{@code
 * RowWise.named("softmax")
 *     .formula("exp(x - max(x)) / sum(exp(x - max(x))) over the last axis")
 *     .param("axis", -1)
 *     .forward((tf, x) -> ...)
 *     .vjp((tf, x, g) -> ...)
 *     .reference(row -> ...)
 *     .referenceVjp((row, g) -> ...)
 *     .build();
 * }</pre>
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

  public RowWise {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(formula, name + ": formula");
    Objects.requireNonNull(forward, name + ": forward");
    Objects.requireNonNull(vjp, name + ": vjp");
    Objects.requireNonNull(rowReference, name + ": reference");
    Objects.requireNonNull(rowReferenceVjp, name + ": referenceVjp");
    Objects.requireNonNull(width, name + ": outputWidth");
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** Starts the definition of the row-wise activation {@code name} (its Keras name). */
  public static Builder named(String name) {
    return new Builder(name);
  }

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

  /** The named parts of a row-wise definition; {@link #build()} checks that all are set. */
  public static final class Builder {
    private final String name;
    private final Map<String, Object> params = new LinkedHashMap<>();
    private String formula;
    private Fn forward;
    private VjpFn vjp;
    private UnaryOperator<double[]> reference;
    private BinaryOperator<double[]> referenceVjp;
    private IntUnaryOperator outputWidth = n -> n;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    /** The formula, as the definition's doc comment gives it. */
    public Builder formula(String formula) {
      this.formula = formula;
      return this;
    }

    /** A parameter in effect, under its Keras name (in definition order). */
    public Builder param(String key, Object value) {
      params.put(key, value);
      return this;
    }

    /** The rows' values as TF ops. */
    public Builder forward(Fn forward) {
      this.forward = forward;
      return this;
    }

    /** The vector-Jacobian product (x, upstream g) -> (dy/dx)^T g, as TF ops. */
    public Builder vjp(VjpFn vjp) {
      this.vjp = vjp;
      return this;
    }

    /** One row's values in plain Java (double). */
    public Builder reference(UnaryOperator<double[]> reference) {
      this.reference = reference;
      return this;
    }

    /** One row's vector-Jacobian product in plain Java (double). */
    public Builder referenceVjp(BinaryOperator<double[]> referenceVjp) {
      this.referenceVjp = referenceVjp;
      return this;
    }

    /** How many outputs a row of n inputs gives (n unless given). */
    public Builder outputWidth(IntUnaryOperator outputWidth) {
      this.outputWidth = outputWidth;
      return this;
    }

    public RowWise build() {
      return new RowWise(name, formula, params, forward, vjp, reference, referenceVjp, outputWidth);
    }
  }
}
