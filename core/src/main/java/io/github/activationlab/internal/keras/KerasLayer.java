package io.github.activationlab.internal.keras;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One layer of a Sequential model after its {@code InputLayer}, in the package's neutral form.
 *
 * <p>Three classes: {@code Dense}, {@code PReLU} and {@code Activation}. Keras's dedicated
 * activation layers are normalised into {@code Activation} with parameters when reading, and
 * written back as the dedicated layer when the parameters need it:
 *
 * <pre>
 *   Keras layer                               neutral (activation, activationParams)
 *   Activation('tanh')                        "tanh", {}
 *   LeakyReLU(negative_slope=s)               "leaky_relu", {negative_slope: s}
 *   ELU(alpha=a)                              "elu", {alpha: a}
 *   ReLU(max_value, negative_slope, threshold) "relu", {those that differ from the defaults
 *                                               None, 0.0, 0.0}
 *   Softmax(axis=-1)                          "softmax", {axis: -1}   (only axis -1)
 * </pre>
 *
 * Note that the parameters stay explicit: Keras's {@code LeakyReLU} layer defaults to a slope of
 * 0.3 while its {@code leaky_relu} function defaults to 0.2.
 *
 * @param className {@link #DENSE}, {@link #PRELU} or {@link #ACTIVATION}
 * @param name the Keras layer name ({@code "dense"}, {@code "hidden"}, ...); unique in a model
 * @param dtype the layer's dtype policy name: {@code "float32"} or {@code "float64"} (others, such
 *     as {@code "mixed_float16"}, are kept as found)
 * @param units Dense: the number of units; 0 for the other classes
 * @param useBias Dense: whether it has a bias; false for the other classes
 * @param activation Dense and Activation: the Keras activation function's name ({@code "linear"}
 *     for none). Unknown names are kept; null for PReLU
 * @param activationParams explicit parameters of the activation (see the table); empty means
 *     Keras's defaults
 * @param weights in Keras {@code get_weights()} order: kernel, bias (Dense); alpha (PReLU); none
 *     for Activation
 */
public record KerasLayer(
    String className,
    String name,
    String dtype,
    int units,
    boolean useBias,
    String activation,
    Map<String, Double> activationParams,
    List<KerasWeight> weights) {
  public static final String DENSE = "Dense";
  public static final String PRELU = "PReLU";
  public static final String ACTIVATION = "Activation";

  /** Copies the map (insertion order kept) and the list. */
  public KerasLayer {
    Objects.requireNonNull(className, "className");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    activationParams =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(activationParams == null ? Map.of() : activationParams));
    weights = weights == null ? List.of() : List.copyOf(weights);
  }

  /** A Dense layer; {@code bias} is null when {@code use_bias} is false. */
  public static KerasLayer dense(
      String name, String dtype, String activation, KerasWeight kernel, KerasWeight bias) {
    long[] shape = kernel.shape();
    if (shape.length != 2) {
      throw new IllegalArgumentException("Dense '" + name + "': kernel must be 2-D");
    }
    List<KerasWeight> w = bias == null ? List.of(kernel) : List.of(kernel, bias);
    return new KerasLayer(
        DENSE, name, dtype, (int) shape[1], bias != null, activation, Map.of(), w);
  }

  /** A PReLU layer with one alpha per input unit. */
  public static KerasLayer prelu(String name, String dtype, double[] alpha) {
    return new KerasLayer(
        PRELU,
        name,
        dtype,
        0,
        false,
        null,
        Map.of(),
        List.of(new KerasWeight("alpha", new long[] {alpha.length}, alpha)));
  }

  /** An activation layer; empty {@code params} means Keras's defaults. */
  public static KerasLayer activation(
      String name, String dtype, String activation, Map<String, Double> params) {
    return new KerasLayer(ACTIVATION, name, dtype, 0, false, activation, params, List.of());
  }

  /** The weight called {@code weightName}, or null. */
  public KerasWeight weight(String weightName) {
    for (KerasWeight w : weights) {
      if (w.name().equals(weightName)) {
        return w;
      }
    }
    return null;
  }
}
