package io.github.activationlab.internal.keras;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The model's {@code compile_config} in {@code config.json}, kept as found: reading never fails on
 * an unknown loss or optimizer, the caller decides what it supports.
 *
 * @param loss the loss as written: a name such as {@code "mse"}, {@code "mean_squared_error"},
 *     {@code "binary_crossentropy"}, or, when Keras stored a loss object, its class name ({@code
 *     "MeanSquaredError"}); null if compiled without a loss
 * @param optimizer the optimizer's class name ({@code "Adam"}, {@code "SGD"}, ...)
 * @param optimizerConfig the optimizer's {@code config} object as found: JSON numbers are {@link
 *     Long} when written without a fraction or exponent, else {@link Double}; strings, booleans,
 *     nulls, nested {@link Map}s and {@link List}s as they are. When writing, missing keys take
 *     Keras's defaults (for Adam: learning_rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7,
 *     amsgrad false)
 * @param metrics the metrics' names ({@code "accuracy"}), or their class names for metric objects;
 *     empty when the file has none ({@code null} in the file)
 */
public record KerasCompile(
    String loss, String optimizer, Map<String, Object> optimizerConfig, List<String> metrics) {
  /** Copies the map (insertion order kept; null values allowed) and the list. */
  public KerasCompile {
    Objects.requireNonNull(optimizer, "optimizer");
    optimizerConfig =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(optimizerConfig == null ? Map.of() : optimizerConfig));
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
  }

  /** A compile config of {@code loss} with Keras's Adam at {@code learningRate}. */
  public static KerasCompile adam(String loss, double learningRate) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("learning_rate", learningRate);
    return new KerasCompile(loss, "Adam", config, List.of());
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
