package io.github.activationlab.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer's Keras config as a {@code .keras} file holds it (plain Java values: numbers, booleans,
 * strings, lists, maps, null), read with Keras's defaults, and the Keras objects a layer writes
 * (initializers, regularizers). Every surprise is one {@link IllegalArgumentException} that names
 * the layer: {@code layer 'bn' (BatchNormalization): momentum is not a number: "x"}.
 */
final class KerasConfig {
  private final String className;
  private final String name;
  private final Map<String, Object> config;

  KerasConfig(String className, String name, Map<String, Object> config) {
    this.className = className;
    this.name = name;
    this.config = config == null ? Map.of() : config;
  }

  /** The Keras class, e.g. {@code LeakyReLU}. */
  String className() {
    return className;
  }

  /** "layer 'name' (Class)", for messages. */
  String where() {
    return "layer '" + name + "' (" + className + ")";
  }

  IllegalArgumentException error(String what) {
    return new IllegalArgumentException(where() + ": " + what);
  }

  boolean has(String key) {
    return config.get(key) != null;
  }

  Object raw(String key) {
    return config.get(key);
  }

  double number(String key, double fallback) {
    Object v = config.get(key);
    if (v == null) return fallback;
    if (v instanceof Number n) return n.doubleValue();
    throw error(key + " is not a number: " + v);
  }

  /** A number that may be absent or null. */
  Double optionalNumber(String key) {
    return has(key) ? number(key, 0) : null;
  }

  int integer(String key, int fallback) {
    double d = number(key, fallback);
    if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
      throw error(key + " is not an integer: " + config.get(key));
    }
    return (int) d;
  }

  boolean bool(String key, boolean fallback) {
    Object v = config.get(key);
    if (v == null) return fallback;
    if (v instanceof Boolean b) return b;
    throw error(key + " is not true or false: " + v);
  }

  String string(String key, String fallback) {
    Object v = config.get(key);
    if (v == null) return fallback;
    if (v instanceof String s) return s;
    throw error(key + " is not a string: " + v);
  }

  /** A list of integers (a shape), or null when absent. */
  long[] longs(String key) {
    Object v = config.get(key);
    if (v == null) return null;
    if (!(v instanceof List<?> l)) throw error(key + " is not a list: " + v);
    long[] out = new long[l.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(l.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
        throw error(key + " is not a list of integers: " + v);
      }
      out[i] = n.longValue();
    }
    return out;
  }

  /**
   * The axis of a layer that supports only the last one: {@code -1} (or {@code [-1]}, or the last
   * axis by its index).
   */
  void lastAxisOnly(String key, int rank) {
    Object v = config.get(key);
    if (v instanceof List<?> l && l.size() == 1) v = l.get(0);
    if (v == null) return;
    if (v instanceof Number n && (n.intValue() == -1 || n.intValue() == rank)) return;
    throw error(key + " " + config.get(key) + " is not supported (only -1, the last axis)");
  }

  /** Refuses a setting that changes training or inference and is not implemented. */
  void requireNull(String key, String why) {
    Object v = config.get(key);
    if (v != null && !(v instanceof Map<?, ?> m && m.isEmpty())) {
      throw error(
          key + " " + brief(v) + " is not supported" + (why.isEmpty() ? "" : " (" + why + ")"));
    }
  }

  /** Refuses anything but {@code want} (or absence). */
  void require(String key, Object want) {
    Object v = config.get(key);
    if (v != null && !equal(v, want)) {
      throw error(key + " " + brief(v) + " is not supported (only " + want + ")");
    }
  }

  /** Keras's serialized regularizer ({@code L1}, {@code L2}, {@code L1L2}), or null. */
  Regularizer regularizer(String key) {
    Object v = config.get(key);
    if (v == null) return null;
    if (v instanceof Map<?, ?> m && m.get("class_name") instanceof String cls) {
      KerasConfig c = new KerasConfig(cls, key, asMap(m.get("config")));
      return switch (cls) {
        case "L1" -> Regularizer.l1(c.number("l1", 0.01));
        case "L2" -> Regularizer.l2(c.number("l2", 0.01));
        case "L1L2" -> new Regularizer(c.number("l1", 0), c.number("l2", 0));
        default -> throw error(key + " " + cls + " is not supported (supported: L1, L2, L1L2)");
      };
    }
    if (v instanceof String s) {
      return switch (s) {
        case "l1" -> Regularizer.l1(0.01);
        case "l2" -> Regularizer.l2(0.01);
        case "l1_l2" -> new Regularizer(0.01, 0.01);
        default -> throw error(key + " '" + s + "' is not supported (supported: L1, L2, L1L2)");
      };
    }
    throw error(key + " " + brief(v) + " is not a Keras regularizer");
  }

  // ------------------------------------------------------------------------------- writing

  /** A Keras object: {@code {module, class_name, config, registered_name: null}}. */
  static Map<String, Object> object(String module, String className, Map<String, Object> config) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("module", module);
    o.put("class_name", className);
    o.put("config", config);
    o.put("registered_name", null);
    return o;
  }

  /** An initializer as Keras 3.15 writes it. */
  static Map<String, Object> initializer(String className) {
    Map<String, Object> c =
        className.equals("GlorotUniform")
            ? Layer.configOf("seed", null, "input_axes", null, "output_axes", null)
            : new LinkedHashMap<>();
    return object("keras.initializers", className, c);
  }

  /** A regularizer as Keras writes it, or null. */
  static Map<String, Object> regularizer(Regularizer r) {
    return r == null ? null : object("keras.regularizers", r.kerasClass(), r.config());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static boolean equal(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) return x.doubleValue() == y.doubleValue();
    return a.equals(b);
  }

  static String brief(Object v) {
    String s = String.valueOf(v);
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  /** A shape as Keras prints it: {@code (None, 4)}. */
  static String shapeText(long[] shape) {
    List<String> parts = new ArrayList<>();
    parts.add("None");
    for (long d : shape) parts.add(String.valueOf(d));
    return "(" + String.join(", ", parts) + ")";
  }
}
