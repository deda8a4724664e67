package io.github.activationlab.internal.keras;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One layer of a {@code .keras} file in a neutral form that knows no layer type: its Keras class,
 * name, config (as {@code config.json} has it, plain Java values), the layers it reads (Functional
 * models) and its weights (the datasets of its {@code vars} group, in order). What a layer's config
 * means and which weights it must have is the library's layer registry's business ({@code nn}), not
 * this package's.
 *
 * @param className the Keras class ({@code Dense}, {@code InputLayer}, ...)
 * @param name the layer's name, unique in a model
 * @param config the layer's config: {@code name}, {@code trainable}, {@code dtype} (a policy) and
 *     the class's own keys; plain Java values (numbers are {@link Long} when written without a
 *     fraction or exponent, else {@link Double}; maps keep their order)
 * @param inbound the names of the layers whose outputs it reads, in order (Functional models; empty
 *     for an InputLayer and in Sequential models)
 * @param inputShapes the shapes of its inputs without the batch axis, for {@code build_config}
 *     (written only; empty when read)
 * @param weights its weights in Keras's order
 */
public record KerasLayer(
    String className,
    String name,
    Map<String, Object> config,
    List<String> inbound,
    List<long[]> inputShapes,
    List<KerasWeight> weights) {
  public static final String INPUT = "InputLayer";

  /** Copies the map (order kept, nulls allowed) and the lists. */
  public KerasLayer {
    Objects.requireNonNull(className, "className");
    Objects.requireNonNull(name, "name");
    config = Collections.unmodifiableMap(new LinkedHashMap<>(config == null ? Map.of() : config));
    inbound = inbound == null ? List.of() : List.copyOf(inbound);
    inputShapes = inputShapes == null ? List.of() : List.copyOf(inputShapes);
    weights = weights == null ? List.of() : List.copyOf(weights);
  }

  /** This layer with these weights. */
  public KerasLayer withWeights(List<KerasWeight> w) {
    return new KerasLayer(className, name, config, inbound, inputShapes, w);
  }

  /** The dtype policy's name ({@code float32}, {@code float64}, {@code mixed_float16}, ...). */
  public String dtype() {
    Object d = config.get("dtype");
    if (d instanceof String s) return s;
    if (d instanceof Map<?, ?> m && m.get("config") instanceof Map<?, ?> c) {
      if (c.get("name") instanceof String s) return s;
    }
    return "float32";
  }

  /** An InputLayer's sample shape (its batch_shape without the batch axis), or null. */
  public long[] inputShape() {
    Object s =
        config.containsKey("batch_shape")
            ? config.get("batch_shape")
            : config.get("batch_input_shape");
    if (!(s instanceof List<?> l) || l.isEmpty()) return null;
    long[] out = new long[l.size() - 1];
    for (int i = 1; i < l.size(); i++) {
      if (!(l.get(i) instanceof Number n)) return null;
      out[i - 1] = n.longValue();
    }
    return out;
  }
}
