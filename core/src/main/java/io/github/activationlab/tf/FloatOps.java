package io.github.activationlab.tf;

import io.github.activationlab.internal.tf.Gradients;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.family.TFloating;

/**
 * The handful of TensorFlow ops the activation definitions are written with, bound to one {@link
 * Ops} and to the float dtype of the input, so a definition reads like its formula: {@code (tf, x)
 * -> tf.mul(x, tf.sigmoid(x))}.
 *
 * <p>Every method adds real TF ops to the graph (nothing is evaluated in Java). Operands are typed
 * {@code Operand<TFloating>} so that definitions can be plain lambdas; {@code
 * activation.Activation} casts back to the caller's dtype ({@code TFloat32}, {@code TFloat64},
 * ...).
 */
public final class FloatOps {
  /** The raw TF-Java ops, for anything this helper does not wrap. */
  public final Ops ops;

  private final Class<TFloating> dtype;

  @SuppressWarnings({"unchecked", "rawtypes"})
  public FloatOps(Ops ops, Class<? extends TFloating> dtype) {
    this.ops = ops;
    this.dtype = (Class) dtype;
  }

  /** A scalar constant of the input's dtype (a float64 constant cast once, exact for float64). */
  public Operand<TFloating> c(double value) {
    return ops.dtypes.cast(ops.constant(value), dtype);
  }

  public Operand<TFloating> add(Operand<TFloating> a, Operand<TFloating> b) {
    return ops.math.add(a, b);
  }

  public Operand<TFloating> add(Operand<TFloating> a, double b) {
    return add(a, c(b));
  }

  public Operand<TFloating> sub(Operand<TFloating> a, Operand<TFloating> b) {
    return ops.math.sub(a, b);
  }

  public Operand<TFloating> sub(Operand<TFloating> a, double b) {
    return sub(a, c(b));
  }

  public Operand<TFloating> sub(double a, Operand<TFloating> b) {
    return sub(c(a), b);
  }

  public Operand<TFloating> mul(Operand<TFloating> a, Operand<TFloating> b) {
    return ops.math.mul(a, b);
  }

  public Operand<TFloating> mul(double a, Operand<TFloating> b) {
    return mul(c(a), b);
  }

  public Operand<TFloating> div(Operand<TFloating> a, Operand<TFloating> b) {
    return ops.math.div(a, b);
  }

  public Operand<TFloating> div(Operand<TFloating> a, double b) {
    return div(a, c(b));
  }

  public Operand<TFloating> div(double a, Operand<TFloating> b) {
    return div(c(a), b);
  }

  public Operand<TFloating> neg(Operand<TFloating> x) {
    return ops.math.neg(x);
  }

  public Operand<TFloating> abs(Operand<TFloating> x) {
    return ops.math.abs(x);
  }

  public Operand<TFloating> square(Operand<TFloating> x) {
    return ops.math.square(x);
  }

  public Operand<TFloating> sqrt(Operand<TFloating> x) {
    return ops.math.sqrt(x);
  }

  public Operand<TFloating> exp(Operand<TFloating> x) {
    return ops.math.exp(x);
  }

  public Operand<TFloating> expm1(Operand<TFloating> x) {
    return ops.math.expm1(x);
  }

  public Operand<TFloating> log1p(Operand<TFloating> x) {
    return ops.math.log1p(x);
  }

  public Operand<TFloating> erf(Operand<TFloating> x) {
    return ops.math.erf(x);
  }

  /** erfc, whose gradient TF-Java lacks: {@link Gradients} registers it. */
  public Operand<TFloating> erfc(Operand<TFloating> x) {
    Gradients.register();
    return ops.math.erfc(x);
  }

  public Operand<TFloating> sigmoid(Operand<TFloating> x) {
    return ops.math.sigmoid(x);
  }

  public Operand<TFloating> tanh(Operand<TFloating> x) {
    return ops.math.tanh(x);
  }

  public Operand<TFloating> softplus(Operand<TFloating> x) {
    return ops.math.softplus(x);
  }

  public Operand<TFloating> max(Operand<TFloating> a, Operand<TFloating> b) {
    return ops.math.maximum(a, b);
  }

  public Operand<TFloating> max(Operand<TFloating> a, double b) {
    return max(a, c(b));
  }

  public Operand<TFloating> min(Operand<TFloating> a, Operand<TFloating> b) {
    return ops.math.minimum(a, b);
  }

  public Operand<TFloating> min(Operand<TFloating> a, double b) {
    return min(a, c(b));
  }

  /**
   * {@code x} clipped to [lo, hi] (minimum, then maximum, as {@code tf.clip_by_value}): a branch
   * that must stay finite for any input sees only the inputs it is defined for.
   */
  public Operand<TFloating> clip(Operand<TFloating> x, double lo, double hi) {
    return max(min(x, hi), lo);
  }

  public Operand<TFloating> relu(Operand<TFloating> x) {
    return ops.nn.relu(x);
  }

  public Operand<TFloating> relu6(Operand<TFloating> x) {
    return ops.nn.relu6(x);
  }

  /** Zeros shaped like {@code x} (TF's ZerosLike has a (zero) gradient, OnesLike has none). */
  public Operand<TFloating> zeros(Operand<TFloating> x) {
    return ops.zerosLike(x);
  }

  /** {@code value} broadcast to the shape of {@code x}. */
  public Operand<TFloating> full(Operand<TFloating> x, double value) {
    return ops.fill(ops.shape(x), c(value));
  }

  public Operand<TBool> gt(Operand<TFloating> x, double v) {
    return ops.math.greater(x, c(v));
  }

  public Operand<TBool> ge(Operand<TFloating> x, double v) {
    return ops.math.greaterEqual(x, c(v));
  }

  public Operand<TBool> lt(Operand<TFloating> x, double v) {
    return ops.math.less(x, c(v));
  }

  public Operand<TBool> le(Operand<TFloating> x, double v) {
    return ops.math.lessEqual(x, c(v));
  }

  public Operand<TBool> isNan(Operand<TFloating> x) {
    return ops.math.isNan(x);
  }

  public Operand<TBool> and(Operand<TBool> a, Operand<TBool> b) {
    return ops.math.logicalAnd(a, b);
  }

  public Operand<TBool> or(Operand<TBool> a, Operand<TBool> b) {
    return ops.math.logicalOr(a, b);
  }

  public Operand<TFloating> sign(Operand<TFloating> x) {
    return ops.math.sign(x);
  }

  /** Element-wise {@code cond ? a : b} (SelectV2, broadcasting). */
  public Operand<TFloating> where(Operand<TBool> cond, Operand<TFloating> a, Operand<TFloating> b) {
    return ops.select(cond, a, b);
  }

  public Operand<TFloating> where(Operand<TBool> cond, Operand<TFloating> a, double b) {
    return where(cond, a, c(b));
  }

  public Operand<TFloating> where(Operand<TBool> cond, double a, Operand<TFloating> b) {
    return where(cond, c(a), b);
  }

  /**
   * {@code y}, except {@code atMinusInf} at x = -Inf and {@code atPlusInf} at x = +Inf. Products
   * like x * sigmoid(x) are -Inf * 0 = NaN at -Inf; this gives their limits instead.
   */
  public Operand<TFloating> limitsAtInf(
      Operand<TFloating> x, Operand<TFloating> y, double atMinusInf, double atPlusInf) {
    var minusInf = ops.math.equal(x, c(Double.NEGATIVE_INFINITY));
    var plusInf = ops.math.equal(x, c(Double.POSITIVE_INFINITY));
    return where(minusInf, atMinusInf, where(plusInf, atPlusInf, y));
  }

  /**
   * {@code y}, except NaN where {@code x} is NaN. Definitions built from comparisons need it: every
   * comparison with NaN is false, so {@code where(x > t, x, 0)} would turn NaN into 0.
   */
  public Operand<TFloating> keepNan(Operand<TFloating> x, Operand<TFloating> y) {
    return where(isNan(x), x, y);
  }
}
