package io.github.activationlab.activation;

import static java.lang.Math.exp;
import static java.lang.Math.log1p;

import io.github.activationlab.tf.FloatOps;
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
 * The activation catalogue: the notebook's nine ({@link NotebookActivations}, in its order), then
 * the rest of Keras 3's ({@link KerasActivations}, A-Z), found by their Keras names. Each
 * activation is defined once, in its class: TF forward, TF analytic derivative, plain-Java
 * reference of both. This class holds the catalogue and the helpers the definitions share.
 *
 * <p>The catalogue's parameters are the notebook's where it has them (leaky_relu's slope 0.01,
 * prelu's alpha 0.1), otherwise Keras's defaults; other parameters come from the factories ({@code
 * NotebookActivations.leakyRelu(0.2)}). Everything here is immutable and safe from any thread.
 *
 * <pre>{@code
 * Activation gelu = Activations.get("gelu");
 * for (String name : Activations.NOTEBOOK) System.out.println(Activations.get(name).formula());
 * }</pre>
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

  /**
   * The names of the notebook's nine, in its order: binary_step, linear, sigmoid, tanh, relu,
   * leaky_relu, prelu, elu, softmax (unmodifiable).
   */
  public static final List<String> NOTEBOOK =
      List.of(
          "binary_step",
          "linear",
          "sigmoid",
          "tanh",
          "relu",
          "leaky_relu",
          "prelu",
          "elu",
          "softmax");

  /**
   * Every activation of the catalogue, once each (aliases are not repeated).
   *
   * @return an unmodifiable view: the notebook's nine in its order, then Keras's others A-Z
   */
  public static Collection<Activation> all() {
    return CATALOGUE.values();
  }

  /**
   * The catalogue's names, in the order of {@link #all()}.
   *
   * @return an unmodifiable list; the aliases {@code swish} and {@code hard_swish} are not in it
   */
  public static List<String> names() {
    return List.copyOf(CATALOGUE.keySet());
  }

  /**
   * The activation with this Keras name (or alias: {@code swish} is {@code silu}, {@code
   * hard_swish} is {@code hard_silu}), with the notebook's parameters, or Keras's defaults where
   * the notebook has none.
   *
   * @param name a Keras name, e.g. {@code relu}, {@code leaky_relu}, {@code gelu}
   * @return the activation (the same instance on every call)
   * @throws IllegalArgumentException for an unknown name; the message lists the valid ones
   */
  public static Activation get(String name) {
    Activation a = CATALOGUE.get(ALIASES.getOrDefault(name, name));
    if (a == null) {
      throw new IllegalArgumentException(
          "unknown activation '"
              + name
              + "'; valid names: "
              + String.join(", ", CATALOGUE.keySet())
              + " (aliases: swish, hard_swish)");
    }
    return a;
  }

  /**
   * PReLU with alpha an operand (a trainable variable in a layer), broadcast against x: {@code
   * relu(x) - alpha * relu(-x)}, as Keras's {@code PReLU} layer; see {@link
   * NotebookActivations#prelu(double)}.
   *
   * @param tf the ops, bound to x's dtype
   * @param x the input
   * @param alpha the slope for x &lt; 0, of x's dtype (a scalar, or one per unit)
   * @return PReLU(x), shaped as x
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
