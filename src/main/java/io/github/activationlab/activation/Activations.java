package io.github.activationlab.activation;

import static java.lang.Math.abs;
import static java.lang.Math.exp;
import static java.lang.Math.expm1;
import static java.lang.Math.log1p;
import static java.lang.Math.max;
import static java.lang.Math.min;
import static java.lang.Math.sqrt;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.numbers.gamma.Erfc;
import org.tensorflow.Operand;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * The activation catalogue: the notebook's nine activations, then the rest of Keras 3's, each
 * defined once — TF forward, TF analytic derivative, plain-Java reference of both — in the style
 * of Keras's {@code activations.py}. Parameters carry Keras's names; where the notebook uses
 * another value than Keras's default it says so.
 *
 * <p>Derivatives at kinks are the one-sided values TensorFlow's gradient kernels give (stated per
 * definition, pinned by tests). Definitions avoid overflow: no NaN or Inf for finite inputs where
 * the function is finite, NaN in gives NaN out, +-Inf give the limits.
 */
public final class Activations {
  private Activations() {}

  static final double SELU_ALPHA = 1.6732632423543772848170429916717;
  static final double SELU_SCALE = 1.0507009873554804934193349852946;
  static final double SQRT_2_OVER_PI = sqrt(2 / Math.PI);
  static final double GELU_COEFF = 0.044715;
  static final double NEG_INF = Double.NEGATIVE_INFINITY;
  static final double POS_INF = Double.POSITIVE_INFINITY;

  // ---------------------------------------------------------------- the notebook's nine

  /**
   * Binary step: {@code 0 if x < threshold else 1} (the notebook's {@code binary_step}, threshold
   * default 0). Its derivative is 0 wherever it exists (undefined at the threshold; 0 is stated
   * there). TensorFlow has no gradient for it: a comparison feeding a select is not
   * differentiable, so {@code tf.gradients} gives nothing and the autodiff derivative is taken as 0.
   */
  public static ElementWise binaryStep(double threshold) {
    return new ElementWise("binary_step", "0 if x < threshold else 1", params("threshold", threshold),
        (tf, x) -> tf.keepNan(x, tf.where(tf.lt(x, threshold), tf.c(0), tf.c(1))),
        (tf, x) -> tf.keepNan(x, tf.zeros(x)),
        x -> Double.isNaN(x) ? x : x < threshold ? 0 : 1,
        x -> Double.isNaN(x) ? x : 0,
        new double[] {threshold});
  }

  /** Linear (identity): {@code x}; derivative 1 (the notebook's {@code dev_linear}). */
  public static ElementWise linear() {
    return new ElementWise("linear", "x", params(),
        (tf, x) -> tf.ops.identity(x),
        (tf, x) -> tf.full(x, 1),
        x -> x,
        x -> 1,
        new double[0]);
  }

  /**
   * Sigmoid: {@code 1 / (1 + exp(-x))}; derivative {@code sigmoid(x) * (1 - sigmoid(x))}, written
   * {@code sigmoid(x) * sigmoid(-x)}, which keeps full relative precision in both tails. The
   * notebook's {@code 1/(1+np.exp(-x))} overflows exp for x < -88.7 in float32; TF's kernel and
   * the reference below do not.
   */
  public static ElementWise sigmoid() {
    return new ElementWise("sigmoid", "1 / (1 + exp(-x))", params(),
        (tf, x) -> tf.sigmoid(x),
        (tf, x) -> tf.mul(tf.sigmoid(x), tf.sigmoid(tf.neg(x))),
        Activations::sigmoidRef,
        x -> sigmoidRef(x) * sigmoidRef(-x),
        new double[0]);
  }

  /**
   * Hyperbolic tangent: {@code (exp(x) - exp(-x)) / (exp(x) + exp(-x))}; derivative
   * {@code 1 - tanh(x)^2} (the notebook's {@code dev_tanh}). The notebook computes the quotient of
   * exponentials literally, which is Inf/Inf = NaN for |x| >= 89 in float32; TF's Tanh kernel is
   * used instead.
   */
  public static ElementWise tanh() {
    return new ElementWise("tanh", "(exp(x) - exp(-x)) / (exp(x) + exp(-x))", params(),
        (tf, x) -> tf.tanh(x),
        (tf, x) -> tf.sub(1, tf.square(tf.tanh(x))),
        Math::tanh,
        x -> 1 / (Math.cosh(x) * Math.cosh(x)),
        new double[0]);
  }

  /**
   * Rectified linear unit, Keras 3's {@code relu(x, negative_slope=0.0, max_value=None,
   * threshold=0.0)}: {@code x if x > threshold} (clipped at {@code max_value}), otherwise {@code
   * negative_slope * (x - threshold)}. With the defaults: {@code max(x, 0)}, derivative 1 for
   * x > 0 and 0 for x <= 0 — <b>0 at x = 0</b>, as TF's {@code ReluGrad} gives.
   *
   * @param maxValue {@code null} for no clipping
   */
  public static ElementWise relu(double negativeSlope, Double maxValue, double threshold) {
    Map<String, Object> params = params("negative_slope", negativeSlope, "max_value", maxValue,
        "threshold", threshold);
    if (negativeSlope == 0 && maxValue == null && threshold == 0) {
      return new ElementWise("relu", "max(x, 0)", params,
          (tf, x) -> tf.relu(x),
          (tf, x) -> tf.where(tf.gt(x, 0), tf.c(1), tf.c(0)),
          x -> max(x, 0),
          x -> x > 0 ? 1 : 0,
          new double[] {0});
    }
    // The general case follows Keras's ReLU.static_call op for op, so the kinks match.
    boolean leaky = negativeSlope != 0 && maxValue == null && threshold == 0;
    boolean relu6 = maxValue != null && maxValue == 6 && threshold == 0;
    boolean clip = maxValue != null && !relu6;
    double cap = maxValue == null ? POS_INF : maxValue;
    DoubleUnaryOperator positive = x -> threshold != 0 ? x * (x > threshold ? 1 : 0)
        : relu6 ? min(max(x, 0), 6) : max(x, 0);
    DoubleUnaryOperator value = x -> {
      if (leaky) return x > 0 ? x : x * negativeSlope;
      double y = positive.applyAsDouble(x);
      if (clip) y = max(min(y, cap), 0);
      return y - negativeSlope * max(threshold - x, 0);
    };
    DoubleUnaryOperator derivative = x -> {
      if (leaky) return x > 0 ? 1 : negativeSlope;
      double d = threshold != 0 ? (x > threshold ? 1 : 0) : relu6 ? (x > 0 && x < 6 ? 1 : 0)
          : (x > 0 ? 1 : 0);
      double p = positive.applyAsDouble(x);
      if (clip && !(p <= cap && min(p, cap) >= 0)) d = 0;
      return d + (threshold - x > 0 ? negativeSlope : 0);
    };
    return new ElementWise("relu", "x if x > threshold (at most max_value) else negative_slope * (x - threshold)",
        params,
        (tf, x) -> {
          if (leaky) return tf.where(tf.gt(x, 0), x, tf.mul(negativeSlope, x));
          var y = threshold != 0 ? tf.mul(x, tf.ops.dtypes.cast(tf.gt(x, threshold), x.type()))
              : relu6 ? tf.relu6(x) : tf.relu(x);
          if (clip) y = tf.max(tf.min(y, cap), 0);
          return tf.sub(y, tf.mul(negativeSlope, tf.relu(tf.sub(threshold, x))));
        },
        (tf, x) -> {
          if (leaky) return tf.where(tf.gt(x, 0), tf.c(1), tf.c(negativeSlope));
          var d = threshold != 0 ? tf.where(tf.gt(x, threshold), tf.c(1), tf.c(0))
              : relu6 ? tf.where(tf.and(tf.gt(x, 0), tf.lt(x, 6)), tf.c(1), tf.c(0))
              : tf.where(tf.gt(x, 0), tf.c(1), tf.c(0));
          if (clip) {
            var p = threshold != 0 ? tf.mul(x, tf.ops.dtypes.cast(tf.gt(x, threshold), x.type())) : tf.relu(x);
            d = tf.where(tf.and(tf.le(p, cap), tf.ge(tf.min(p, cap), 0)), d, tf.c(0));
          }
          return tf.add(d, tf.where(tf.lt(x, threshold), tf.c(negativeSlope), tf.c(0)));
        },
        value, derivative, new double[] {threshold});
  }

  /**
   * Leaky ReLU: {@code x if x > 0 else negative_slope * x}; derivative 1 for x > 0, {@code
   * negative_slope} for x <= 0 (so {@code negative_slope} at 0, as TF's {@code LeakyReluGrad}).
   * The notebook uses 0.01 ({@code max(0.01*x, x)}); Keras's default is 0.2. Written as a select
   * rather than TF's {@code LeakyRelu}, whose slope is a float32 attribute (0.01f != 0.01 in
   * float64); the derivative convention at 0 is the same.
   */
  public static ElementWise leakyRelu(double negativeSlope) {
    return new ElementWise("leaky_relu", "x if x > 0 else negative_slope * x",
        params("negative_slope", negativeSlope),
        (tf, x) -> tf.where(tf.gt(x, 0), x, tf.mul(negativeSlope, x)),
        (tf, x) -> tf.where(tf.gt(x, 0), tf.c(1), tf.c(negativeSlope)),
        x -> x > 0 ? x : negativeSlope * x,
        x -> x > 0 ? 1 : negativeSlope,
        new double[] {0});
  }

  /**
   * Parametric ReLU: {@code relu(x) - alpha * relu(-x)}, written as Keras's {@code PReLU} layer
   * writes it, so that alpha can be a trained variable ({@link #prelu(FloatOps, Operand,
   * Operand)}). The notebook uses alpha = 0.1 ({@code max(alpha*x, x)}, the same for alpha < 1).
   * Derivative 1 for x > 0, alpha for x < 0 and <b>0 at x = 0</b> (both ReluGrads are 0 there);
   * d/d alpha = {@code -relu(-x) = min(x, 0)}.
   */
  public static ElementWise prelu(double alpha) {
    return new ElementWise("prelu", "relu(x) - alpha * relu(-x)", params("alpha", alpha),
        (tf, x) -> prelu(tf, x, tf.c(alpha)),
        (tf, x) -> tf.where(tf.gt(x, 0), tf.c(1), tf.where(tf.lt(x, 0), tf.c(alpha), tf.c(0))),
        x -> max(x, 0) - alpha * max(-x, 0),
        x -> x > 0 ? 1 : x < 0 ? alpha : 0,
        new double[] {0});
  }

  /** PReLU with alpha an operand (a trainable variable in a layer), broadcast against x. */
  public static Operand<TFloating> prelu(FloatOps tf, Operand<TFloating> x, Operand<TFloating> alpha) {
    return tf.sub(tf.relu(x), tf.mul(alpha, tf.relu(tf.neg(x))));
  }

  /**
   * Exponential linear unit: {@code x if x > 0 else alpha * (exp(x) - 1)}, alpha default 1.0 (the
   * notebook's). Derivative 1 for x > 0, {@code alpha * exp(x)} for x <= 0 (the notebook's {@code
   * dev_elu}: {@code elu(x) + alpha}), so alpha at 0. Written with {@code expm1}: TF's {@code Elu}
   * kernel computes {@code exp(x) - 1}, which loses relative precision near 0 (1.3e-6 at x = -0.03
   * in float32, and elu(-1e-40) = 0 in float64). expm1 runs on {@code min(x, 0)} so that the
   * branch not taken stays finite and its zero gradient is not 0 * Inf = NaN.
   */
  public static ElementWise elu(double alpha) {
    return new ElementWise("elu", "x if x > 0 else alpha * (exp(x) - 1)", params("alpha", alpha),
        (tf, x) -> tf.where(tf.gt(x, 0), x, tf.mul(alpha, tf.expm1(tf.min(x, 0)))),
        (tf, x) -> tf.where(tf.gt(x, 0), tf.c(1), tf.mul(alpha, tf.exp(x))),
        x -> x > 0 ? x : alpha * expm1(x),
        x -> x > 0 ? 1 : alpha * exp(x),
        new double[0]);
  }

  /**
   * Softmax over {@code axis=-1}: {@code exp(x - max(x)) / sum(exp(x - max(x)))} — subtracting the
   * row maximum keeps exp from overflowing (TF's kernel does the same). Vector-Jacobian product:
   * {@code y * (g - sum(g * y))}.
   */
  public static RowWise softmax() {
    return new RowWise("softmax", "exp(x - max(x)) / sum(exp(x - max(x))) over the last axis",
        params("axis", -1),
        (tf, x) -> tf.ops.nn.softmax(x),
        (tf, x, g) -> {
          var y = tf.ops.nn.softmax(x);
          return tf.mul(y, tf.sub(g, sumLast(tf, tf.mul(g, y))));
        },
        Activations::softmaxRef,
        (x, g) -> {
          double[] y = softmaxRef(x);
          double dot = 0;
          for (int i = 0; i < y.length; i++) dot += g[i] * y[i];
          double[] out = new double[y.length];
          for (int i = 0; i < y.length; i++) out[i] = y[i] * (g[i] - dot);
          return out;
        },
        n -> n);
  }

  // ---------------------------------------------------------------- the rest of Keras 3

  /** CELU: {@code max(x, 0) + alpha * min(0, exp(x / alpha) - 1)}, alpha default 1.0. Derivative 1 for x > 0, {@code exp(x / alpha)} for x <= 0 (continuous: 1 at 0; Keras's max+min form gives 2 there under autodiff, this where-form gives the true 1). */
  public static ElementWise celu(double alpha) {
    return new ElementWise("celu", "max(x, 0) + alpha * min(0, exp(x / alpha) - 1)", params("alpha", alpha),
        (tf, x) -> tf.where(tf.gt(x, 0), x, tf.mul(alpha, tf.expm1(tf.div(tf.min(x, 0), alpha)))),
        (tf, x) -> tf.where(tf.gt(x, 0), tf.c(1), tf.exp(tf.div(x, alpha))),
        x -> x > 0 ? x : alpha * expm1(x / alpha),
        x -> x > 0 ? 1 : exp(x / alpha),
        new double[0]);
  }

  /** Exponential: {@code exp(x)}; derivative {@code exp(x)}. Overflows to +Inf for x > 88.7 (float32), as exp does. */
  public static ElementWise exponential() {
    return new ElementWise("exponential", "exp(x)", params(),
        (tf, x) -> tf.exp(x), (tf, x) -> tf.exp(x), Math::exp, Math::exp, new double[0]);
  }

  /**
   * GELU, exact ({@code approximate=False}, Keras's default): {@code x * Phi(x) = 0.5 * x *
   * erfc(-x / sqrt(2))} (erfc, not 1 + erf, which cancels to 0 for x << 0). Derivative {@code
   * Phi(x) + x * phi(x)}.
   */
  public static ElementWise gelu() {
    return new ElementWise("gelu", "0.5 * x * (1 + erf(x / sqrt(2)))", params("approximate", false),
        (tf, x) -> tf.limitsAtInf(x, tf.mul(tf.mul(0.5, x), tf.erfc(tf.mul(-Math.sqrt(0.5), x))), 0, POS_INF),
        (tf, x) -> tf.limitsAtInf(x, tf.add(
            tf.mul(0.5, tf.erfc(tf.mul(-Math.sqrt(0.5), x))),
            tf.mul(x, tf.mul(1 / sqrt(2 * Math.PI), tf.exp(tf.mul(-0.5, tf.square(x)))))), 0, 1),
        x -> x == NEG_INF ? 0 : 0.5 * x * Erfc.value(-x * sqrt(0.5)),
        x -> x == NEG_INF ? 0 : x == POS_INF ? 1
            : 0.5 * Erfc.value(-x * sqrt(0.5)) + x * exp(-0.5 * x * x) / sqrt(2 * Math.PI),
        new double[0]);
  }

  /**
   * GELU, tanh approximation ({@code approximate=True}): {@code 0.5 * x * (1 + tanh(sqrt(2/pi) *
   * (x + 0.044715 x^3)))}, written as the identical {@code x * sigmoid(2u)} so the left tail
   * does not cancel to 0.
   */
  public static ElementWise geluTanh() {
    return new ElementWise("gelu_tanh", "0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))",
        params("approximate", true),
        (tf, x) -> tf.limitsAtInf(x, tf.mul(x, tf.sigmoid(tf.mul(2, geluU(tf, x)))), 0, POS_INF),
        (tf, x) -> {
          var s = tf.sigmoid(tf.mul(2, geluU(tf, x)));
          var sMinus = tf.sigmoid(tf.mul(-2, geluU(tf, x)));
          var du = tf.mul(SQRT_2_OVER_PI, tf.add(tf.mul(3 * GELU_COEFF, tf.square(x)), 1));
          return tf.limitsAtInf(x, tf.add(s, tf.mul(tf.mul(2, x), tf.mul(tf.mul(s, sMinus), du))), 0, 1);
        },
        x -> x == NEG_INF ? 0 : x * sigmoidRef(2 * geluU(x)),
        x -> {
          if (x == NEG_INF) return 0;
          if (x == POS_INF) return 1;
          double u = geluU(x);
          double du = SQRT_2_OVER_PI * (1 + 3 * GELU_COEFF * x * x);
          return sigmoidRef(2 * u) + 2 * x * sigmoidRef(2 * u) * sigmoidRef(-2 * u) * du;
        },
        new double[0]);
  }

  /** GLU over {@code axis=-1}: the row splits into halves a, b; {@code a * sigmoid(b)}. */
  public static RowWise glu() {
    return new RowWise("glu", "a * sigmoid(b), where a, b = split(x, 2, axis=-1)", params("axis", -1),
        (tf, x) -> {
          var halves = tf.ops.split(tf.ops.constant(-1), x, 2L).output();
          return tf.mul(halves.get(0), tf.sigmoid(halves.get(1)));
        },
        (tf, x, g) -> {
          var halves = tf.ops.split(tf.ops.constant(-1), x, 2L).output();
          var a = halves.get(0);
          var b = halves.get(1);
          var da = tf.mul(g, tf.sigmoid(b));
          var db = tf.mul(tf.mul(g, a), tf.mul(tf.sigmoid(b), tf.sigmoid(tf.neg(b))));
          return tf.ops.concat(List.of(da, db), tf.ops.constant(-1));
        },
        x -> {
          int k = x.length / 2;
          double[] y = new double[k];
          for (int i = 0; i < k; i++) y[i] = x[i] * sigmoidRef(x[k + i]);
          return y;
        },
        (x, g) -> {
          int k = x.length / 2;
          double[] out = new double[x.length];
          for (int i = 0; i < k; i++) {
            double b = x[k + i];
            out[i] = g[i] * sigmoidRef(b);
            out[k + i] = g[i] * x[i] * sigmoidRef(b) * sigmoidRef(-b);
          }
          return out;
        },
        n -> n / 2);
  }

  /** Hard sigmoid, as Keras 3 defines it: {@code relu6(x + 3) / 6} = clip(x/6 + 1/2, 0, 1) (not the framework's x*0.2 + 0.5). Derivative 1/6 on (-3, 3), 0 elsewhere (0 at +-3, as Relu6Grad). */
  public static ElementWise hardSigmoid() {
    return new ElementWise("hard_sigmoid", "relu6(x + 3) / 6", params(),
        (tf, x) -> tf.div(tf.relu6(tf.add(x, 3)), 6),
        (tf, x) -> tf.where(tf.and(tf.gt(x, -3), tf.lt(x, 3)), tf.c(1.0 / 6), tf.c(0)),
        x -> min(max(x + 3, 0), 6) / 6,
        x -> x > -3 && x < 3 ? 1.0 / 6 : 0,
        new double[] {-3, 3});
  }

  /** Hard SiLU (hard swish): {@code x * relu6(x + 3) / 6}. Derivative {@code (2x + 3) / 6} on (-3, 3), 0 below, 1 from 3 on (0 at -3, 1 at 3). */
  public static ElementWise hardSilu() {
    return new ElementWise("hard_silu", "x * relu6(x + 3) / 6", params(),
        (tf, x) -> tf.limitsAtInf(x, tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6)), 0, POS_INF),
        (tf, x) -> tf.where(tf.and(tf.gt(x, -3), tf.lt(x, 3)), tf.div(tf.add(tf.mul(2, x), 3), 6),
            tf.where(tf.ge(x, 3), tf.c(1), tf.c(0))),
        x -> x == NEG_INF ? 0 : x * min(max(x + 3, 0), 6) / 6,
        x -> x > -3 && x < 3 ? (2 * x + 3) / 6 : x >= 3 ? 1 : 0,
        new double[] {-3, 3});
  }

  /** Hard tanh: {@code clip(x, -1, 1)} (min, then max, as tf.clip_by_value). Derivative 1 on [-1, 1] (1 at +-1: both ops pass the gradient on ties), 0 outside. */
  public static ElementWise hardTanh() {
    return new ElementWise("hard_tanh", "clip(x, -1, 1)", params(),
        (tf, x) -> tf.max(tf.min(x, 1), -1),
        (tf, x) -> tf.where(tf.and(tf.ge(x, -1), tf.le(x, 1)), tf.c(1), tf.c(0)),
        x -> max(min(x, 1), -1),
        x -> x >= -1 && x <= 1 ? 1 : 0,
        new double[] {-1, 1});
  }

  /** Hard shrink: {@code x if |x| > threshold else 0}, threshold default 0.5. Derivative 1 where |x| > threshold, else 0 (0 at +-threshold). */
  public static ElementWise hardShrink(double threshold) {
    return new ElementWise("hard_shrink", "x if |x| > threshold else 0", params("threshold", threshold),
        (tf, x) -> tf.keepNan(x, tf.where(tf.gt(tf.abs(x), threshold), x, tf.c(0))),
        (tf, x) -> tf.where(tf.gt(tf.abs(x), threshold), tf.c(1), tf.c(0)),
        x -> Double.isNaN(x) ? x : abs(x) > threshold ? x : 0,
        x -> abs(x) > threshold ? 1 : 0,
        new double[] {-threshold, threshold});
  }

  /** Log-sigmoid: {@code log(sigmoid(x)) = -softplus(-x)}; derivative {@code sigmoid(-x)}. */
  public static ElementWise logSigmoid() {
    return new ElementWise("log_sigmoid", "log(1 / (1 + exp(-x)))", params(),
        (tf, x) -> tf.neg(tf.softplus(tf.neg(x))),
        (tf, x) -> tf.sigmoid(tf.neg(x)),
        x -> -softplusRef(-x),
        x -> sigmoidRef(-x),
        new double[0]);
  }

  /** Log-softmax over {@code axis=-1}: {@code x - max(x) - log(sum(exp(x - max(x))))}. VJP: {@code g - softmax(x) * sum(g)}. */
  public static RowWise logSoftmax() {
    return new RowWise("log_softmax", "x - log(sum(exp(x))) over the last axis", params("axis", -1),
        (tf, x) -> tf.ops.nn.logSoftmax(x),
        (tf, x, g) -> tf.sub(g, tf.mul(tf.ops.nn.softmax(x), sumLast(tf, g))),
        x -> {
          double m = Arrays.stream(x).max().orElse(0);
          double s = 0;
          for (double v : x) s += exp(v - m);
          double lse = m + Math.log(s);
          return Arrays.stream(x).map(v -> v - lse).toArray();
        },
        (x, g) -> {
          double[] y = softmaxRef(x);
          double sum = Arrays.stream(g).sum();
          double[] out = new double[x.length];
          for (int i = 0; i < x.length; i++) out[i] = g[i] - y[i] * sum;
          return out;
        },
        n -> n);
  }

  /** Mish: {@code x * tanh(softplus(x))}. Derivative {@code t + x * (1 - t^2) * sigmoid(x)}, t = tanh(softplus(x)). */
  public static ElementWise mish() {
    return new ElementWise("mish", "x * tanh(softplus(x))", params(),
        (tf, x) -> tf.limitsAtInf(x, tf.mul(x, tf.tanh(tf.softplus(x))), 0, POS_INF),
        (tf, x) -> {
          var t = tf.tanh(tf.softplus(x));
          return tf.limitsAtInf(x, tf.add(t, tf.mul(tf.mul(x, tf.sub(1, tf.square(t))), tf.sigmoid(x))), 0, 1);
        },
        x -> x == NEG_INF ? 0 : x * Math.tanh(softplusRef(x)),
        x -> {
          if (x == NEG_INF) return 0;
          if (x == POS_INF) return 1;
          double sp = softplusRef(x);
          double sech = 1 / Math.cosh(sp);
          return Math.tanh(sp) + x * sech * sech * sigmoidRef(x);
        },
        new double[0]);
  }

  /** ReLU6: {@code min(max(x, 0), 6)}. Derivative 1 on (0, 6), else 0 (0 at 0 and at 6, as Relu6Grad). */
  public static ElementWise relu6() {
    return new ElementWise("relu6", "min(max(x, 0), 6)", params(),
        (tf, x) -> tf.relu6(x),
        (tf, x) -> tf.where(tf.and(tf.gt(x, 0), tf.lt(x, 6)), tf.c(1), tf.c(0)),
        x -> min(max(x, 0), 6),
        x -> x > 0 && x < 6 ? 1 : 0,
        new double[] {0, 6});
  }

  /** SELU: {@code scale * (x if x > 0 else alpha * (exp(x) - 1))}, alpha = 1.67326324, scale = 1.05070098. Derivative scale for x >= 0 (so at 0, as SeluGrad), {@code scale * alpha * exp(x)} below. Written with expm1, as {@link #elu}. */
  public static ElementWise selu() {
    return new ElementWise("selu", "scale * (x if x > 0 else alpha * (exp(x) - 1))", params(),
        (tf, x) -> tf.mul(SELU_SCALE, tf.where(tf.ge(x, 0), x, tf.mul(SELU_ALPHA, tf.expm1(tf.min(x, 0))))),
        (tf, x) -> tf.where(tf.lt(x, 0), tf.mul(SELU_SCALE * SELU_ALPHA, tf.exp(x)), tf.c(SELU_SCALE)),
        x -> x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * expm1(x),
        x -> x < 0 ? SELU_SCALE * SELU_ALPHA * exp(x) : SELU_SCALE,
        new double[] {0});
  }

  /** SiLU (swish): {@code x * sigmoid(x)}. Derivative {@code sigmoid(x) * (1 + x * sigmoid(-x))}. */
  public static ElementWise silu() {
    return new ElementWise("silu", "x * sigmoid(x)", params(),
        (tf, x) -> tf.limitsAtInf(x, tf.mul(x, tf.sigmoid(x)), 0, POS_INF),
        (tf, x) -> tf.limitsAtInf(x, tf.mul(tf.sigmoid(x), tf.add(tf.mul(x, tf.sigmoid(tf.neg(x))), 1)), 0, 1),
        x -> x == NEG_INF ? 0 : x * sigmoidRef(x),
        x -> x == NEG_INF ? 0 : x == POS_INF ? 1 : sigmoidRef(x) * (1 + x * sigmoidRef(-x)),
        new double[0]);
  }

  /** Soft shrink: {@code x - threshold if x > threshold, x + threshold if x < -threshold, else 0}, threshold default 0.5. Derivative 1 outside [-threshold, threshold], 0 inside (0 at the edges). */
  public static ElementWise softShrink(double threshold) {
    return new ElementWise("soft_shrink", "x - threshold if x > threshold, x + threshold if x < -threshold, else 0",
        params("threshold", threshold),
        (tf, x) -> tf.keepNan(x, tf.where(tf.gt(x, threshold), tf.sub(x, threshold),
            tf.where(tf.lt(x, -threshold), tf.add(x, threshold), tf.c(0)))),
        (tf, x) -> tf.where(tf.or(tf.gt(x, threshold), tf.lt(x, -threshold)), tf.c(1), tf.c(0)),
        x -> Double.isNaN(x) ? x : x > threshold ? x - threshold : x < -threshold ? x + threshold : 0,
        x -> x > threshold || x < -threshold ? 1 : 0,
        new double[] {-threshold, threshold});
  }

  /** Softplus: {@code log(exp(x) + 1)}, computed without overflow; derivative {@code sigmoid(x)}. */
  public static ElementWise softplus() {
    return new ElementWise("softplus", "log(exp(x) + 1)", params(),
        (tf, x) -> tf.softplus(x),
        (tf, x) -> tf.sigmoid(x),
        Activations::softplusRef,
        Activations::sigmoidRef,
        new double[0]);
  }

  /** Softsign: {@code x / (|x| + 1)}; derivative {@code 1 / (|x| + 1)^2}; +-1 at +-Inf (TF's kernel gives Inf/Inf = NaN there). */
  public static ElementWise softsign() {
    return new ElementWise("softsign", "x / (|x| + 1)", params(),
        (tf, x) -> tf.limitsAtInf(x, tf.ops.nn.softsign(x), -1, 1),
        (tf, x) -> tf.div(1, tf.square(tf.add(tf.abs(x), 1))),
        x -> Double.isInfinite(x) ? Math.signum(x) : x / (abs(x) + 1),
        x -> 1 / ((abs(x) + 1) * (abs(x) + 1)),
        new double[0]);
  }

  /**
   * Sparsemax over {@code axis=-1}: the Euclidean projection of the row onto the probability
   * simplex, {@code max(x - tau, 0)} with tau chosen so the row sums to 1. The support is found by
   * sorting (no gradient needed); tau = (sum of x over the support - 1) / |support| is then
   * written from x, so autodiff gives the true Jacobian. VJP: {@code s * (g - mean over s of g)}.
   */
  public static RowWise sparsemax() {
    return new RowWise("sparsemax", "max(x - tau(x), 0), the projection onto the simplex", params("axis", -1),
        (tf, x) -> tf.relu(tf.sub(x, sparsemaxTau(tf, x))),
        (tf, x, g) -> {
          var support = tf.ops.dtypes.cast(tf.gt(tf.sub(x, tf.ops.stopGradient(sparsemaxTau(tf, x))), 0), x.type());
          var meanG = tf.div(sumLast(tf, tf.mul(g, support)), sumLast(tf, support));
          return tf.mul(support, tf.sub(g, meanG));
        },
        x -> {
          double tau = sparsemaxTauRef(x);
          return Arrays.stream(x).map(v -> max(v - tau, 0)).toArray();
        },
        (x, g) -> {
          double tau = sparsemaxTauRef(x);
          double sum = 0;
          int n = 0;
          for (int i = 0; i < x.length; i++) if (x[i] > tau) { sum += g[i]; n++; }
          double[] out = new double[x.length];
          for (int i = 0; i < x.length; i++) out[i] = x[i] > tau ? g[i] - sum / n : 0;
          return out;
        },
        n -> n);
  }

  /** Sparse plus: {@code 0 if x <= -1, (x + 1)^2 / 4 if -1 < x < 1, x if x >= 1}; derivative 0, (x + 1) / 2, 1 (continuous). */
  public static ElementWise sparsePlus() {
    return new ElementWise("sparse_plus", "0 if x <= -1, (x + 1)^2 / 4 if -1 < x < 1, x if x >= 1", params(),
        (tf, x) -> tf.keepNan(x, tf.where(tf.le(x, -1), tf.c(0),
            tf.where(tf.lt(x, 1), tf.mul(0.25, tf.square(tf.add(x, 1))), x))),
        (tf, x) -> tf.where(tf.le(x, -1), tf.c(0), tf.where(tf.lt(x, 1), tf.mul(0.5, tf.add(x, 1)), tf.c(1))),
        x -> Double.isNaN(x) ? x : x <= -1 ? 0 : x < 1 ? 0.25 * (x + 1) * (x + 1) : x,
        x -> x <= -1 ? 0 : x < 1 ? 0.5 * (x + 1) : 1,
        new double[0]);
  }

  /** Sparse sigmoid: {@code 0 if x <= -1, (x + 1) / 2 if -1 < x < 1, 1 if x >= 1}; derivative 1/2 on (-1, 1), else 0 (0 at +-1). */
  public static ElementWise sparseSigmoid() {
    return new ElementWise("sparse_sigmoid", "0 if x <= -1, (x + 1) / 2 if -1 < x < 1, 1 if x >= 1", params(),
        (tf, x) -> tf.keepNan(x, tf.where(tf.le(x, -1), tf.c(0),
            tf.where(tf.ge(x, 1), tf.c(1), tf.mul(0.5, tf.add(x, 1))))),
        (tf, x) -> tf.where(tf.and(tf.gt(x, -1), tf.lt(x, 1)), tf.c(0.5), tf.c(0)),
        x -> Double.isNaN(x) ? x : x <= -1 ? 0 : x >= 1 ? 1 : 0.5 * (x + 1),
        x -> x > -1 && x < 1 ? 0.5 : 0,
        new double[] {-1, 1});
  }

  /**
   * Squareplus: {@code (x + sqrt(x^2 + b)) / 2}, b default 4. For x < 0 it is evaluated as the
   * identical {@code b / (2 * (sqrt(x^2 + b) - x))}, since the literal form cancels to 0 in float32
   * for x below about -2000. Derivative {@code (1 + x / sqrt(x^2 + b)) / 2} (for x < 0: {@code b /
   * (2 r (r - x))}).
   */
  public static ElementWise squareplus(double b) {
    return new ElementWise("squareplus", "(x + sqrt(x^2 + b)) / 2", params("b", b),
        (tf, x) -> {
          var neg = tf.min(x, 0); // each branch sees only its own half, so neither divides by 0
          var pos = tf.max(x, 0);
          var rNeg = tf.sqrt(tf.add(tf.square(neg), b));
          var rPos = tf.sqrt(tf.add(tf.square(pos), b));
          return tf.where(tf.lt(x, 0), tf.div(b, tf.mul(2, tf.sub(rNeg, neg))), tf.mul(0.5, tf.add(pos, rPos)));
        },
        (tf, x) -> {
          var neg = tf.min(x, 0);
          var pos = tf.max(x, 0);
          var rNeg = tf.sqrt(tf.add(tf.square(neg), b));
          var rPos = tf.sqrt(tf.add(tf.square(pos), b));
          return tf.limitsAtInf(x, tf.where(tf.lt(x, 0), tf.div(b, tf.mul(tf.mul(2, rNeg), tf.sub(rNeg, neg))),
              tf.mul(0.5, tf.add(tf.div(pos, rPos), 1))), 0, 1);
        },
        x -> {
          double r = sqrt(x * x + b);
          return x < 0 ? b / (2 * (r - x)) : 0.5 * (x + r);
        },
        x -> {
          if (Double.isInfinite(x)) return x > 0 ? 1 : 0;
          double r = sqrt(x * x + b);
          return x < 0 ? b / (2 * r * (r - x)) : 0.5 * (1 + x / r);
        },
        new double[0]);
  }

  /** Tanh shrink: {@code x - tanh(x)}; derivative {@code tanh(x)^2}. (Near 0 the difference cancels: its float32 error is relative to |x|, not to the result.) */
  public static ElementWise tanhShrink() {
    return new ElementWise("tanh_shrink", "x - tanh(x)", params(),
        (tf, x) -> tf.sub(x, tf.tanh(x)),
        (tf, x) -> tf.square(tf.tanh(x)),
        x -> x - Math.tanh(x),
        x -> Math.tanh(x) * Math.tanh(x),
        new double[0]);
  }

  /**
   * Threshold: {@code x if x > threshold else default_value}. Keras 3 gives neither a default;
   * the catalogue uses threshold = 1.0, default_value = 0.0. Derivative 1 above the threshold, 0
   * at and below it.
   */
  public static ElementWise threshold(double threshold, double defaultValue) {
    return new ElementWise("threshold", "x if x > threshold else default_value",
        params("threshold", threshold, "default_value", defaultValue),
        (tf, x) -> tf.keepNan(x, tf.where(tf.gt(x, threshold), x, tf.c(defaultValue))),
        (tf, x) -> tf.where(tf.gt(x, threshold), tf.c(1), tf.c(0)),
        x -> Double.isNaN(x) ? x : x > threshold ? x : defaultValue,
        x -> x > threshold ? 1 : 0,
        new double[] {threshold});
  }

  // ---------------------------------------------------------------- the catalogue

  /** Every activation under its name: the notebook's nine in its order, then Keras's others A-Z. */
  private static final Map<String, Activation> CATALOGUE = catalogue(
      binaryStep(0), linear(), sigmoid(), tanh(), relu(0, null, 0), leakyRelu(0.01), prelu(0.1),
      elu(1.0), softmax(),
      celu(1.0), exponential(), gelu(), geluTanh(), glu(), hardShrink(0.5), hardSigmoid(),
      hardSilu(), hardTanh(), logSigmoid(), logSoftmax(), mish(), relu6(), selu(), silu(),
      softShrink(0.5), softplus(), softsign(), sparsePlus(), sparseSigmoid(), sparsemax(),
      squareplus(4), tanhShrink(), threshold(1.0, 0.0));

  /** Keras's other names for the same functions. */
  private static final Map<String, String> ALIASES = Map.of("swish", "silu", "hard_swish", "hard_silu");

  /** The notebook's nine, in its order. */
  public static final List<String> NOTEBOOK = List.of(
      "binary_step", "linear", "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu", "softmax");

  /** All activations, the notebook's first. */
  public static Collection<Activation> all() {
    return CATALOGUE.values();
  }

  /** All names (aliases excluded). */
  public static List<String> names() {
    return List.copyOf(CATALOGUE.keySet());
  }

  /**
   * The activation with this Keras name (or alias), with the notebook's parameters.
   *
   * @throws IllegalArgumentException naming the valid ones, for an unknown name
   */
  public static Activation get(String name) {
    Activation a = CATALOGUE.get(ALIASES.getOrDefault(name, name));
    if (a == null) {
      throw new IllegalArgumentException("unknown activation '" + name + "'; valid names: "
          + String.join(", ", CATALOGUE.keySet()) + " (aliases: swish, hard_swish)");
    }
    return a;
  }

  // ---------------------------------------------------------------- machinery

  private static Map<String, Activation> catalogue(Activation... activations) {
    Map<String, Activation> m = new LinkedHashMap<>();
    for (Activation a : activations) m.put(a.name(), a);
    return Collections.unmodifiableMap(m);
  }

  private static Map<String, Object> params(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return Collections.unmodifiableMap(m);
  }

  static double sigmoidRef(double x) {
    return x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x));
  }

  static double softplusRef(double x) {
    return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
  }

  static double[] softmaxRef(double[] x) {
    double m = Arrays.stream(x).max().orElse(0);
    double[] e = Arrays.stream(x).map(v -> exp(v - m)).toArray();
    double s = Arrays.stream(e).sum();
    return Arrays.stream(e).map(v -> v / s).toArray();
  }

  private static double geluU(double x) {
    return SQRT_2_OVER_PI * (x + GELU_COEFF * x * x * x);
  }

  private static Operand<TFloating> geluU(FloatOps tf, Operand<TFloating> x) {
    return tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(GELU_COEFF, tf.mul(x, tf.square(x)))));
  }

  /** Sum over the last axis, keeping it (so it broadcasts back against the row). */
  private static Operand<TFloating> sumLast(FloatOps tf, Operand<TFloating> x) {
    return tf.ops.reduceSum(x, tf.ops.constant(-1), org.tensorflow.op.core.ReduceSum.keepDims(true));
  }

  /** The sparsemax threshold tau, differentiable in x through the (sorted, fixed) support. */
  private static Operand<TFloating> sparsemaxTau(FloatOps tf, Operand<TFloating> x) {
    var ops = tf.ops;
    Operand<TInt32> n = ops.gather(ops.shape(x), ops.math.sub(ops.rank(x), ops.constant(1)), ops.constant(0));
    var sorted = ops.nn.topK(ops.stopGradient(x), n, new org.tensorflow.op.nn.TopK.Options[0]).values();
    var k = ops.dtypes.cast(ops.range(ops.constant(1), ops.math.add(n, ops.constant(1)), ops.constant(1)), x.type());
    var cumsum = ops.math.cumsum(sorted, ops.constant(-1));
    // k is in the support when 1 + k * z_(k) > sum of the k largest
    var inSupport = ops.dtypes.cast(tf.gt(tf.sub(tf.add(tf.mul(k, sorted), 1), cumsum), 0), x.type());
    // tau from the sorted values (no gradient), then the support as a mask over x
    var tauFixed = tf.div(tf.sub(sumLast(tf, tf.mul(sorted, inSupport)), 1), sumLast(tf, inSupport));
    var support = ops.dtypes.cast(tf.ops.math.greater(ops.stopGradient(x), tauFixed), x.type());
    return tf.div(tf.sub(sumLast(tf, tf.mul(x, support)), 1), sumLast(tf, support));
  }

  private static double sparsemaxTauRef(double[] x) {
    double[] z = x.clone();
    Arrays.sort(z);
    double cum = 0;
    double tauSum = 0;
    int k = 0;
    for (int i = z.length - 1, r = 1; i >= 0; i--, r++) {
      cum += z[i];
      if (1 + r * z[i] > cum) {
        k = r;
        tauSum = cum;
      }
    }
    return (tauSum - 1) / k;
  }
}
