package io.github.activationlab.activation;

import static io.github.activationlab.activation.Activations.POS_INF;
import static io.github.activationlab.activation.Activations.sigmoidRef;
import static io.github.activationlab.activation.Activations.softmaxRef;
import static io.github.activationlab.activation.Activations.sumLast;
import static java.lang.Math.exp;
import static java.lang.Math.expm1;
import static java.lang.Math.max;
import static java.lang.Math.min;

import io.github.activationlab.tf.FloatOps;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * The notebook's nine activations, in its order, with its parameters: binary step, linear, sigmoid,
 * tanh, ReLU, leaky ReLU, PReLU, ELU and softmax. Each is defined once, in the style of Keras's
 * {@code activations.py}: TF forward, TF analytic derivative, and a plain-Java reference of both.
 *
 * <p>Derivatives at kinks are the one-sided values TensorFlow's gradient kernels give (stated per
 * definition, pinned by tests).
 */
public final class NotebookActivations {
  private NotebookActivations() {}

  /** The nine, in the notebook's order, with the notebook's parameters. */
  static List<Activation> all() {
    return List.of(
        binaryStep(0),
        linear(),
        sigmoid(),
        tanh(),
        relu(0, null, 0),
        leakyRelu(0.01),
        prelu(0.1),
        elu(1.0),
        softmax());
  }

  /**
   * Binary step (the notebook's {@code binary_step}; not in Keras).
   *
   * <p>{@code binary_step(x) = 0 if x < threshold else 1}.
   *
   * <p>Derivative: 0 wherever it exists; undefined at the threshold, where 0 is stated. TensorFlow
   * has no gradient for it: a comparison feeding a select is not differentiable, so {@code
   * tf.gradients} gives nothing and the autodiff derivative is taken as 0.
   *
   * <p>Numerics: NaN in gives NaN out (a comparison alone would give 1).
   *
   * @param threshold where the step is (the notebook's: 0)
   * @return {@code binary_step} with this threshold
   */
  public static ElementWise binaryStep(double threshold) {
    return ElementWise.named("binary_step")
        .formula("0 if x < threshold else 1")
        .param("threshold", threshold)
        .forward((tf, x) -> tf.keepNan(x, tf.where(tf.lt(x, threshold), tf.c(0), tf.c(1))))
        .derivative((tf, x) -> tf.keepNan(x, tf.zeros(x)))
        .reference(x -> Double.isNaN(x) ? x : x < threshold ? 0 : 1)
        .referenceDerivative(x -> Double.isNaN(x) ? x : 0)
        .kinks(threshold)
        .build();
  }

  /**
   * Linear (identity) activation.
   *
   * <p>{@code linear(x) = x}.
   *
   * <p>Derivative: 1 (the notebook's {@code dev_linear}).
   *
   * @return {@code linear}
   */
  public static ElementWise linear() {
    return ElementWise.named("linear")
        .formula("x")
        .forward((tf, x) -> tf.ops.identity(x))
        .derivative((tf, x) -> tf.full(x, 1))
        .reference(x -> x)
        .referenceDerivative(x -> 1)
        .build();
  }

  /**
   * Sigmoid activation.
   *
   * <p>{@code sigmoid(x) = 1 / (1 + exp(-x))}.
   *
   * <p>Derivative: {@code sigmoid(x) * (1 - sigmoid(x))}, written {@code sigmoid(x) * sigmoid(-x)},
   * which keeps full relative precision in both tails.
   *
   * <p>Numerics: the notebook's {@code 1/(1+np.exp(-x))} overflows exp for {@code x < -88.7} in
   * float32; TF's Sigmoid kernel and the reference (which branches on the sign of x) do not.
   *
   * @return {@code sigmoid}
   */
  public static ElementWise sigmoid() {
    return ElementWise.named("sigmoid")
        .formula("1 / (1 + exp(-x))")
        .forward((tf, x) -> tf.sigmoid(x))
        .derivative((tf, x) -> tf.mul(tf.sigmoid(x), tf.sigmoid(tf.neg(x))))
        .reference(Activations::sigmoidRef)
        .referenceDerivative(x -> sigmoidRef(x) * sigmoidRef(-x))
        .build();
  }

  /**
   * Hyperbolic tangent activation.
   *
   * <p>{@code tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))}.
   *
   * <p>Derivative: {@code 1 - tanh(x)^2} (the notebook's {@code dev_tanh}).
   *
   * <p>Numerics: the notebook computes the quotient of exponentials literally, which is Inf/Inf =
   * NaN for |x| >= 89 in float32; TF's Tanh kernel is used instead.
   *
   * @return {@code tanh}
   */
  public static ElementWise tanh() {
    return ElementWise.named("tanh")
        .formula("(exp(x) - exp(-x)) / (exp(x) + exp(-x))")
        .forward((tf, x) -> tf.tanh(x))
        .derivative((tf, x) -> tf.sub(1, tf.square(tf.tanh(x))))
        .reference(Math::tanh)
        .referenceDerivative(x -> 1 / (Math.cosh(x) * Math.cosh(x)))
        .build();
  }

  /**
   * Rectified linear unit, Keras 3's {@code relu(x, negative_slope=0.0, max_value=None,
   * threshold=0.0)}.
   *
   * <p>{@code relu(x) = x if x > threshold} (clipped at {@code max_value}), otherwise {@code
   * negative_slope * (x - threshold)}; with the defaults {@code max(x, 0)}.
   *
   * <p>Derivative: with the defaults, 1 for x > 0 and 0 for {@code x <= 0}: <b>0 at the kink x =
   * 0</b>, as TF's {@code ReluGrad} gives. Otherwise, at each kink, the value Keras's {@code
   * ReLU.static_call} gives under autodiff: the general case is written op for op as it is.
   *
   * <p>Reference: <a href="https://www.cs.toronto.edu/~hinton/absps/reluICML.pdf">Nair &amp;
   * Hinton, 2010</a>.
   *
   * @param negativeSlope Keras's {@code negative_slope}: the slope below the threshold (0)
   * @param maxValue Keras's {@code max_value}: where the output saturates; {@code null} for none
   * @param threshold Keras's {@code threshold}: below it, values are damped or set to 0 (0)
   * @return {@code relu} with these parameters (the notebook's: {@code relu(0, null, 0)})
   */
  public static ElementWise relu(double negativeSlope, Double maxValue, double threshold) {
    var relu =
        ElementWise.named("relu")
            .param("negative_slope", negativeSlope)
            .param("max_value", maxValue)
            .param("threshold", threshold)
            .kinks(threshold);
    if (negativeSlope == 0 && maxValue == null && threshold == 0) {
      return relu.formula("max(x, 0)")
          .forward((tf, x) -> tf.relu(x))
          .derivative((tf, x) -> tf.where(tf.gt(x, 0), tf.c(1), tf.c(0)))
          .reference(x -> max(x, 0))
          .referenceDerivative(x -> x > 0 ? 1 : 0)
          .build();
    }
    // The general case follows Keras's ReLU.static_call op for op, so the kinks match.
    boolean leaky = negativeSlope != 0 && maxValue == null && threshold == 0;
    boolean relu6 = maxValue != null && maxValue == 6 && threshold == 0;
    boolean clip = maxValue != null && !relu6;
    double cap = maxValue == null ? POS_INF : maxValue;
    DoubleUnaryOperator positive =
        x -> threshold != 0 ? x * (x > threshold ? 1 : 0) : relu6 ? min(max(x, 0), 6) : max(x, 0);
    return relu.formula(
            "x if x > threshold (at most max_value) else negative_slope * (x - threshold)")
        .forward(
            (tf, x) -> {
              if (leaky) return tf.where(tf.gt(x, 0), x, tf.mul(negativeSlope, x));
              var y =
                  threshold != 0
                      ? tf.mul(x, tf.ops.dtypes.cast(tf.gt(x, threshold), x.type()))
                      : relu6 ? tf.relu6(x) : tf.relu(x);
              if (clip) y = tf.max(tf.min(y, cap), 0);
              return tf.sub(y, tf.mul(negativeSlope, tf.relu(tf.sub(threshold, x))));
            })
        .derivative(
            (tf, x) -> {
              if (leaky) return tf.where(tf.gt(x, 0), tf.c(1), tf.c(negativeSlope));
              var d =
                  threshold != 0
                      ? tf.where(tf.gt(x, threshold), tf.c(1), tf.c(0))
                      : relu6
                          ? tf.where(tf.and(tf.gt(x, 0), tf.lt(x, 6)), tf.c(1), tf.c(0))
                          : tf.where(tf.gt(x, 0), tf.c(1), tf.c(0));
              if (clip) {
                var p =
                    threshold != 0
                        ? tf.mul(x, tf.ops.dtypes.cast(tf.gt(x, threshold), x.type()))
                        : tf.relu(x);
                d = tf.where(tf.and(tf.le(p, cap), tf.ge(tf.min(p, cap), 0)), d, tf.c(0));
              }
              return tf.add(d, tf.where(tf.lt(x, threshold), tf.c(negativeSlope), tf.c(0)));
            })
        .reference(
            x -> {
              if (leaky) return x > 0 ? x : x * negativeSlope;
              double y = positive.applyAsDouble(x);
              if (clip) y = max(min(y, cap), 0);
              return y - negativeSlope * max(threshold - x, 0);
            })
        .referenceDerivative(
            x -> {
              if (leaky) return x > 0 ? 1 : negativeSlope;
              double d =
                  threshold != 0
                      ? (x > threshold ? 1 : 0)
                      : relu6 ? (x > 0 && x < 6 ? 1 : 0) : (x > 0 ? 1 : 0);
              double p = positive.applyAsDouble(x);
              if (clip && !(p <= cap && min(p, cap) >= 0)) d = 0;
              return d + (threshold - x > 0 ? negativeSlope : 0);
            })
        .build();
  }

  /**
   * Leaky rectified linear unit.
   *
   * <p>{@code leaky_relu(x) = x if x > 0 else negative_slope * x}.
   *
   * <p>Derivative: 1 for x > 0, {@code negative_slope} for {@code x <= 0}, so {@code
   * negative_slope} at the kink x = 0, as TF's {@code LeakyReluGrad}.
   *
   * <p>Numerics: written as a select rather than TF's {@code LeakyRelu}, whose slope is a float32
   * attribute (0.01f != 0.01 in float64); the derivative convention at 0 is the same.
   *
   * <p>Reference: <a href="https://ai.stanford.edu/~amaas/papers/relu_hybrid_icml2013_final.pdf">
   * Maas et al., 2013</a>.
   *
   * @param negativeSlope Keras's {@code negative_slope}: the slope for {@code x <= 0} (the
   *     notebook's 0.01, {@code max(0.01*x, x)}; Keras's default is 0.2)
   * @return {@code leaky_relu} with this slope
   */
  public static ElementWise leakyRelu(double negativeSlope) {
    return ElementWise.named("leaky_relu")
        .formula("x if x > 0 else negative_slope * x")
        .param("negative_slope", negativeSlope)
        .forward((tf, x) -> tf.where(tf.gt(x, 0), x, tf.mul(negativeSlope, x)))
        .derivative((tf, x) -> tf.where(tf.gt(x, 0), tf.c(1), tf.c(negativeSlope)))
        .reference(x -> x > 0 ? x : negativeSlope * x)
        .referenceDerivative(x -> x > 0 ? 1 : negativeSlope)
        .kinks(0)
        .build();
  }

  /**
   * Parametric rectified linear unit (Keras's {@code PReLU} layer, with a fixed alpha).
   *
   * <p>{@code prelu(x) = relu(x) - alpha * relu(-x)}, written as Keras's layer writes it, so that
   * alpha can be a trained variable ({@link Activations#prelu(FloatOps, org.tensorflow.Operand,
   * org.tensorflow.Operand)}). The notebook's {@code max(alpha*x, x)} is the same for {@code alpha
   * < 1}.
   *
   * <p>Derivative: 1 for x > 0, alpha for {@code x < 0} and <b>0 at the kink x = 0</b> (both
   * ReluGrads are 0 there); d/d alpha = {@code -relu(-x) = min(x, 0)}.
   *
   * <p>Reference: <a href="https://arxiv.org/abs/1502.01852">He et al., 2015</a>.
   *
   * @param alpha the slope for {@code x < 0} (Keras's layer weight {@code alpha}; the notebook's
   *     0.1)
   * @return {@code prelu} with this fixed alpha
   */
  public static ElementWise prelu(double alpha) {
    return ElementWise.named("prelu")
        .formula("relu(x) - alpha * relu(-x)")
        .param("alpha", alpha)
        .forward((tf, x) -> Activations.prelu(tf, x, tf.c(alpha)))
        .derivative(
            (tf, x) -> tf.where(tf.gt(x, 0), tf.c(1), tf.where(tf.lt(x, 0), tf.c(alpha), tf.c(0))))
        .reference(x -> max(x, 0) - alpha * max(-x, 0))
        .referenceDerivative(x -> x > 0 ? 1 : x < 0 ? alpha : 0)
        .kinks(0)
        .build();
  }

  /**
   * Exponential linear unit.
   *
   * <p>{@code elu(x) = x if x > 0 else alpha * (exp(x) - 1)}.
   *
   * <p>Derivative: 1 for x > 0, {@code alpha * exp(x)} for {@code x <= 0} (the notebook's {@code
   * dev_elu}: {@code elu(x) + alpha}), so alpha at x = 0 (continuous for alpha = 1).
   *
   * <p>Numerics: written with {@code expm1}: TF's {@code Elu} kernel computes {@code exp(x) - 1},
   * which loses relative precision near 0 (1.3e-6 at x = -0.03 in float32, and elu(-1e-40) = 0 in
   * float64). expm1 runs on {@code min(x, 0)} so that the branch not taken stays finite and its
   * zero gradient is not 0 * Inf = NaN.
   *
   * <p>Reference: <a href="https://arxiv.org/abs/1511.07289">Clevert et al., 2016</a>.
   *
   * @param alpha Keras's {@code alpha}: ELU tends to -alpha as x -> -Inf (1.0, the notebook's)
   * @return {@code elu} with this alpha
   */
  public static ElementWise elu(double alpha) {
    return ElementWise.named("elu")
        .formula("x if x > 0 else alpha * (exp(x) - 1)")
        .param("alpha", alpha)
        .forward((tf, x) -> tf.where(tf.gt(x, 0), x, tf.mul(alpha, tf.expm1(tf.min(x, 0)))))
        .derivative((tf, x) -> tf.where(tf.gt(x, 0), tf.c(1), tf.mul(alpha, tf.exp(x))))
        .reference(x -> x > 0 ? x : alpha * expm1(x))
        .referenceDerivative(x -> x > 0 ? 1 : alpha * exp(x))
        .build();
  }

  /**
   * Softmax over the last axis ({@code axis=-1}).
   *
   * <p>{@code softmax(x) = exp(x - max(x)) / sum(exp(x - max(x)))}.
   *
   * <p>Vector-Jacobian product: {@code y * (g - sum(g * y))}, y = softmax(x).
   *
   * <p>Numerics: subtracting the row maximum keeps exp from overflowing (TF's kernel does the
   * same).
   *
   * @return {@code softmax} over the last axis
   */
  public static RowWise softmax() {
    return RowWise.named("softmax")
        .formula("exp(x - max(x)) / sum(exp(x - max(x))) over the last axis")
        .param("axis", -1)
        .forward((tf, x) -> tf.ops.nn.softmax(x))
        .vjp(
            (tf, x, g) -> {
              var y = tf.ops.nn.softmax(x);
              return tf.mul(y, tf.sub(g, sumLast(tf, tf.mul(g, y))));
            })
        .reference(Activations::softmaxRef)
        .referenceVjp(
            (x, g) -> {
              double[] y = softmaxRef(x);
              double dot = 0;
              for (int i = 0; i < y.length; i++) dot += g[i] * y[i];
              double[] out = new double[y.length];
              for (int i = 0; i < y.length; i++) out[i] = y[i] * (g[i] - dot);
              return out;
            })
        .build();
  }
}
