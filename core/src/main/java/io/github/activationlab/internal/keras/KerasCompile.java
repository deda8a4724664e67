package io.github.activationlab.internal.keras;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The model's {@code compile_config} in {@code config.json}, kept as found: reading never fails on
 * an unknown loss or optimizer, the library decides what it supports.
 *
 * @param loss the loss as written: a name such as {@code "mse"}, or, when Keras stored a loss
 *     object, its class name ({@code "CategoricalCrossentropy"}); null if compiled without a loss
 * @param lossConfig a loss object's config ({@code from_logits}, ...); empty for a name
 * @param optimizer the optimizer's class name ({@code "Adam"}, {@code "SGD"}, ...)
 * @param optimizerConfig the optimizer's {@code config} object as found (plain Java values)
 * @param metrics the metrics' names ({@code "accuracy"}), or their class names for metric objects
 */
public record KerasCompile(
    String loss,
    Map<String, Object> lossConfig,
    String optimizer,
    Map<String, Object> optimizerConfig,
    List<String> metrics) {
  /** Copies the maps (insertion order kept; null values allowed) and the list. */
  public KerasCompile {
    Objects.requireNonNull(optimizer, "optimizer");
    lossConfig = copy(lossConfig);
    optimizerConfig = copy(optimizerConfig);
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
  }

  private static Map<String, Object> copy(Map<String, Object> m) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(m == null ? Map.of() : m));
  }

  /** The optimizer config's number {@code key}, or {@code fallback} when absent or null. */
  public double optimizerNumber(String key, double fallback) {
    Object v = optimizerConfig.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(
        "optimizer " + optimizer + ": '" + key + "' is not a number: " + v);
  }
}
