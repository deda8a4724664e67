package io.github.activationlab.activation;

import static java.lang.Math.exp;
import static java.lang.Math.log1p;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.family.TFloating;

/**
 * The activation catalogue: the notebook's nine ({@link NotebookActivations}, in its order),
 * then the rest of Keras 3's ({@link KerasActivations}, A-Z), found by their Keras names. Each
 * activation is defined once, in its class: TF forward, TF analytic derivative, plain-Java
 * reference of both. This class holds the catalogue and the helpers the definitions share.
 */
public final class Activations {
  private Activations() {}

  static final double NEG_INF = Double.NEGATIVE_INFINITY;
  static final double POS_INF = Double.POSITIVE_INFINITY;

  /** Every activation by name: the notebook's nine in its order, then Keras's others A-Z. */
  private static final Map<String, Activation> CATALOGUE = catalogue();

  /** Keras's other names for the same functions. */
  private static final Map<String, String> ALIASES =
      Map.of("swish", "silu", "hard_swish", "hard_silu");

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

  // ------------------------------------------------ the definitions, with other parameters
  // Each activation is defined in NotebookActivations or KerasActivations; these delegates keep
  // the factories callers used before the split (Keras loaders pass a file's parameters).

  /**
   * Keras 3's {@code relu(x, negative_slope, max_value, threshold)}; see {@link
   * NotebookActivations#relu(double, Double, double)}.
   */
  public static ElementWise relu(double negativeSlope, Double maxValue, double threshold) {
    return NotebookActivations.relu(negativeSlope, maxValue, threshold);
  }

  /** See {@link NotebookActivations#binaryStep(double)}. */
  public static ElementWise binaryStep(double threshold) {
    return NotebookActivations.binaryStep(threshold);
  }

  /** See {@link NotebookActivations#linear()}. */
  public static ElementWise linear() {
    return NotebookActivations.linear();
  }

  /** See {@link NotebookActivations#sigmoid()}. */
  public static ElementWise sigmoid() {
    return NotebookActivations.sigmoid();
  }

  /** See {@link NotebookActivations#tanh()}. */
  public static ElementWise tanh() {
    return NotebookActivations.tanh();
  }

  /** See {@link NotebookActivations#leakyRelu(double)}. */
  public static ElementWise leakyRelu(double negativeSlope) {
    return NotebookActivations.leakyRelu(negativeSlope);
  }

  /** See {@link NotebookActivations#prelu(double)}. */
  public static ElementWise prelu(double alpha) {
    return NotebookActivations.prelu(alpha);
  }

  /** See {@link NotebookActivations#elu(double)}. */
  public static ElementWise elu(double alpha) {
    return NotebookActivations.elu(alpha);
  }

  /** See {@link NotebookActivations#softmax()}. */
  public static RowWise softmax() {
    return NotebookActivations.softmax();
  }

  /** See {@link KerasActivations#celu(double)}. */
  public static ElementWise celu(double alpha) {
    return KerasActivations.celu(alpha);
  }

  /** See {@link KerasActivations#exponential()}. */
  public static ElementWise exponential() {
    return KerasActivations.exponential();
  }

  /** See {@link KerasActivations#gelu()}. */
  public static ElementWise gelu() {
    return KerasActivations.gelu();
  }

  /** See {@link KerasActivations#geluTanh()}. */
  public static ElementWise geluTanh() {
    return KerasActivations.geluTanh();
  }

  /** See {@link KerasActivations#glu()}. */
  public static RowWise glu() {
    return KerasActivations.glu();
  }

  /** See {@link KerasActivations#hardSigmoid()}. */
  public static ElementWise hardSigmoid() {
    return KerasActivations.hardSigmoid();
  }

  /** See {@link KerasActivations#hardSilu()}. */
  public static ElementWise hardSilu() {
    return KerasActivations.hardSilu();
  }

  /** See {@link KerasActivations#hardTanh()}. */
  public static ElementWise hardTanh() {
    return KerasActivations.hardTanh();
  }

  /** See {@link KerasActivations#hardShrink(double)}. */
  public static ElementWise hardShrink(double threshold) {
    return KerasActivations.hardShrink(threshold);
  }

  /** See {@link KerasActivations#logSigmoid()}. */
  public static ElementWise logSigmoid() {
    return KerasActivations.logSigmoid();
  }

  /** See {@link KerasActivations#logSoftmax()}. */
  public static RowWise logSoftmax() {
    return KerasActivations.logSoftmax();
  }

  /** See {@link KerasActivations#mish()}. */
  public static ElementWise mish() {
    return KerasActivations.mish();
  }

  /** See {@link KerasActivations#relu6()}. */
  public static ElementWise relu6() {
    return KerasActivations.relu6();
  }

  /** See {@link KerasActivations#selu()}. */
  public static ElementWise selu() {
    return KerasActivations.selu();
  }

  /** See {@link KerasActivations#silu()}. */
  public static ElementWise silu() {
    return KerasActivations.silu();
  }

  /** See {@link KerasActivations#softShrink(double)}. */
  public static ElementWise softShrink(double threshold) {
    return KerasActivations.softShrink(threshold);
  }

  /** See {@link KerasActivations#softplus()}. */
  public static ElementWise softplus() {
    return KerasActivations.softplus();
  }

  /** See {@link KerasActivations#softsign()}. */
  public static ElementWise softsign() {
    return KerasActivations.softsign();
  }

  /** See {@link KerasActivations#sparsemax()}. */
  public static RowWise sparsemax() {
    return KerasActivations.sparsemax();
  }

  /** See {@link KerasActivations#sparsePlus()}. */
  public static ElementWise sparsePlus() {
    return KerasActivations.sparsePlus();
  }

  /** See {@link KerasActivations#sparseSigmoid()}. */
  public static ElementWise sparseSigmoid() {
    return KerasActivations.sparseSigmoid();
  }

  /** See {@link KerasActivations#squareplus(double)}. */
  public static ElementWise squareplus(double b) {
    return KerasActivations.squareplus(b);
  }

  /** See {@link KerasActivations#tanhShrink()}. */
  public static ElementWise tanhShrink() {
    return KerasActivations.tanhShrink();
  }

  /** See {@link KerasActivations#threshold(double, double)}. */
  public static ElementWise threshold(double threshold, double defaultValue) {
    return KerasActivations.threshold(threshold, defaultValue);
  }

  /**
   * PReLU with alpha an operand (a trainable variable in a layer), broadcast against x: {@code
   * relu(x) - alpha * relu(-x)}, as Keras's {@code PReLU} layer; see {@link
   * NotebookActivations#prelu(double)}.
   */
  public static Operand<TFloating> prelu(
      FloatOps tf, Operand<TFloating> x, Operand<TFloating> alpha) {
    return tf.sub(tf.relu(x), tf.mul(alpha, tf.relu(tf.neg(x))));
  }

  private static Map<String, Activation> catalogue() {
    List<Activation> all = new ArrayList<>(NotebookActivations.all());
    all.addAll(KerasActivations.all());
    Map<String, Activation> m = new LinkedHashMap<>();
    for (Activation a : all) {
      if (m.put(a.name(), a) != null) throw new IllegalStateException("twice: " + a.name());
    }
    return Collections.unmodifiableMap(m);
  }

  // ---------------------------------------------------------------- shared helpers

  /** Sigmoid in double, without overflow: branches on the sign of x. */
  static double sigmoidRef(double x) {
    return x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x));
  }

  /** Softplus in double, without overflow. */
  static double softplusRef(double x) {
    return x > 0 ? x + log1p(exp(-x)) : log1p(exp(x));
  }

  /** Softmax of a row in double, the row maximum subtracted. */
  static double[] softmaxRef(double[] x) {
    double m = Arrays.stream(x).max().orElse(0);
    double[] e = Arrays.stream(x).map(v -> exp(v - m)).toArray();
    double s = Arrays.stream(e).sum();
    return Arrays.stream(e).map(v -> v / s).toArray();
  }

  /** Sum over the last axis, keeping it (so it broadcasts back against the row). */
  static Operand<TFloating> sumLast(FloatOps tf, Operand<TFloating> x) {
    return tf.ops.reduceSum(x, tf.ops.constant(-1), ReduceSum.keepDims(true));
  }
}
