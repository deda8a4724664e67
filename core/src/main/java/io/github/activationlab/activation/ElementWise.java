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
 * <p>Immutable (the parameters and kinks are copied), so safe to share between threads.
 *
 * @param name the Keras name
 * @param formula f in plain text, as the definition's doc comment gives it
 * @param params the parameters in effect, under their Keras names, in definition order (values may
 *     be null)
 * @param forward f(x) as TF ops
 * @param derivative f'(x) as TF ops
 * @param reference f(x) in plain Java (double)
 * @param referenceDerivative f'(x) in plain Java (double)
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

  /**
   * Checks that every part is given and copies the parameters and kinks; prefer {@link #named}.
   *
   * @param name the Keras name
   * @param formula f in plain text
   * @param params the parameters in effect (values may be null)
   * @param forward f(x) as TF ops
   * @param derivative f'(x) as TF ops
   * @param reference f(x) in plain Java
   * @param referenceDerivative f'(x) in plain Java
   * @param kinks where f is not differentiable
   * @throws NullPointerException naming the missing part
   */
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

  /**
   * Starts the definition of the element-wise activation {@code name}.
   *
   * @param name its Keras name
   * @return a builder with no part set
   */
  public static Builder named(String name) {
    return new Builder(name);
  }

  /** {@inheritDoc} Runs {@link #forward} on a {@link FloatOps} bound to x's dtype. */
  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x) {
    return Activation.typed(forward.apply(new FloatOps(tf, x.type()), Activation.erased(x)));
  }

  /**
   * The analytic derivative f'(x), element-wise, as TF ops.
   *
   * @param <T> the float dtype
   * @param tf where the ops go
   * @param x the input, any shape
   * @return f'(x), shaped as {@code x}
   */
  public <T extends TFloating> Operand<T> derivative(Ops tf, Operand<T> x) {
    return Activation.typed(derivative.apply(new FloatOps(tf, x.type()), Activation.erased(x)));
  }

  /** {@inheritDoc} Here {@code dy * f'(x)}. */
  @Override
  public <T extends TFloating> Operand<T> vjp(Ops tf, Operand<T> x, Operand<T> dy) {
    return tf.math.mul(dy, derivative(tf, x));
  }

  /**
   * The plain-Java reference f(x), in double.
   *
   * @param x the input
   * @return f(x)
   */
  public double value(double x) {
    return reference.applyAsDouble(x);
  }

  /**
   * The plain-Java reference f'(x), in double.
   *
   * @param x the input
   * @return f'(x); at a kink, the one-sided value TF's gradient kernels give
   */
  public double derivative(double x) {
    return referenceDerivative.applyAsDouble(x);
  }

  /**
   * Where f is not differentiable.
   *
   * @return a copy, empty for a smooth f
   */
  @Override
  public double[] kinks() {
    return kinks.clone();
  }

  /** {@inheritDoc} Here {@link #value} of each element. */
  @Override
  public double[] reference(double[] row) {
    double[] y = new double[row.length];
    for (int i = 0; i < row.length; i++) y[i] = value(row[i]);
    return y;
  }

  /** {@inheritDoc} Here {@code dy[i] * derivative(row[i])}. */
  @Override
  public double[] referenceVjp(double[] row, double[] dy) {
    double[] g = new double[row.length];
    for (int i = 0; i < row.length; i++) g[i] = dy[i] * derivative(row[i]);
    return g;
  }

  /**
   * The named parts of an element-wise definition, set one by one; {@link #build()} checks that all
   * are set (the kinks and parameters may stay empty). Not thread-safe: one definition, one thread.
   */
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

    /**
     * Sets the formula.
     *
     * @param formula f in plain text, as the definition's doc comment gives it
     * @return this builder
     */
    public Builder formula(String formula) {
      this.formula = formula;
      return this;
    }

    /**
     * Adds a parameter in effect (in definition order).
     *
     * @param key its Keras name, e.g. {@code alpha}
     * @param value its value (null for Keras's {@code None})
     * @return this builder
     */
    public Builder param(String key, Object value) {
      params.put(key, value);
      return this;
    }

    /**
     * Sets f.
     *
     * @param forward f(x) as TF ops
     * @return this builder
     */
    public Builder forward(Fn forward) {
      this.forward = forward;
      return this;
    }

    /**
     * Sets f'.
     *
     * @param derivative f'(x) as TF ops, with the kinks' values stated in the definition's doc
     * @return this builder
     */
    public Builder derivative(Fn derivative) {
      this.derivative = derivative;
      return this;
    }

    /**
     * Sets the reference of f.
     *
     * @param reference f(x) in plain Java (double)
     * @return this builder
     */
    public Builder reference(DoubleUnaryOperator reference) {
      this.reference = reference;
      return this;
    }

    /**
     * Sets the reference of f'.
     *
     * @param referenceDerivative f'(x) in plain Java (double)
     * @return this builder
     */
    public Builder referenceDerivative(DoubleUnaryOperator referenceDerivative) {
      this.referenceDerivative = referenceDerivative;
      return this;
    }

    /**
     * Sets where f is not differentiable (none unless given).
     *
     * @param at the kinks
     * @return this builder
     */
    public Builder kinks(double... at) {
      this.kinks = at.clone();
      return this;
    }

    /**
     * The definition.
     *
     * @return the activation
     * @throws NullPointerException naming the first part not set
     */
    public ElementWise build() {
      return new ElementWise(
          name, formula, params, forward, derivative, reference, referenceDerivative, kinks);
    }
  }
}
