package io.github.activationlab.internal.keras;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keras's activation layers and the neutral {@code Activation} layer with parameters, both ways
 * (the table in {@link KerasLayer}). Their configs, as Keras 3.15 writes them (besides {@code
 * name}, {@code trainable} and {@code dtype}):
 *
 * <pre>
 *   Activation  {"activation": "tanh"}
 *   LeakyReLU   {"negative_slope": 0.01}                  (layer default 0.3)
 *   ELU         {"alpha": 0.5}                             (default 1.0)
 *   ReLU        {"max_value": 6.0, "negative_slope": 0.0, "threshold": 0.0}
 *   Softmax     {"axis": -1}
 * </pre>
 *
 * None of them has weights: Keras writes an empty {@code layers/<path>/vars} group for each, which
 * loading does not need.
 */
final class ActivationLayers {
  private ActivationLayers() {}

  /** Keras layer classes that are read as a neutral {@code Activation} layer. */
  static final Set<String> CLASSES = Set.of("Activation", "LeakyReLU", "ELU", "ReLU", "Softmax");

  /** The neutral (activation, params) of an activation layer's config. */
  record Neutral(String activation, Map<String, Double> params) {}

  static Neutral read(String className, JsonObject config, String where)
      throws KerasFormatException {
    Map<String, Double> params = new LinkedHashMap<>();
    switch (className) {
      case "Activation" -> {
        JsonElement a = config.get("activation");
        if (a == null || !a.isJsonPrimitive() || !a.getAsJsonPrimitive().isString()) {
          throw new KerasFormatException(
              where
                  + ": activation "
                  + a
                  + " is not a Keras activation name (custom activation functions are not"
                  + " supported)");
        }
        return new Neutral(a.getAsString(), params);
      }
      case "LeakyReLU" -> {
        // Keras 3 writes negative_slope; "alpha" is the Keras 2 name it still accepts
        Double s = number(config, "negative_slope", where);
        params.put(
            "negative_slope", s != null ? s : orDefault(number(config, "alpha", where), 0.3));
        return new Neutral("leaky_relu", params);
      }
      case "ELU" -> {
        params.put("alpha", orDefault(number(config, "alpha", where), 1.0));
        return new Neutral("elu", params);
      }
      case "ReLU" -> {
        Double max = number(config, "max_value", where);
        double slope = orDefault(number(config, "negative_slope", where), 0.0);
        double threshold = orDefault(number(config, "threshold", where), 0.0);
        if (max != null) {
          params.put("max_value", max);
        }
        if (slope != 0.0) {
          params.put("negative_slope", slope);
        }
        if (threshold != 0.0) {
          params.put("threshold", threshold);
        }
        return new Neutral("relu", params);
      }
      case "Softmax" -> {
        JsonElement axis = config.get("axis");
        if (axis != null && axis.isJsonArray() && axis.getAsJsonArray().size() == 1) {
          axis = axis.getAsJsonArray().get(0);
        }
        double a = axis == null || axis.isJsonNull() ? -1 : numberOf(axis, "axis", where);
        if (a != -1) {
          throw new KerasFormatException(
              where
                  + ": Softmax over axis "
                  + axis
                  + " is not supported (only axis -1, the features)");
        }
        params.put("axis", -1.0);
        return new Neutral("softmax", params);
      }
      default -> throw new IllegalStateException(className);
    }
  }

  /**
   * The Keras class and the class-specific config entries for a neutral activation layer: {@code
   * Activation(name)} when it has no parameters, else the dedicated layer.
   *
   * @throws IllegalArgumentException when no Keras layer stores these parameters
   */
  static Map.Entry<String, JsonObject> write(KerasLayer layer) {
    String name = layer.activation();
    Map<String, Double> p = layer.activationParams();
    String where = "layer '" + layer.name() + "'";
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(where + ": Activation layer without an activation name");
    }
    JsonObject c = new JsonObject();
    if (p.isEmpty()) {
      c.addProperty("activation", name);
      return Map.entry("Activation", c);
    }
    for (Map.Entry<String, Double> e : p.entrySet()) {
      if (e.getValue() == null || !Double.isFinite(e.getValue())) {
        throw new IllegalArgumentException(
            where + ": activation parameter " + e.getKey() + " of " + name + " is " + e.getValue());
      }
    }
    switch (name) {
      case "leaky_relu" -> {
        only(p, Set.of("negative_slope"), "LeakyReLU", where);
        // the layer's default slope (0.3) is not the function's (0.2): always explicit
        c.addProperty("negative_slope", p.getOrDefault("negative_slope", 0.2));
        return Map.entry("LeakyReLU", c);
      }
      case "elu" -> {
        only(p, Set.of("alpha"), "ELU", where);
        c.addProperty("alpha", p.getOrDefault("alpha", 1.0));
        return Map.entry("ELU", c);
      }
      case "relu" -> {
        only(p, Set.of("max_value", "negative_slope", "threshold"), "ReLU", where);
        Double max = p.get("max_value");
        c.add("max_value", max == null ? JsonNull.INSTANCE : new JsonPrimitive(max));
        c.addProperty("negative_slope", p.getOrDefault("negative_slope", 0.0));
        c.addProperty("threshold", p.getOrDefault("threshold", 0.0));
        return Map.entry("ReLU", c);
      }
      case "softmax" -> {
        only(p, Set.of("axis"), "Softmax", where);
        double axis = p.getOrDefault("axis", -1.0);
        if (axis != -1.0) {
          throw new IllegalArgumentException(
              where + ": softmax over axis " + axis + " is not supported (only axis -1)");
        }
        c.addProperty("axis", -1);
        return Map.entry("Softmax", c);
      }
      default ->
          throw new IllegalArgumentException(
              where
                  + ": Keras has no layer that stores "
                  + name
                  + "'s parameters "
                  + p
                  + " (only leaky_relu, elu, relu and softmax have one:"
                  + " LeakyReLU, ELU, ReLU, Softmax); Activation('"
                  + name
                  + "') would use Keras's"
                  + " defaults");
    }
  }

  private static void only(
      Map<String, Double> p, Set<String> allowed, String kerasClass, String where) {
    for (String k : p.keySet()) {
      if (!allowed.contains(k)) {
        throw new IllegalArgumentException(
            where + ": Keras's " + kerasClass + " layer takes " + allowed + ", not '" + k + "'");
      }
    }
  }

  private static double orDefault(Double v, double fallback) {
    return v == null ? fallback : v;
  }

  private static Double number(JsonObject config, String key, String where)
      throws KerasFormatException {
    JsonElement e = config.get(key);
    return e == null || e.isJsonNull() ? null : numberOf(e, key, where);
  }

  private static double numberOf(JsonElement e, String key, String where)
      throws KerasFormatException {
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      throw new KerasFormatException(where + ": '" + key + "' is not a number: " + e);
    }
    return e.getAsDouble();
  }
}
