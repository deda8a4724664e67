package io.github.activationlab.nn;

import io.github.activationlab.activation.Activation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's {@code Activation} layer and its parameterised twins {@code LeakyReLU}, {@code ELU},
 * {@code ReLU}, {@code Softmax}: applies a catalogue activation, with no weights. It carries
 * parameters a Dense layer cannot: Keras stores only a Dense's activation name, so a {@code .keras}
 * file keeps, say, a leaky ReLU's slope only on an activation layer. Its Keras class ({@link
 * #type()}) is {@code Activation} when the activation's parameters are Keras's defaults, else the
 * dedicated layer that stores them:
 *
 * <pre>
 *   Activation('tanh')                           tanh, and every activation at Keras's defaults
 *   LeakyReLU(negative_slope=s)                  leaky_relu (the layer's own default is 0.3,
 *                                                the function's 0.2: always written explicitly)
 *   ELU(alpha=a)                                 elu
 *   ReLU(max_value, negative_slope, threshold)   relu
 *   Softmax(axis=-1)                             softmax (only the last axis)
 * </pre>
 *
 * <pre>{@code
 * var leaky = new ActivationLayer(NotebookActivations.leakyRelu(0.01)); // a LeakyReLU layer
 * Sequential.of(1, Dense.of(8), leaky, Dense.of(1));
 * }</pre>
 *
 * @param activation the activation it applies
 */
public record ActivationLayer(Activation activation) implements Layer {

  @Override
  public String type() {
    KerasFunctions.Keras k = KerasFunctions.toKeras(activation);
    if (k.params().isEmpty()) return "Activation";
    return switch (k.name()) {
      case "leaky_relu" -> "LeakyReLU";
      case "elu" -> "ELU";
      case "relu" -> "ReLU";
      case "softmax" -> "Softmax";
      default -> "Activation"; // config() explains why it cannot be written
    };
  }

  @Override
  public long[] outputShape(List<long[]> inputs) {
    long[] in = Layer.single(inputs).clone();
    in[in.length - 1] = activation.outputWidth((int) in[in.length - 1]);
    return in;
  }

  @Override
  public Operand<TFloating> call(
      CallContext c, List<Operand<TFloating>> inputs, List<Operand<TFloating>> weights) {
    return activation.call(c.ops().ops, inputs.get(0));
  }

  @Override
  public Operand<TFloating> logits(
      CallContext c, List<Operand<TFloating>> inputs, List<Operand<TFloating>> weights) {
    String a = activation.name();
    return a.equals("sigmoid") || a.equals("softmax") ? inputs.get(0) : null;
  }

  @Override
  public String activationName() {
    return activation.name();
  }

  @Override
  public Map<String, Object> config() {
    KerasFunctions.Keras k = KerasFunctions.toKeras(activation);
    Map<String, Double> p = k.params();
    if (p.isEmpty()) return Layer.configOf("activation", k.name());
    switch (k.name()) {
      case "leaky_relu" -> {
        only(p, Set.of("negative_slope"), "LeakyReLU");
        return Layer.configOf("negative_slope", p.getOrDefault("negative_slope", 0.2));
      }
      case "elu" -> {
        only(p, Set.of("alpha"), "ELU");
        return Layer.configOf("alpha", p.getOrDefault("alpha", 1.0));
      }
      case "relu" -> {
        only(p, Set.of("max_value", "negative_slope", "threshold"), "ReLU");
        return Layer.configOf(
            "max_value", p.get("max_value"),
            "negative_slope", p.getOrDefault("negative_slope", 0.0),
            "threshold", p.getOrDefault("threshold", 0.0));
      }
      case "softmax" -> {
        return Layer.configOf("axis", -1);
      }
      default ->
          throw new IllegalArgumentException(
              "Keras has no layer that stores "
                  + k.name()
                  + "'s parameters "
                  + p
                  + " (only leaky_relu, elu, relu and softmax have one: LeakyReLU, ELU, ReLU,"
                  + " Softmax); Activation('"
                  + k.name()
                  + "') would use Keras's defaults");
    }
  }

  private static void only(Map<String, Double> p, Set<String> allowed, String kerasClass) {
    for (String k : p.keySet()) {
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException(
            "Keras's " + kerasClass + " layer takes " + allowed + ", not '" + k + "'");
      }
    }
  }

  /** Keras's activation layers' configs (see the table above). */
  static ActivationLayer fromKeras(KerasConfig c) {
    Map<String, Double> params = new LinkedHashMap<>();
    String name;
    switch (c.className()) {
      case "Activation" -> {
        Object a = c.raw("activation");
        if (!(a instanceof String s)) {
          throw c.error(
              "activation "
                  + KerasConfig.brief(a)
                  + " is not a Keras activation name (custom activation functions are not"
                  + " supported)");
        }
        name = s;
      }
      case "LeakyReLU" -> {
        // Keras 3 writes negative_slope; "alpha" is the Keras 2 name it still accepts
        Double s = c.optionalNumber("negative_slope");
        params.put("negative_slope", s != null ? s : c.number("alpha", 0.3));
        name = "leaky_relu";
      }
      case "ELU" -> {
        params.put("alpha", c.number("alpha", 1.0));
        name = "elu";
      }
      case "ReLU" -> {
        Double max = c.optionalNumber("max_value");
        if (max != null) params.put("max_value", max);
        params.put("negative_slope", c.number("negative_slope", 0.0));
        params.put("threshold", c.number("threshold", 0.0));
        name = "relu";
      }
      case "Softmax" -> {
        c.lastAxisOnly("axis", -1);
        name = "softmax";
      }
      default -> throw c.error("not an activation layer");
    }
    return new ActivationLayer(KerasFunctions.fromKeras(c, name, params));
  }
}
