package io.github.activationlab.internal.keras;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a layer's weights live in {@code model.weights.h5}. Keras 3 does not use the layer names
 * there: it walks {@code model.layers} (the InputLayer excluded) and names each layer by its class
 * in snake case, numbered per class in layer order ({@code keras.src.saving
 * .saving_lib._save_container_state}): {@code Dense, PReLU, Dense} are stored at {@code
 * layers/dense}, {@code layers/p_re_lu}, {@code layers/dense_1}, whatever the layers' names. The
 * weights are the datasets {@code 0, 1, ...} of the group {@code <path>/vars}.
 */
public final class KerasNames {
  private KerasNames() {}

  /** Keras's {@code naming.to_snake_case}: PReLU -> p_re_lu, LeakyReLU -> leaky_re_lu. */
  public static String toSnakeCase(String className) {
    String s = className.replaceAll("[^A-Za-z0-9_]+", "");
    s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }

  /** The h5 group of each layer ({@code layers/dense_1}), given the Keras class names. */
  static List<String> layerPaths(List<String> kerasClassNames) {
    Map<String, Integer> used = new HashMap<>();
    List<String> out = new ArrayList<>();
    for (String c : kerasClassNames) {
      String base = toSnakeCase(c);
      Integer n = used.get(base);
      // saving_lib._get_unique_name: the first is "dense", then "dense_1", "dense_2", ...
      used.put(base, n == null ? 0 : n + 1);
      out.add("layers/" + (n == null ? base : base + "_" + (n + 1)));
    }
    return out;
  }
}
