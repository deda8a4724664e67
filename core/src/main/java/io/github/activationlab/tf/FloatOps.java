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
 * ...). Binary operations broadcast as TensorFlow's do; a {@code double} argument becomes a
 * constant of the input's dtype ({@link #c}), so one definition serves float32 and float64.
 * Comparisons give {@code TBool}; everything else is of the input's dtype. A {@code FloatOps} holds
 * no native resource of its own (the graph belongs to {@code ops}).
 *
 * <pre>{@code
 * FloatOps f = new FloatOps(tf, TFloat64.class);
 * Operand<TFloating> silu = f.mul(x, f.sigmoid(x));       // x * sigmoid(x)
 * Operand<TFloating> safe = f.limitsAtInf(x, silu, 0, Double.POSITIVE_INFINITY);
 * }</pre>
 */
public final class FloatOps {
  /** The raw TF-Java ops, for anything this helper does not wrap. */
  public final Ops ops;

  private final Class<TFloating> dtype;

  /**
   * Binds the ops to a dtype.
   *
   * @param ops where the ops go (its scope names them)
   * @param dtype the dtype of the inputs, and of every constant made here
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public FloatOps(Ops ops, Class<? extends TFloating> dtype) {
    this.ops = ops;
    this.dtype = (Class) dtype;
  }

  /**
   * A scalar constant of the input's dtype (a float64 constant cast once, exact for float64).
   *
   * @param value the value, rounded once to the dtype
   * @return a scalar constant
   */
  public Operand<TFloating> c(double value) {
    return ops.dtypes.cast(ops.constant(value), dtype);
  }

  /**
   * @param a an operand
   * @param b an operand
   * @return {@code a + b}
   */
  public Operand<TFloating> add(Operand<TFloating> a, Operand<TFloating> b) {
    return ops.math.add(a, b);
  }

  /**
   * @param a an operand
   * @param b a constant
   * @return {@code a + b}
   */
  public Operand<TFloating> add(Operand<TFloating> a, double b) {
    return add(a, c(b));
  }

  /**
   * @param a an operand
   * @param b an operand
   * @return {@code a - b}
   */
  public Operand<TFloating> sub(Operand<TFloating> a, Operand<TFloating> b) {
    return ops.math.sub(a, b);
  }

  /**
   * @param a an operand
   * @param b a constant
   * @return {@code a - b}
   */
  public Operand<TFloating> sub(Operand<TFloating> a, double b) {
    return sub(a, c(b));
  }

  /**
   * @param a a constant
   * @param b an operand
   * @return {@code a - b}
   */
  public Operand<TFloating> sub(double a, Operand<TFloating> b) {
    return sub(c(a), b);
  }

  /**
   * @param a an operand
   * @param b an operand
   * @return {@code a * b}
   */
  public Operand<TFloating> mul(Operand<TFloating> a, Operand<TFloating> b) {
    return ops.math.mul(a, b);
  }

  /**
   * @param a a constant
   * @param b an operand
   * @return {@code a * b}
   */
  public Operand<TFloating> mul(double a, Operand<TFloating> b) {
    return mul(c(a), b);
  }

  /**
   * @param a the dividend
   * @param b the divisor
   * @return {@code a / b} (IEEE: x / 0 is +-Inf or NaN)
   */
  public Operand<TFloating> div(Operand<TFloating> a, Operand<TFloating> b) {
    return ops.math.div(a, b);
  }

  /**
   * @param a the dividend
   * @param b the divisor, a constant
   * @return {@code a / b}
   */
  public Operand<TFloating> div(Operand<TFloating> a, double b) {
    return div(a, c(b));
  }

  /**
   * @param a the dividend, a constant
   * @param b the divisor
   * @return {@code a / b}
   */
  public Operand<TFloating> div(double a, Operand<TFloating> b) {
    return div(c(a), b);
  }

  /**
   * @param x an operand
   * @return {@code -x}
   */
  public Operand<TFloating> neg(Operand<TFloating> x) {
    return ops.math.neg(x);
  }

  /**
   * @param x an operand
   * @return {@code |x|}
   */
  public Operand<TFloating> abs(Operand<TFloating> x) {
    return ops.math.abs(x);
  }

  /**
   * @param x an operand
   * @return {@code x^2} (overflows to +Inf beyond the square root of the dtype's max)
   */
  public Operand<TFloating> square(Operand<TFloating> x) {
    return ops.math.square(x);
  }

  /**
   * @param x an operand
   * @return the square root (NaN for x &lt; 0)
   */
  public Operand<TFloating> sqrt(Operand<TFloating> x) {
    return ops.math.sqrt(x);
  }

  /**
   * @param x an operand
   * @return {@code e^x}
   */
  public Operand<TFloating> exp(Operand<TFloating> x) {
    return ops.math.exp(x);
  }

  /**
   * @param x an operand
   * @return {@code e^x - 1}, exact near 0 (where {@code exp(x) - 1} cancels)
   */
  public Operand<TFloating> expm1(Operand<TFloating> x) {
    return ops.math.expm1(x);
  }

  /**
   * @param x an operand
   * @return {@code log(1 + x)}, exact near 0
   */
  public Operand<TFloating> log1p(Operand<TFloating> x) {
    return ops.math.log1p(x);
  }

  /**
   * @param x an operand
   * @return the error function
   */
  public Operand<TFloating> erf(Operand<TFloating> x) {
    return ops.math.erf(x);
  }

  /**
   * erfc, whose gradient TF-Java lacks: {@link Gradients} registers it.
   *
   * @param x an operand
   * @return {@code 1 - erf(x)}, without the cancellation of {@code 1 - erf(x)} for large x
   */
  public Operand<TFloating> erfc(Operand<TFloating> x) {
    Gradients.register();
    return ops.math.erfc(x);
  }

  /**
   * @param x an operand
   * @return {@code 1 / (1 + exp(-x))}, by TF's Sigmoid kernel (no overflow)
   */
  public Operand<TFloating> sigmoid(Operand<TFloating> x) {
    return ops.math.sigmoid(x);
  }

  /**
   * @param x an operand
   * @return the hyperbolic tangent, by TF's Tanh kernel
   */
  public Operand<TFloating> tanh(Operand<TFloating> x) {
    return ops.math.tanh(x);
  }

  /**
   * @param x an operand
   * @return {@code log(exp(x) + 1)}, by TF's Softplus kernel (no overflow)
   */
  public Operand<TFloating> softplus(Operand<TFloating> x) {
    return ops.math.softplus(x);
  }

  /**
   * @param a an operand
   * @param b an operand
   * @return the element-wise maximum (TF's Maximum: its gradient goes to {@code a} on ties)
   */
  public Operand<TFloating> max(Operand<TFloating> a, Operand<TFloating> b) {
    return ops.math.maximum(a, b);
  }

  /**
   * @param a an operand
   * @param b a constant
   * @return the element-wise maximum
   */
  public Operand<TFloating> max(Operand<TFloating> a, double b) {
    return max(a, c(b));
  }

  /**
   * @param a an operand
   * @param b an operand
   * @return the element-wise minimum (TF's Minimum: its gradient goes to {@code a} on ties)
   */
  public Operand<TFloating> min(Operand<TFloating> a, Operand<TFloating> b) {
    return ops.math.minimum(a, b);
  }

  /**
   * @param a an operand
   * @param b a constant
   * @return the element-wise minimum
   */
  public Operand<TFloating> min(Operand<TFloating> a, double b) {
    return min(a, c(b));
  }

  /**
   * {@code x} clipped to [lo, hi] (minimum, then maximum, as {@code tf.clip_by_value}): a branch
   * that must stay finite for any input sees only the inputs it is defined for.
   *
   * @param x an operand
   * @param lo the lower bound
   * @param hi the upper bound
   * @return {@code x} clipped to [lo, hi]
   */
  public Operand<TFloating> clip(Operand<TFloating> x, double lo, double hi) {
    return max(min(x, hi), lo);
  }

  /**
   * @param x an operand
   * @return {@code max(x, 0)}, by TF's Relu (whose gradient is 0 at 0)
   */
  public Operand<TFloating> relu(Operand<TFloating> x) {
    return ops.nn.relu(x);
  }

  /**
   * @param x an operand
   * @return {@code min(max(x, 0), 6)}, by TF's Relu6 (gradient 0 at 0 and 6)
   */
  public Operand<TFloating> relu6(Operand<TFloating> x) {
    return ops.nn.relu6(x);
  }

  /**
   * Zeros shaped like {@code x} (TF's ZerosLike has a (zero) gradient, OnesLike has none).
   *
   * @param x the operand whose shape is taken
   * @return zeros of the shape and dtype of {@code x}
   */
  public Operand<TFloating> zeros(Operand<TFloating> x) {
    return ops.zerosLike(x);
  }

  /**
   * {@code value} broadcast to the shape of {@code x}.
   *
   * @param x the operand whose shape is taken
   * @param value the value
   * @return {@code value} in the shape of {@code x}
   */
  public Operand<TFloating> full(Operand<TFloating> x, double value) {
    return ops.fill(ops.shape(x), c(value));
  }

  /**
   * @param x an operand
   * @param v the constant to compare with
   * @return {@code x > v} (false for NaN)
   */
  public Operand<TBool> gt(Operand<TFloating> x, double v) {
    return ops.math.greater(x, c(v));
  }

  /**
   * @param x an operand
   * @param v the constant to compare with
   * @return {@code x >= v} (false for NaN)
   */
  public Operand<TBool> ge(Operand<TFloating> x, double v) {
    return ops.math.greaterEqual(x, c(v));
  }

  /**
   * @param x an operand
   * @param v the constant to compare with
   * @return {@code x < v} (false for NaN)
   */
  public Operand<TBool> lt(Operand<TFloating> x, double v) {
    return ops.math.less(x, c(v));
  }

  /**
   * @param x an operand
   * @param v the constant to compare with
   * @return {@code x <= v} (false for NaN)
   */
  public Operand<TBool> le(Operand<TFloating> x, double v) {
    return ops.math.lessEqual(x, c(v));
  }

  /**
   * @param x an operand
   * @return where {@code x} is NaN
   */
  public Operand<TBool> isNan(Operand<TFloating> x) {
    return ops.math.isNan(x);
  }

  /**
   * @param a a condition
   * @param b a condition
   * @return {@code a && b}
   */
  public Operand<TBool> and(Operand<TBool> a, Operand<TBool> b) {
    return ops.math.logicalAnd(a, b);
  }

  /**
   * @param a a condition
   * @param b a condition
   * @return {@code a || b}
   */
  public Operand<TBool> or(Operand<TBool> a, Operand<TBool> b) {
    return ops.math.logicalOr(a, b);
  }

  /**
   * @param x an operand
   * @return -1, 0 or 1 by the sign of {@code x}
   */
  public Operand<TFloating> sign(Operand<TFloating> x) {
    return ops.math.sign(x);
  }

  /**
   * Element-wise {@code cond ? a : b} (SelectV2, broadcasting).
   *
   * @param cond the condition
   * @param a the values where it holds
   * @param b the values where it does not
   * @return the selection; the branch not taken gets a zero gradient, which an op below it whose
   *     own derivative is Inf there still turns into NaN (0 * Inf)
   */
  public Operand<TFloating> where(Operand<TBool> cond, Operand<TFloating> a, Operand<TFloating> b) {
    return ops.select(cond, a, b);
  }

  /**
   * @param cond the condition
   * @param a the values where it holds
   * @param b the constant where it does not
   * @return {@code cond ? a : b}, element-wise
   */
  public Operand<TFloating> where(Operand<TBool> cond, Operand<TFloating> a, double b) {
    return where(cond, a, c(b));
  }

  /**
   * @param cond the condition
   * @param a the constant where it holds
   * @param b the values where it does not
   * @return {@code cond ? a : b}, element-wise
   */
  public Operand<TFloating> where(Operand<TBool> cond, double a, Operand<TFloating> b) {
    return where(cond, c(a), b);
  }

  /**
   * {@code y}, except {@code atMinusInf} at x = -Inf and {@code atPlusInf} at x = +Inf. Products
   * like x * sigmoid(x) are -Inf * 0 = NaN at -Inf; this gives their limits instead.
   *
   * @param x the input
   * @param y the function's value on {@code x}
   * @param atMinusInf the limit at -Inf
   * @param atPlusInf the limit at +Inf
   * @return {@code y} with the limits at the infinities
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
   *
   * @param x the input
   * @param y the function's value on {@code x}
   * @return {@code y}, NaN where {@code x} is NaN
   */
  public Operand<TFloating> keepNan(Operand<TFloating> x, Operand<TFloating> y) {
    return where(isNan(x), x, y);
  }
}
