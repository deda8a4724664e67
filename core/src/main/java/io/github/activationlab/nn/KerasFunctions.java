package io.github.activationlab.nn;

import io.github.activationlab.activation.Activation;
import io.github.activationlab.activation.Activations;
import io.github.activationlab.activation.KerasActivations;
import io.github.activationlab.activation.NotebookActivations;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's activation functions by name and parameters, mapped to the catalogue's and back.
 *
 * <p>A name alone means Keras's defaults, which are not always the notebook's: {@code leaky_relu}
 * is negative_slope 0.2 in Keras (the notebook's, and the catalogue's, 0.01), so a Keras file's
 * {@code "leaky_relu"} becomes {@code leakyRelu(0.2)}, not the catalogue entry.
 */
final class KerasFunctions {
  private KerasFunctions() {}

  /** Keras 3's defaults of the parameterised activation functions. */
  private static final Map<String, Map<String, Object>> DEFAULTS =
      Map.ofEntries(
          Map.entry("relu", params("negative_slope", 0.0, "max_value", null, "threshold", 0.0)),
          Map.entry("leaky_relu", params("negative_slope", 0.2)),
          Map.entry("elu", params("alpha", 1.0)),
          Map.entry("celu", params("alpha", 1.0)),
          Map.entry("gelu", params("approximate", false)),
          Map.entry("hard_shrink", params("threshold", 0.5)),
          Map.entry("soft_shrink", params("threshold", 0.5)),
          Map.entry("squareplus", params("b", 4.0)),
          Map.entry("softmax", params("axis", -1.0)),
          Map.entry("log_softmax", params("axis", -1.0)),
          Map.entry("glu", params("axis", -1.0)));

  /** {@link #fromKeras(String, Map)}, its errors naming the layer of {@code c}. */
  static Activation fromKeras(KerasConfig c, String name, Map<String, Double> given) {
    try {
      return fromKeras(name, given);
    } catch (IllegalArgumentException e) {
      throw c.error(e.getMessage());
    }
  }

  /** A catalogue activation for Keras's {@code name} with {@code given} parameters. */
  static Activation fromKeras(String name, Map<String, Double> given) {
    String n =
        switch (name) {
          case "swish" -> "silu";
          case "hard_swish" -> "hard_silu";
          default -> name;
        };
    Map<String, Object> p = new LinkedHashMap<>(DEFAULTS.getOrDefault(n, Map.of()));
    for (var e : given.entrySet()) {
      if (!p.containsKey(e.getKey())) {
        throw new IllegalArgumentException(
            "activation '" + name + "' has no parameter '" + e.getKey() + "'");
      }
      p.put(e.getKey(), e.getValue());
    }
    if (p.containsKey("axis") && ((Number) p.get("axis")).doubleValue() != -1) {
      throw new IllegalArgumentException(
          name + " over axis " + p.get("axis") + ": only axis -1 is supported");
    }
    return switch (n) {
      case "relu" ->
          NotebookActivations.relu(
              num(p, "negative_slope"),
              p.get("max_value") == null ? null : num(p, "max_value"),
              num(p, "threshold"));
      case "leaky_relu" -> NotebookActivations.leakyRelu(num(p, "negative_slope"));
      case "elu" -> NotebookActivations.elu(num(p, "alpha"));
      case "celu" -> KerasActivations.celu(num(p, "alpha"));
      case "gelu" ->
          Boolean.TRUE.equals(p.get("approximate")) || num0(p.get("approximate"))
              ? KerasActivations.geluTanh()
              : KerasActivations.gelu();
      case "hard_shrink" -> KerasActivations.hardShrink(num(p, "threshold"));
      case "soft_shrink" -> KerasActivations.softShrink(num(p, "threshold"));
      case "squareplus" -> KerasActivations.squareplus(num(p, "b"));
      case "threshold" ->
          throw new IllegalArgumentException(
              "activation 'threshold' needs its"
                  + " threshold and default_value, which a Keras file cannot store");
      case "binary_step", "prelu", "gelu_tanh" ->
          throw new IllegalArgumentException("'" + name + "' is not a Keras activation function");
      default -> Activations.get(n); // the parameter-free ones
    };
  }

  /** Keras's name and non-default parameters for a catalogue activation. */
  record Keras(String name, Map<String, Double> params) {}

  /**
   * How Keras writes {@code a}: its function name and the parameters that differ from Keras's
   * defaults (a Dense layer can store only the name: its caller adds an activation layer).
   */
  static Keras toKeras(Activation a) {
    String name = a.name();
    Map<String, Object> params = new LinkedHashMap<>(a.params());
    switch (name) {
      case "binary_step", "threshold" ->
          throw new IllegalArgumentException(
              "'"
                  + name
                  + "' has no Keras equivalent (Keras has no "
                  + name
                  + " activation that a file stores)");
      case "prelu" -> { // relu(x) - alpha relu(-x) with a fixed alpha < 1 is leaky_relu's value
        name = "leaky_relu";
        params = Map.of("negative_slope", a.params().get("alpha"));
      }
      case "gelu_tanh" -> {
        name = "gelu";
        params = Map.of("approximate", true);
      }
      default -> {}
    }
    Map<String, Object> defaults = DEFAULTS.getOrDefault(name, Map.of());
    Map<String, Double> out = new LinkedHashMap<>();
    for (var e : params.entrySet()) {
      Object d = defaults.get(e.getKey());
      Object v = e.getValue();
      boolean same = v == null ? d == null : d != null && equal(v, d);
      if (!same) {
        if (!(v instanceof Number) && !(v instanceof Boolean)) {
          throw new IllegalArgumentException(
              "activation '"
                  + a.name()
                  + "': parameter '"
                  + e.getKey()
                  + "' = "
                  + v
                  + " cannot be written to a Keras file");
        }
        out.put(e.getKey(), v instanceof Boolean b ? (b ? 1.0 : 0.0) : ((Number) v).doubleValue());
      }
    }
    return new Keras(name, out);
  }

  private static boolean equal(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
    return a.equals(b);
  }

  private static double num(Map<String, Object> p, String key) {
    return ((Number) p.get(key)).doubleValue();
  }

  private static boolean num0(Object v) {
    return v instanceof Number n && n.doubleValue() != 0;
  }

  private static Map<String, Object> params(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }
}
