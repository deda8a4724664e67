package io.github.activationlab.activation;

import static io.github.activationlab.activation.Activations.NEG_INF;
import static io.github.activationlab.activation.Activations.POS_INF;
import static io.github.activationlab.activation.Activations.sigmoidRef;
import static io.github.activationlab.activation.Activations.softmaxRef;
import static io.github.activationlab.activation.Activations.softplusRef;
import static io.github.activationlab.activation.Activations.sumLast;
import static java.lang.Math.abs;
import static java.lang.Math.exp;
import static java.lang.Math.expm1;
import static java.lang.Math.max;
import static java.lang.Math.min;
import static java.lang.Math.sqrt;

import io.github.activationlab.tf.FloatOps;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.numbers.gamma.Erfc;
import org.tensorflow.Operand;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * Keras 3's activations beyond the notebook's nine, A-Z, with Keras's default parameters (Keras
 * gives {@code threshold} none: the values used are stated there). Each is defined once, in the
 * style of Keras's {@code activations.py}: TF forward, TF analytic derivative, and a plain-Java
 * reference of both.
 *
 * <p>Derivatives at kinks are the one-sided values TensorFlow's gradient kernels give (stated per
 * definition, pinned by tests). Definitions avoid overflow: no NaN or Inf for finite inputs where
 * the function is finite, NaN in gives NaN out, +-Inf give the limits.
 */
public final class KerasActivations {
  private KerasActivations() {}

  static final double SELU_ALPHA = 1.6732632423543772848170429916717;
  static final double SELU_SCALE = 1.0507009873554804934193349852946;
  static final double SQRT_2_OVER_PI = sqrt(2 / Math.PI);
  static final double GELU_COEFF = 0.044715;

  /**
   * Beyond |x| = 30, gelu_tanh's 2u exceeds 1900 in magnitude: sigmoid(2u) is exactly 1 or 0 in
   * float32 and float64, so u is evaluated on x clipped to [-30, 30] with the same result, and x^3
   * (which overflows float32 from |x| = 7e12) and x^2 cannot overflow.
   */
  static final double GELU_TANH_SATURATED = 30;

  /** The 24, A-Z, with Keras's defaults. */
  static List<Activation> all() {
    return List.of(
        celu(1.0),
        exponential(),
        gelu(),
        geluTanh(),
        glu(),
        hardShrink(0.5),
        hardSigmoid(),
        hardSilu(),
        hardTanh(),
        logSigmoid(),
        logSoftmax(),
        mish(),
        relu6(),
        selu(),
        silu(),
        softShrink(0.5),
        softplus(),
        softsign(),
        sparsePlus(),
        sparseSigmoid(),
        sparsemax(),
        squareplus(4),
        tanhShrink(),
        threshold(1.0, 0.0));
  }

  /**
   * Continuously differentiable exponential linear unit.
   *
   * <p>{@code celu(x) = max(x, 0) + alpha * min(0, exp(x / alpha) - 1)}.
   *
   * <p>Derivative: 1 for x > 0, {@code exp(x / alpha)} for {@code x <= 0}; continuous, so 1 at x =
   * 0 (Keras's max+min form gives 2 there under autodiff; this where-form gives the true 1).
   *
   * <p>Numerics: expm1 on {@code min(x, 0) / alpha}, as {@link NotebookActivations#elu}.
   *
   * <p>Reference: <a href="https://arxiv.org/abs/1704.07483">Barron, 2017</a>.
   *
   * @param alpha Keras's {@code alpha}: CELU tends to -alpha as x -> -Inf (default 1.0)
   * @return {@code celu} with this alpha
   */
  public static ElementWise celu(double alpha) {
    return ElementWise.named("celu")
        .formula("max(x, 0) + alpha * min(0, exp(x / alpha) - 1)")
        .param("alpha", alpha)
        .forward(
            (tf, x) ->
                tf.where(tf.gt(x, 0), x, tf.mul(alpha, tf.expm1(tf.div(tf.min(x, 0), alpha)))))
        .derivative((tf, x) -> tf.where(tf.gt(x, 0), tf.c(1), tf.exp(tf.div(x, alpha))))
        .reference(x -> x > 0 ? x : alpha * expm1(x / alpha))
        .referenceDerivative(x -> x > 0 ? 1 : exp(x / alpha))
        .build();
  }

  /**
   * Exponential activation.
   *
   * <p>{@code exponential(x) = exp(x)}.
   *
   * <p>Derivative: {@code exp(x)}.
   *
   * <p>Numerics: overflows to +Inf for x > 88.7 in float32 (709.8 in float64), as exp does: the
   * function itself is not representable there.
   *
   * @return {@code exponential}
   */
  public static ElementWise exponential() {
    return ElementWise.named("exponential")
        .formula("exp(x)")
        .forward((tf, x) -> tf.exp(x))
        .derivative((tf, x) -> tf.exp(x))
        .reference(Math::exp)
        .referenceDerivative(Math::exp)
        .build();
  }

  /**
   * Gaussian error linear unit, exact ({@code approximate=False}, Keras's default).
   *
   * <p>{@code gelu(x) = x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt(2)))}, Phi the standard normal
   * CDF.
   *
   * <p>Derivative: {@code Phi(x) + x * phi(x)}, phi the standard normal density.
   *
   * <p>Numerics: written {@code 0.5 * x * erfc(-x / sqrt(2))}: erfc, not 1 + erf, which cancels to
   * 0 for {@code x << 0}. At +-Inf, the limits 0 and +Inf (derivative 0 and 1).
   *
   * <p>Reference: <a href="https://arxiv.org/abs/1606.08415">Hendrycks &amp; Gimpel, 2016</a>.
   *
   * @return {@code gelu}, exact
   */
  public static ElementWise gelu() {
    return ElementWise.named("gelu")
        .formula("0.5 * x * (1 + erf(x / sqrt(2)))")
        .param("approximate", false)
        .forward(
            (tf, x) ->
                tf.limitsAtInf(
                    x, tf.mul(tf.mul(0.5, x), tf.erfc(tf.mul(-Math.sqrt(0.5), x))), 0, POS_INF))
        .derivative(
            (tf, x) ->
                tf.limitsAtInf(
                    x,
                    tf.add(
                        tf.mul(0.5, tf.erfc(tf.mul(-Math.sqrt(0.5), x))),
                        tf.mul(
                            x, tf.mul(1 / sqrt(2 * Math.PI), tf.exp(tf.mul(-0.5, tf.square(x)))))),
                    0,
                    1))
        .reference(x -> x == NEG_INF ? 0 : 0.5 * x * Erfc.value(-x * sqrt(0.5)))
        .referenceDerivative(
            x ->
                x == NEG_INF
                    ? 0
                    : x == POS_INF
                        ? 1
                        : 0.5 * Erfc.value(-x * sqrt(0.5))
                            + x * exp(-0.5 * x * x) / sqrt(2 * Math.PI))
        .build();
  }

  /**
   * Gaussian error linear unit, tanh approximation ({@code approximate=True}).
   *
   * <p>{@code gelu_tanh(x) = 0.5 * x * (1 + tanh(u))}, {@code u = sqrt(2/pi) * (x + 0.044715 *
   * x^3)}.
   *
   * <p>Derivative: {@code s + 2 x s (1 - s) u'}, s = sigmoid(2u), {@code u' = sqrt(2/pi) * (1 + 3 *
   * 0.044715 * x^2)}.
   *
   * <p>Numerics: written as the identical {@code x * sigmoid(2u)} so the left tail does not cancel
   * to 0. u and u' are evaluated on x clipped to [-30, 30], where sigmoid(2u) has saturated to
   * exactly 1 or 0 in both dtypes, so that x^3 and x^2 cannot overflow (they did from |x| = 7e12 in
   * float32: u = +-Inf, then 0 * Inf = NaN in the derivative). At +-Inf, the limits 0 and +Inf
   * (derivative 0 and 1).
   *
   * <p>Reference: <a href="https://arxiv.org/abs/1606.08415">Hendrycks &amp; Gimpel, 2016</a>.
   *
   * @return {@code gelu_tanh}, the tanh approximation
   */
  public static ElementWise geluTanh() {
    return ElementWise.named("gelu_tanh")
        .formula("0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))")
        .param("approximate", true)
        .forward(
            (tf, x) -> {
              var xc = tf.clip(x, -GELU_TANH_SATURATED, GELU_TANH_SATURATED);
              return tf.limitsAtInf(x, tf.mul(x, tf.sigmoid(tf.mul(2, geluU(tf, xc)))), 0, POS_INF);
            })
        .derivative(
            (tf, x) -> {
              var xc = tf.clip(x, -GELU_TANH_SATURATED, GELU_TANH_SATURATED);
              var s = tf.sigmoid(tf.mul(2, geluU(tf, xc)));
              var sMinus = tf.sigmoid(tf.mul(-2, geluU(tf, xc)));
              var du = tf.mul(SQRT_2_OVER_PI, tf.add(tf.mul(3 * GELU_COEFF, tf.square(xc)), 1));
              // the second term is exactly 0 beyond |x| = 30 (s * sMinus = 0): xc for x there
              var d = tf.add(s, tf.mul(tf.mul(2, xc), tf.mul(tf.mul(s, sMinus), du)));
              return tf.limitsAtInf(x, d, 0, 1);
            })
        .reference(x -> x == NEG_INF ? 0 : x * sigmoidRef(2 * geluU(x)))
        .referenceDerivative(
            x -> {
              if (x == NEG_INF) return 0;
              if (x == POS_INF) return 1;
              double u = geluU(x);
              double du = SQRT_2_OVER_PI * (1 + 3 * GELU_COEFF * x * x);
              double s = sigmoidRef(2 * u);
              double sMinus = sigmoidRef(-2 * u);
              // where s * sMinus underflows to 0, the second term is below 1e-300 (it decays as
              // exp(-0.07 |x|^3) and grows as x^3): 0, rather than 0 * Inf once du overflows
              return s * sMinus == 0 ? s : s + 2 * x * s * sMinus * du;
            })
        .build();
  }

  /**
   * Gated linear unit over the last axis ({@code axis=-1}).
   *
   * <p>{@code glu(x) = a * sigmoid(b)}, where a, b = split(x, 2, axis=-1): a row of n gives n/2.
   *
   * <p>Vector-Jacobian product: {@code [g * sigmoid(b), g * a * sigmoid(b) * sigmoid(-b)]}.
   *
   * <p>Numerics: the VJP multiplies g by {@code a * sigmoid(b) * sigmoid(-b)} (at most |a| / 4),
   * not g * a by the sigmoids: with |a| near the dtype's max, g * a overflows, and times a
   * saturated sigmoid(b) * sigmoid(-b) = 0 is NaN. (TF's autodiff of {@code a * sigmoid(b)} forms g
   * * a all the same: it overflows for |g * a| beyond the max.)
   *
   * <p>Reference: <a href="https://arxiv.org/abs/1612.08083">Dauphin et al., 2017</a>.
   *
   * @return {@code glu} over the last axis
   */
  public static RowWise glu() {
    return RowWise.named("glu")
        .formula("a * sigmoid(b), where a, b = split(x, 2, axis=-1)")
        .param("axis", -1)
        .forward(
            (tf, x) -> {
              var halves = tf.ops.split(tf.ops.constant(-1), x, 2L).output();
              return tf.mul(halves.get(0), tf.sigmoid(halves.get(1)));
            })
        .vjp(
            (tf, x, g) -> {
              var halves = tf.ops.split(tf.ops.constant(-1), x, 2L).output();
              var a = halves.get(0);
              var b = halves.get(1);
              var da = tf.mul(g, tf.sigmoid(b));
              var db = tf.mul(g, tf.mul(a, tf.mul(tf.sigmoid(b), tf.sigmoid(tf.neg(b)))));
              return tf.ops.concat(List.of(da, db), tf.ops.constant(-1));
            })
        .reference(
            x -> {
              int k = x.length / 2;
              double[] y = new double[k];
              for (int i = 0; i < k; i++) y[i] = x[i] * sigmoidRef(x[k + i]);
              return y;
            })
        .referenceVjp(
            (x, g) -> {
              int k = x.length / 2;
              double[] out = new double[x.length];
              for (int i = 0; i < k; i++) {
                double b = x[k + i];
                out[i] = g[i] * sigmoidRef(b);
                out[k + i] = g[i] * (x[i] * (sigmoidRef(b) * sigmoidRef(-b)));
              }
              return out;
            })
        .outputWidth(n -> n / 2)
        .build();
  }

  /**
   * Hard shrink activation.
   *
   * <p>{@code hard_shrink(x) = x if |x| > threshold else 0}.
   *
   * <p>Derivative: 1 where |x| > threshold, else 0 (0 at the kinks +-threshold).
   *
   * <p>Numerics: NaN in gives NaN out.
   *
   * @param threshold Keras's {@code threshold} (default 0.5)
   * @return {@code hard_shrink} with this threshold
   */
  public static ElementWise hardShrink(double threshold) {
    return ElementWise.named("hard_shrink")
        .formula("x if |x| > threshold else 0")
        .param("threshold", threshold)
        .forward((tf, x) -> tf.keepNan(x, tf.where(tf.gt(tf.abs(x), threshold), x, tf.c(0))))
        .derivative((tf, x) -> tf.where(tf.gt(tf.abs(x), threshold), tf.c(1), tf.c(0)))
        .reference(x -> Double.isNaN(x) ? x : abs(x) > threshold ? x : 0)
        .referenceDerivative(x -> abs(x) > threshold ? 1 : 0)
        .kinks(-threshold, threshold)
        .build();
  }

  /**
   * Hard sigmoid activation, as Keras 3 defines it (not the framework's {@code 0.2x + 0.5}).
   *
   * <p>{@code hard_sigmoid(x) = relu6(x + 3) / 6 = clip(x / 6 + 1/2, 0, 1)}.
   *
   * <p>Derivative: 1/6 on (-3, 3), 0 elsewhere (0 at the kinks +-3, as Relu6Grad).
   *
   * <p>Reference: <a href="https://en.wikipedia.org/wiki/Hard_sigmoid">Wikipedia, "Hard
   * sigmoid"</a> (Keras's citation).
   *
   * @return {@code hard_sigmoid}
   */
  public static ElementWise hardSigmoid() {
    return ElementWise.named("hard_sigmoid")
        .formula("relu6(x + 3) / 6")
        .forward((tf, x) -> tf.div(tf.relu6(tf.add(x, 3)), 6))
        .derivative((tf, x) -> tf.where(tf.and(tf.gt(x, -3), tf.lt(x, 3)), tf.c(1.0 / 6), tf.c(0)))
        .reference(x -> min(max(x + 3, 0), 6) / 6)
        .referenceDerivative(x -> x > -3 && x < 3 ? 1.0 / 6 : 0)
        .kinks(-3, 3)
        .build();
  }

  /**
   * Hard SiLU (hard swish) activation.
   *
   * <p>{@code hard_silu(x) = x * relu6(x + 3) / 6}.
   *
   * <p>Derivative: {@code (2x + 3) / 6} on (-3, 3), 0 below, 1 from 3 on (0 at the kink -3, 1 at
   * the kink 3).
   *
   * <p>Numerics: the limit 0 at -Inf (not -Inf * 0 = NaN); x times relu6(x + 3) / 6, not x *
   * relu6(x + 3) then / 6, which overflows for x near the max.
   *
   * <p>Reference: <a href="https://arxiv.org/abs/1905.02244">Howard et al., 2019</a>.
   *
   * @return {@code hard_silu} (alias {@code hard_swish})
   */
  public static ElementWise hardSilu() {
    return ElementWise.named("hard_silu")
        .formula("x * relu6(x + 3) / 6")
        .forward(
            (tf, x) -> tf.limitsAtInf(x, tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6)), 0, POS_INF))
        .derivative(
            (tf, x) ->
                tf.where(
                    tf.and(tf.gt(x, -3), tf.lt(x, 3)),
                    tf.div(tf.add(tf.mul(2, x), 3), 6),
                    tf.where(tf.ge(x, 3), tf.c(1), tf.c(0))))
        .reference(x -> x == NEG_INF ? 0 : x * (min(max(x + 3, 0), 6) / 6))
        .referenceDerivative(x -> x > -3 && x < 3 ? (2 * x + 3) / 6 : x >= 3 ? 1 : 0)
        .kinks(-3, 3)
        .build();
  }

  /**
   * Hard tanh activation.
   *
   * <p>{@code hard_tanh(x) = clip(x, -1, 1)} (min, then max, as {@code tf.clip_by_value}).
   *
   * <p>Derivative: 1 on [-1, 1], 0 outside (1 at the kinks +-1: both ops pass the gradient on
   * ties).
   *
   * @return {@code hard_tanh}
   */
  public static ElementWise hardTanh() {
    return ElementWise.named("hard_tanh")
        .formula("clip(x, -1, 1)")
        .forward((tf, x) -> tf.max(tf.min(x, 1), -1))
        .derivative((tf, x) -> tf.where(tf.and(tf.ge(x, -1), tf.le(x, 1)), tf.c(1), tf.c(0)))
        .reference(x -> max(min(x, 1), -1))
        .referenceDerivative(x -> x >= -1 && x <= 1 ? 1 : 0)
        .kinks(-1, 1)
        .build();
  }

  /**
   * Log-sigmoid activation.
   *
   * <p>{@code log_sigmoid(x) = log(sigmoid(x)) = -softplus(-x)}.
   *
   * <p>Derivative: {@code sigmoid(-x)}.
   *
   * <p>Numerics: written {@code -softplus(-x)}, which neither overflows nor loses the tails.
   *
   * @return {@code log_sigmoid}
   */
  public static ElementWise logSigmoid() {
    return ElementWise.named("log_sigmoid")
        .formula("log(1 / (1 + exp(-x)))")
        .forward((tf, x) -> tf.neg(tf.softplus(tf.neg(x))))
        .derivative((tf, x) -> tf.sigmoid(tf.neg(x)))
        .reference(x -> -softplusRef(-x))
        .referenceDerivative(x -> sigmoidRef(-x))
        .build();
  }

  /**
   * Log-softmax over the last axis ({@code axis=-1}).
   *
   * <p>{@code log_softmax(x) = x - log(sum(exp(x)))}, computed as {@code x - max(x) - log(sum(exp(x
   * - max(x))))}.
   *
   * <p>Vector-Jacobian product: {@code g - softmax(x) * sum(g)}.
   *
   * <p>Numerics: x - max(x) overflows (to -Inf) only where the answer itself is beyond the dtype's
   * range (a spread of the row beyond its max).
   *
   * @return {@code log_softmax} over the last axis
   */
  public static RowWise logSoftmax() {
    return RowWise.named("log_softmax")
        .formula("x - log(sum(exp(x))) over the last axis")
        .param("axis", -1)
        .forward((tf, x) -> tf.ops.nn.logSoftmax(x))
        .vjp((tf, x, g) -> tf.sub(g, tf.mul(tf.ops.nn.softmax(x), sumLast(tf, g))))
        .reference(
            x -> {
              double m = Arrays.stream(x).max().orElse(0);
              double s = 0;
              for (double v : x) s += exp(v - m);
              double logS = Math.log(s);
              // (x - max) - log(s), not x - (max + log(s)): max + log(s) rounds to max for large
              // max
              return Arrays.stream(x).map(v -> (v - m) - logS).toArray();
            })
        .referenceVjp(
            (x, g) -> {
              double[] y = softmaxRef(x);
              double sum = Arrays.stream(g).sum();
              double[] out = new double[x.length];
              for (int i = 0; i < x.length; i++) out[i] = g[i] - y[i] * sum;
              return out;
            })
        .build();
  }

  /**
   * Mish activation.
   *
   * <p>{@code mish(x) = x * tanh(softplus(x))}.
   *
   * <p>Derivative: {@code t + x * (1 - t^2) * sigmoid(x)}, t = tanh(softplus(x)).
   *
   * <p>Numerics: the limits at +-Inf (0 and +Inf; derivative 0 and 1), not Inf * 0 = NaN.
   *
   * <p>Reference: <a href="https://arxiv.org/abs/1908.08681">Misra, 2019</a>.
   *
   * @return {@code mish}
   */
  public static ElementWise mish() {
    return ElementWise.named("mish")
        .formula("x * tanh(softplus(x))")
        .forward((tf, x) -> tf.limitsAtInf(x, tf.mul(x, tf.tanh(tf.softplus(x))), 0, POS_INF))
        .derivative(
            (tf, x) -> {
              var t = tf.tanh(tf.softplus(x));
              var d = tf.add(t, tf.mul(tf.mul(x, tf.sub(1, tf.square(t))), tf.sigmoid(x)));
              return tf.limitsAtInf(x, d, 0, 1);
            })
        .reference(x -> x == NEG_INF ? 0 : x * Math.tanh(softplusRef(x)))
        .referenceDerivative(
            x -> {
              if (x == NEG_INF) return 0;
              if (x == POS_INF) return 1;
              double sp = softplusRef(x);
              double sech = 1 / Math.cosh(sp);
              return Math.tanh(sp) + x * sech * sech * sigmoidRef(x);
            })
        .build();
  }

  /**
   * ReLU6 activation.
   *
   * <p>{@code relu6(x) = min(max(x, 0), 6)}.
   *
   * <p>Derivative: 1 on (0, 6), else 0 (0 at the kinks 0 and 6, as Relu6Grad).
   *
   * @return {@code relu6}
   */
  public static ElementWise relu6() {
    return ElementWise.named("relu6")
        .formula("min(max(x, 0), 6)")
        .forward((tf, x) -> tf.relu6(x))
        .derivative((tf, x) -> tf.where(tf.and(tf.gt(x, 0), tf.lt(x, 6)), tf.c(1), tf.c(0)))
        .reference(x -> min(max(x, 0), 6))
        .referenceDerivative(x -> x > 0 && x < 6 ? 1 : 0)
        .kinks(0, 6)
        .build();
  }

  /**
   * Scaled exponential linear unit.
   *
   * <p>{@code selu(x) = scale * (x if x > 0 else alpha * (exp(x) - 1))}, with Keras's fixed {@code
   * alpha = 1.67326324} and {@code scale = 1.05070098}.
   *
   * <p>Derivative: scale for x >= 0 (so scale at the kink x = 0, as SeluGrad), {@code scale * alpha
   * * exp(x)} below.
   *
   * <p>Numerics: written with expm1, as {@link NotebookActivations#elu}.
   *
   * <p>Reference: <a href="https://arxiv.org/abs/1706.02515">Klambauer et al., 2017</a>.
   *
   * @return {@code selu}
   */
  public static ElementWise selu() {
    return ElementWise.named("selu")
        .formula("scale * (x if x > 0 else alpha * (exp(x) - 1))")
        .forward(
            (tf, x) ->
                tf.mul(
                    SELU_SCALE,
                    tf.where(tf.ge(x, 0), x, tf.mul(SELU_ALPHA, tf.expm1(tf.min(x, 0))))))
        .derivative(
            (tf, x) ->
                tf.where(tf.lt(x, 0), tf.mul(SELU_SCALE * SELU_ALPHA, tf.exp(x)), tf.c(SELU_SCALE)))
        .reference(x -> x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * expm1(x))
        .referenceDerivative(x -> x < 0 ? SELU_SCALE * SELU_ALPHA * exp(x) : SELU_SCALE)
        .kinks(0)
        .build();
  }

  /**
   * Sigmoid linear unit (SiLU), also known as swish.
   *
   * <p>{@code silu(x) = x * sigmoid(x)}.
   *
   * <p>Derivative: {@code sigmoid(x) * (1 + x * sigmoid(-x))}.
   *
   * <p>Numerics: the limits at +-Inf (0 and +Inf; derivative 0 and 1), not Inf * 0 = NaN.
   *
   * <p>Reference: <a href="https://arxiv.org/abs/1710.05941">Ramachandran et al., 2017</a>; <a
   * href="https://arxiv.org/abs/1702.03118">Elfwing et al., 2017</a>.
   *
   * @return {@code silu} (alias {@code swish})
   */
  public static ElementWise silu() {
    return ElementWise.named("silu")
        .formula("x * sigmoid(x)")
        .forward((tf, x) -> tf.limitsAtInf(x, tf.mul(x, tf.sigmoid(x)), 0, POS_INF))
        .derivative(
            (tf, x) ->
                tf.limitsAtInf(
                    x, tf.mul(tf.sigmoid(x), tf.add(tf.mul(x, tf.sigmoid(tf.neg(x))), 1)), 0, 1))
        .reference(x -> x == NEG_INF ? 0 : x * sigmoidRef(x))
        .referenceDerivative(
            x -> x == NEG_INF ? 0 : x == POS_INF ? 1 : sigmoidRef(x) * (1 + x * sigmoidRef(-x)))
        .build();
  }

  /**
   * Soft shrink activation.
   *
   * <p>{@code soft_shrink(x) = x - threshold if x > threshold, x + threshold if x < -threshold,
   * else 0}.
   *
   * <p>Derivative: 1 outside [-threshold, threshold], 0 inside (0 at the kinks +-threshold).
   *
   * <p>Numerics: NaN in gives NaN out.
   *
   * @param threshold Keras's {@code threshold} (default 0.5)
   * @return {@code soft_shrink} with this threshold
   */
  public static ElementWise softShrink(double threshold) {
    return ElementWise.named("soft_shrink")
        .formula("x - threshold if x > threshold, x + threshold if x < -threshold, else 0")
        .param("threshold", threshold)
        .forward(
            (tf, x) ->
                tf.keepNan(
                    x,
                    tf.where(
                        tf.gt(x, threshold),
                        tf.sub(x, threshold),
                        tf.where(tf.lt(x, -threshold), tf.add(x, threshold), tf.c(0)))))
        .derivative(
            (tf, x) -> tf.where(tf.or(tf.gt(x, threshold), tf.lt(x, -threshold)), tf.c(1), tf.c(0)))
        .reference(
            x ->
                Double.isNaN(x)
                    ? x
                    : x > threshold ? x - threshold : x < -threshold ? x + threshold : 0)
        .referenceDerivative(x -> x > threshold || x < -threshold ? 1 : 0)
        .kinks(-threshold, threshold)
        .build();
  }

  /**
   * Softplus activation.
   *
   * <p>{@code softplus(x) = log(exp(x) + 1)}.
   *
   * <p>Derivative: {@code sigmoid(x)}.
   *
   * <p>Numerics: TF's Softplus kernel and the reference ({@code x + log1p(exp(-x))} for x > 0) do
   * not overflow.
   *
   * @return {@code softplus}
   */
  public static ElementWise softplus() {
    return ElementWise.named("softplus")
        .formula("log(exp(x) + 1)")
        .forward((tf, x) -> tf.softplus(x))
        .derivative((tf, x) -> tf.sigmoid(x))
        .reference(Activations::softplusRef)
        .referenceDerivative(Activations::sigmoidRef)
        .build();
  }

  /**
   * Softsign activation.
   *
   * <p>{@code softsign(x) = x / (|x| + 1)}.
   *
   * <p>Derivative: {@code 1 / (|x| + 1)^2}.
   *
   * <p>Numerics: +-1 at +-Inf (TF's kernel gives Inf/Inf = NaN there).
   *
   * @return {@code softsign}
   */
  public static ElementWise softsign() {
    return ElementWise.named("softsign")
        .formula("x / (|x| + 1)")
        .forward((tf, x) -> tf.limitsAtInf(x, tf.ops.nn.softsign(x), -1, 1))
        .derivative((tf, x) -> tf.div(1, tf.square(tf.add(tf.abs(x), 1))))
        .reference(x -> Double.isInfinite(x) ? Math.signum(x) : x / (abs(x) + 1))
        .referenceDerivative(x -> 1 / ((abs(x) + 1) * (abs(x) + 1)))
        .build();
  }

  /**
   * Sparse plus activation.
   *
   * <p>{@code sparse_plus(x) = 0 if x <= -1, (x + 1)^2 / 4 if -1 < x < 1, x if x >= 1}.
   *
   * <p>Derivative: 0, {@code (x + 1) / 2}, 1 on the three pieces (continuous: 0 at -1, 1 at 1).
   *
   * <p>Numerics: NaN in gives NaN out. The square is taken of x clipped to [-1, 1], its piece:
   * where() passes the branch not taken a zero gradient, and TF's SquareGrad forms {@code 0 * 2 *
   * (x + 1)}, NaN once 2 (x + 1) overflows (at +-max).
   *
   * @return {@code sparse_plus}
   */
  public static ElementWise sparsePlus() {
    return ElementWise.named("sparse_plus")
        .formula("0 if x <= -1, (x + 1)^2 / 4 if -1 < x < 1, x if x >= 1")
        .forward(
            (tf, x) ->
                tf.keepNan(
                    x,
                    tf.where(
                        tf.le(x, -1),
                        tf.c(0),
                        tf.where(
                            tf.lt(x, 1),
                            tf.mul(0.25, tf.square(tf.add(tf.clip(x, -1, 1), 1))),
                            x))))
        .derivative(
            (tf, x) ->
                tf.where(
                    tf.le(x, -1),
                    tf.c(0),
                    tf.where(tf.lt(x, 1), tf.mul(0.5, tf.add(x, 1)), tf.c(1))))
        .reference(x -> Double.isNaN(x) ? x : x <= -1 ? 0 : x < 1 ? 0.25 * (x + 1) * (x + 1) : x)
        .referenceDerivative(x -> x <= -1 ? 0 : x < 1 ? 0.5 * (x + 1) : 1)
        .build();
  }

  /**
   * Sparse sigmoid activation.
   *
   * <p>{@code sparse_sigmoid(x) = 0 if x <= -1, (x + 1) / 2 if -1 < x < 1, 1 if x >= 1}.
   *
   * <p>Derivative: 1/2 on (-1, 1), else 0 (0 at the kinks +-1).
   *
   * <p>Numerics: NaN in gives NaN out.
   *
   * <p>Reference: <a href="https://arxiv.org/abs/1901.02324">Blondel, Martins &amp; Niculae,
   * 2019</a>.
   *
   * @return {@code sparse_sigmoid}
   */
  public static ElementWise sparseSigmoid() {
    return ElementWise.named("sparse_sigmoid")
        .formula("0 if x <= -1, (x + 1) / 2 if -1 < x < 1, 1 if x >= 1")
        .forward(
            (tf, x) ->
                tf.keepNan(
                    x,
                    tf.where(
                        tf.le(x, -1),
                        tf.c(0),
                        tf.where(tf.ge(x, 1), tf.c(1), tf.mul(0.5, tf.add(x, 1))))))
        .derivative((tf, x) -> tf.where(tf.and(tf.gt(x, -1), tf.lt(x, 1)), tf.c(0.5), tf.c(0)))
        .reference(x -> Double.isNaN(x) ? x : x <= -1 ? 0 : x >= 1 ? 1 : 0.5 * (x + 1))
        .referenceDerivative(x -> x > -1 && x < 1 ? 0.5 : 0)
        .kinks(-1, 1)
        .build();
  }

  /**
   * Sparsemax over the last axis ({@code axis=-1}).
   *
   * <p>{@code sparsemax(x) = max(x - tau(x), 0)}: the Euclidean projection of the row onto the
   * probability simplex, tau chosen so the row sums to 1.
   *
   * <p>Vector-Jacobian product: {@code s * (g - mean over s of g)}, s the support (x > tau).
   *
   * <p>Numerics: computed on the shifted row z = x - max(x), exact for sparsemax (sparsemax(x) =
   * sparsemax(x - c)): tau is then within [-1, 0], and the sums that find it stay small. On x
   * itself, 1 + k * x_(k) rounds to k * x_(k) for large x (in float32, [1e7, 1e7, 0, 0] gave [0, 0,
   * 0, 0] and [1e8, 1e8, 0, 0] gave [5e7, 5e7, 0, 0]) and sums of huge entries overflow. The
   * maximum carries no gradient (the Jacobian of the shifted row is the Jacobian: its rows sum to
   * 0), and z is floored at -2: entries below max(x) - 1 are outside the support anyway, and the
   * floor keeps -Inf (x - max(x) overflowing) out of the sums. The support is found by sorting (no
   * gradient needed); tau = (sum of z over the support - 1) / |support| is then written from z, so
   * autodiff gives the true Jacobian.
   *
   * <p>Reference: <a href="https://arxiv.org/abs/1602.02068">Martins &amp; Astudillo, 2016</a>.
   *
   * @return {@code sparsemax} over the last axis
   */
  public static RowWise sparsemax() {
    return RowWise.named("sparsemax")
        .formula("max(x - tau(x), 0), the projection onto the simplex")
        .param("axis", -1)
        .forward(
            (tf, x) -> {
              var z = sparsemaxShift(tf, x);
              return tf.relu(tf.sub(z, sparsemaxTau(tf, z)));
            })
        .vjp(
            (tf, x, g) -> {
              var z = sparsemaxShift(tf, x);
              var tau = tf.ops.stopGradient(sparsemaxTau(tf, z));
              var support = tf.ops.dtypes.cast(tf.gt(tf.sub(z, tau), 0), x.type());
              var meanG = tf.div(sumLast(tf, tf.mul(g, support)), sumLast(tf, support));
              return tf.mul(support, tf.sub(g, meanG));
            })
        .reference(
            x -> {
              double[] z = minusMax(x);
              double tau = sparsemaxTauRef(z);
              return Arrays.stream(z).map(v -> max(v - tau, 0)).toArray();
            })
        .referenceVjp(
            (x, g) -> {
              double[] z = minusMax(x);
              double tau = sparsemaxTauRef(z);
              double sum = 0;
              int n = 0;
              for (int i = 0; i < z.length; i++) {
                if (z[i] > tau) {
                  sum += g[i];
                  n++;
                }
              }
              double[] out = new double[z.length];
              for (int i = 0; i < z.length; i++) out[i] = z[i] > tau ? g[i] - sum / n : 0;
              return out;
            })
        .build();
  }

  /**
   * Squareplus activation.
   *
   * <p>{@code squareplus(x) = (x + sqrt(x^2 + b)) / 2}.
   *
   * <p>Derivative: {@code (1 + x / sqrt(x^2 + b)) / 2} (for {@code x < 0}: {@code b / (2 r (r -
   * x))}, r = sqrt(x^2 + b)).
   *
   * <p>Numerics: for {@code x < 0} it is evaluated as the identical {@code b / (2 * (sqrt(x^2 + b)
   * - x))}, since the literal form cancels to 0 in float32 for x below about -2000. r = sqrt(x^2 +
   * b) is taken as |x| beyond |x| = 2^28 sqrt(b): there x^2 + b rounds to x^2 in float32 and
   * float64, and sqrt(x^2) = |x| in binary floating point, so the value is the same, but x^2 (which
   * overflows float32 from |x| = 1.8e19, giving squareplus = Inf) is not formed.
   *
   * <p>Reference: <a href="https://arxiv.org/abs/2112.11687">Barron, 2021</a> (Keras cites it as
   * "Ramachandran et al., 2021").
   *
   * @param b Keras's {@code b}: the smoothness, squareplus(0) = sqrt(b) / 2 (default 4); in (0,
   *     1e20] (b = 0 is relu, whose derivative this form leaves 0/0 at 0; up to 1e20, (2^28
   *     sqrt(b))^2 stays well within float32)
   * @return {@code squareplus} with this b
   */
  public static ElementWise squareplus(double b) {
    if (!(b > 0 && b <= 1e20)) {
      throw new IllegalArgumentException("squareplus needs 0 < b <= 1e20, got " + b);
    }
    return ElementWise.named("squareplus")
        .formula("(x + sqrt(x^2 + b)) / 2")
        .param("b", b)
        .forward(
            (tf, x) -> {
              var neg = tf.min(x, 0); // each branch sees only its own half, so neither divides by 0
              var pos = tf.max(x, 0);
              var rNeg = squareplusRoot(tf, neg, b);
              var rPos = squareplusRoot(tf, pos, b);
              // halves added, not the sum halved: pos + rPos overflows for x beyond max / 2 (the
              // same bits otherwise: halving is exact and commutes with rounding)
              return tf.where(
                  tf.lt(x, 0),
                  tf.div(b, tf.mul(2, tf.sub(rNeg, neg))),
                  tf.add(tf.mul(0.5, pos), tf.mul(0.5, rPos)));
            })
        .derivative(
            (tf, x) -> {
              var neg = tf.min(x, 0);
              var pos = tf.max(x, 0);
              var rNeg = squareplusRoot(tf, neg, b);
              var rPos = squareplusRoot(tf, pos, b);
              return tf.limitsAtInf(
                  x,
                  tf.where(
                      tf.lt(x, 0),
                      tf.div(b, tf.mul(tf.mul(2, rNeg), tf.sub(rNeg, neg))),
                      tf.mul(0.5, tf.add(tf.div(pos, rPos), 1))),
                  0,
                  1);
            })
        .reference(
            x -> {
              double r = Math.hypot(x, sqrt(b)); // sqrt(x^2 + b), without overflow
              return x < 0 ? b / (2 * (r - x)) : 0.5 * x + 0.5 * r;
            })
        .referenceDerivative(
            x -> {
              if (Double.isInfinite(x)) return x > 0 ? 1 : 0;
              double r = Math.hypot(x, sqrt(b));
              return x < 0 ? b / (2 * r * (r - x)) : 0.5 * (1 + x / r);
            })
        .build();
  }

  /**
   * Tanh shrink activation.
   *
   * <p>{@code tanh_shrink(x) = x - tanh(x)}.
   *
   * <p>Derivative: {@code tanh(x)^2}.
   *
   * <p>Numerics: near 0 the difference cancels: its float32 error is relative to |x|, not to the
   * result.
   *
   * @return {@code tanh_shrink}
   */
  public static ElementWise tanhShrink() {
    return ElementWise.named("tanh_shrink")
        .formula("x - tanh(x)")
        .forward((tf, x) -> tf.sub(x, tf.tanh(x)))
        .derivative((tf, x) -> tf.square(tf.tanh(x)))
        .reference(x -> x - Math.tanh(x))
        .referenceDerivative(x -> Math.tanh(x) * Math.tanh(x))
        .build();
  }

  /**
   * Threshold activation.
   *
   * <p>{@code threshold(x) = x if x > threshold else default_value}.
   *
   * <p>Derivative: 1 above the threshold, 0 at (the kink) and below it.
   *
   * <p>Numerics: NaN in gives NaN out.
   *
   * @param threshold Keras's {@code threshold} (Keras gives no default; the catalogue uses 1.0)
   * @param defaultValue Keras's {@code default_value} (no default in Keras; the catalogue's 0.0)
   * @return {@code threshold} with these parameters
   */
  public static ElementWise threshold(double threshold, double defaultValue) {
    return ElementWise.named("threshold")
        .formula("x if x > threshold else default_value")
        .param("threshold", threshold)
        .param("default_value", defaultValue)
        .forward((tf, x) -> tf.keepNan(x, tf.where(tf.gt(x, threshold), x, tf.c(defaultValue))))
        .derivative((tf, x) -> tf.where(tf.gt(x, threshold), tf.c(1), tf.c(0)))
        .reference(x -> Double.isNaN(x) ? x : x > threshold ? x : defaultValue)
        .referenceDerivative(x -> x > threshold ? 1 : 0)
        .kinks(threshold)
        .build();
  }

  // ---------------------------------------------------------------- helpers

  private static double geluU(double x) {
    return SQRT_2_OVER_PI * (x + GELU_COEFF * x * x * x);
  }

  private static Operand<TFloating> geluU(FloatOps tf, Operand<TFloating> x) {
    return tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(GELU_COEFF, tf.mul(x, tf.square(x)))));
  }

  /**
   * sqrt(v^2 + b), as |v| beyond |v| = 2^28 sqrt(b), where it rounds to |v| in float32 and float64
   * (v^2 + b rounds to v^2, and sqrt(v^2) = |v| in binary floating point); v^2 is formed of v
   * clipped to that bound, so it cannot overflow, nor its zero gradient in the branch not taken be
   * 0 * Inf.
   */
  private static Operand<TFloating> squareplusRoot(FloatOps tf, Operand<TFloating> v, double b) {
    double bound = 0x1p28 * sqrt(b);
    var vc = tf.clip(v, -bound, bound);
    return tf.where(tf.gt(tf.abs(v), bound), tf.abs(v), tf.sqrt(tf.add(tf.square(vc), b)));
  }

  /**
   * The row minus its maximum (which carries no gradient), floored at -2: the row sparsemax works
   * on (see {@link #sparsemax()}).
   */
  private static Operand<TFloating> sparsemaxShift(FloatOps tf, Operand<TFloating> x) {
    var rowMax = tf.ops.reduceMax(x, tf.ops.constant(-1), ReduceMax.keepDims(true));
    return tf.max(tf.sub(x, tf.ops.stopGradient(rowMax)), -2);
  }

  /** The row minus its maximum, in double. */
  private static double[] minusMax(double[] x) {
    double m = Arrays.stream(x).max().orElse(0);
    return Arrays.stream(x).map(v -> v - m).toArray();
  }

  /** The sparsemax threshold tau, differentiable in x through the (sorted, fixed) support. */
  private static Operand<TFloating> sparsemaxTau(FloatOps tf, Operand<TFloating> x) {
    var ops = tf.ops;
    Operand<TInt32> n =
        ops.gather(ops.shape(x), ops.math.sub(ops.rank(x), ops.constant(1)), ops.constant(0));
    var sorted = ops.nn.topK(ops.stopGradient(x), n, new TopK.Options[0]).values();
    var k =
        ops.dtypes.cast(
            ops.range(ops.constant(1), ops.math.add(n, ops.constant(1)), ops.constant(1)),
            x.type());
    var cumsum = ops.math.cumsum(sorted, ops.constant(-1));
    // k is in the support when 1 + k * z_(k) > sum of the k largest
    var inSupport =
        ops.dtypes.cast(tf.gt(tf.sub(tf.add(tf.mul(k, sorted), 1), cumsum), 0), x.type());
    // tau from the sorted values (no gradient), then the support as a mask over x
    var tauFixed =
        tf.div(tf.sub(sumLast(tf, tf.mul(sorted, inSupport)), 1), sumLast(tf, inSupport));
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
