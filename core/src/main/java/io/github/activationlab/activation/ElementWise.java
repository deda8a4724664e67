package io.github.activationlab.activation;

import io.github.activationlab.tf.FloatOps;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * An element-wise activation y = f(x): its TF forward graph, its analytic derivative f'(x) as TF
 * ops, and the plain-Java references of both.
 *
 * <p>Definitions name their parts with {@link #named(String)}:
 *
 * <pre>{@code
 * ElementWise.named("elu")
 *     .formula("x if x > 0 else alpha * (exp(x) - 1)")
 *     .param("alpha", alpha)
 *     .forward((tf, x) -> ...)
 *     .derivative((tf, x) -> ...)
 *     .reference(x -> ...)
 *     .referenceDerivative(x -> ...)
 *     .build();
 * }</pre>
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

  public ElementWise {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(formula, name + ": formula");
    Objects.requireNonNull(forward, name + ": forward");
    Objects.requireNonNull(derivative, name + ": derivative");
    Objects.requireNonNull(reference, name + ": reference");
    Objects.requireNonNull(referenceDerivative, name + ": referenceDerivative");
    // params may hold null values (relu's max_value = None): no Map.copyOf
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    kinks = kinks.clone();
  }

  /** Starts the definition of the element-wise activation {@code name} (its Keras name). */
  public static Builder named(String name) {
    return new Builder(name);
  }

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

  /** Where f is not differentiable (a copy). */
  @Override
  public double[] kinks() {
    return kinks.clone();
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

  /** The named parts of an element-wise definition; {@link #build()} checks that all are set. */
  public static final class Builder {
    private final String name;
    private final Map<String, Object> params = new LinkedHashMap<>();
    private String formula;
    private Fn forward;
    private Fn derivative;
    private DoubleUnaryOperator reference;
    private DoubleUnaryOperator referenceDerivative;
    private double[] kinks = {};

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

    /** f(x) as TF ops. */
    public Builder forward(Fn forward) {
      this.forward = forward;
      return this;
    }

    /** f'(x) as TF ops. */
    public Builder derivative(Fn derivative) {
      this.derivative = derivative;
      return this;
    }

    /** f(x) in plain Java (double). */
    public Builder reference(DoubleUnaryOperator reference) {
      this.reference = reference;
      return this;
    }

    /** f'(x) in plain Java (double). */
    public Builder referenceDerivative(DoubleUnaryOperator referenceDerivative) {
      this.referenceDerivative = referenceDerivative;
      return this;
    }

    /** Where f is not differentiable (none unless given). */
    public Builder kinks(double... at) {
      this.kinks = at.clone();
      return this;
    }

    public ElementWise build() {
      return new ElementWise(
          name, formula, params, forward, derivative, reference, referenceDerivative, kinks);
    }
  }
}
