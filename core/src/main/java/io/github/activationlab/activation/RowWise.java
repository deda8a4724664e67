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
 *
 * <p>Immutable (the parameters are copied), so safe to share between threads.
 *
 * @param name the Keras name
 * @param formula the function in plain text, as the definition's doc comment gives it
 * @param params the parameters in effect, under their Keras names, in definition order
 * @param forward the rows' values as TF ops
 * @param vjp the vector-Jacobian product (x, upstream g) to (dy/dx)^T g, as TF ops
 * @param rowReference one row's values in plain Java (double)
 * @param rowReferenceVjp one row's vector-Jacobian product in plain Java (double)
 * @param width the output width of a row of n inputs ({@link #outputWidth})
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

  /**
   * Checks that every part is given and copies the parameters; prefer {@link #named}.
   *
   * @param name the Keras name
   * @param formula the function in plain text
   * @param params the parameters in effect
   * @param forward the rows' values as TF ops
   * @param vjp the vector-Jacobian product as TF ops
   * @param rowReference one row's values in plain Java
   * @param rowReferenceVjp one row's vector-Jacobian product in plain Java
   * @param width the output width of a row of n inputs
   * @throws NullPointerException naming the missing part
   */
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

  /**
   * Starts the definition of the row-wise activation {@code name}.
   *
   * @param name its Keras name
   * @return a builder with no part set (output width n)
   */
  public static Builder named(String name) {
    return new Builder(name);
  }

  /** {@inheritDoc} Runs {@link #forward} on a {@link FloatOps} bound to x's dtype. */
  @Override
  public <T extends TFloating> Operand<T> call(Ops tf, Operand<T> x) {
    return Activation.typed(forward.apply(new FloatOps(tf, x.type()), Activation.erased(x)));
  }

  /** {@inheritDoc} Runs the definition's {@link #vjp()} on a {@link FloatOps}. */
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

  /**
   * The named parts of a row-wise definition, set one by one; {@link #build()} checks that all are
   * set (the parameters may stay empty, the output width defaults to n). Not thread-safe.
   */
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

    /**
     * Sets the formula.
     *
     * @param formula the function in plain text, as the definition's doc comment gives it
     * @return this builder
     */
    public Builder formula(String formula) {
      this.formula = formula;
      return this;
    }

    /**
     * Adds a parameter in effect (in definition order).
     *
     * @param key its Keras name, e.g. {@code axis}
     * @param value its value
     * @return this builder
     */
    public Builder param(String key, Object value) {
      params.put(key, value);
      return this;
    }

    /**
     * Sets the function.
     *
     * @param forward the rows' values as TF ops, over the last axis
     * @return this builder
     */
    public Builder forward(Fn forward) {
      this.forward = forward;
      return this;
    }

    /**
     * Sets the vector-Jacobian product.
     *
     * @param vjp (x, upstream g) to (dy/dx)^T g, as TF ops
     * @return this builder
     */
    public Builder vjp(VjpFn vjp) {
      this.vjp = vjp;
      return this;
    }

    /**
     * Sets the reference of the function.
     *
     * @param reference one row's values in plain Java (double)
     * @return this builder
     */
    public Builder reference(UnaryOperator<double[]> reference) {
      this.reference = reference;
      return this;
    }

    /**
     * Sets the reference of the vector-Jacobian product.
     *
     * @param referenceVjp (row, g) to one row's vector-Jacobian product in plain Java (double)
     * @return this builder
     */
    public Builder referenceVjp(BinaryOperator<double[]> referenceVjp) {
      this.referenceVjp = referenceVjp;
      return this;
    }

    /**
     * Sets how many outputs a row of n inputs gives (n unless given).
     *
     * @param outputWidth n to the output width (glu: n / 2)
     * @return this builder
     */
    public Builder outputWidth(IntUnaryOperator outputWidth) {
      this.outputWidth = outputWidth;
      return this;
    }

    /**
     * The definition.
     *
     * @return the activation
     * @throws NullPointerException naming the first part not set
     */
    public RowWise build() {
      return new RowWise(name, formula, params, forward, vjp, reference, referenceVjp, outputWidth);
    }
  }
}
