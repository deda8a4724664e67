package io.github.activationlab.nn;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The layers this library knows, by Keras class name: one line per layer type, mapping the class to
 * the reader of its Keras config (each layer writes its own: {@link Layer#type()}, {@link
 * Layer#config()}). The {@code .keras} reader and writer, the summary, SavedModel exports and the
 * graph know a layer through this table and the {@link Layer} interface; nothing else lists layer
 * types. ({@code InputLayer} is the model's inputs, not a layer here.)
 */
final class LayerRegistry {
  private LayerRegistry() {}

  private static final Map<String, Function<KerasConfig, Layer>> READERS =
      Map.ofEntries(
          Map.entry("Dense", Dense::fromKeras),
          Map.entry("PReLU", PRelu::fromKeras),
          Map.entry("Activation", ActivationLayer::fromKeras),
          Map.entry("LeakyReLU", ActivationLayer::fromKeras),
          Map.entry("ELU", ActivationLayer::fromKeras),
          Map.entry("ReLU", ActivationLayer::fromKeras),
          Map.entry("Softmax", ActivationLayer::fromKeras),
          Map.entry("BatchNormalization", BatchNormalization::fromKeras),
          Map.entry("Dropout", Dropout::fromKeras),
          Map.entry("GaussianNoise", GaussianNoise::fromKeras),
          Map.entry("LayerNormalization", LayerNormalization::fromKeras),
          Map.entry("Normalization", Normalization::fromKeras),
          Map.entry("Flatten", Flatten::fromKeras),
          Map.entry("Reshape", Reshape::fromKeras),
          Map.entry("Identity", Identity::fromKeras),
          Map.entry("Add", Add::fromKeras),
          Map.entry("Subtract", Subtract::fromKeras),
          Map.entry("Multiply", Multiply::fromKeras),
          Map.entry("Average", Average::fromKeras),
          Map.entry("Concatenate", Concatenate::fromKeras));

  /** The supported Keras layer classes, A-Z, for messages and the README's table. */
  static List<String> supported() {
    return READERS.keySet().stream().sorted().toList();
  }

  /**
   * The layer a Keras config describes.
   *
   * @throws IllegalArgumentException for a class not in the table (the message lists the supported
   *     ones) or a config the layer cannot take (the message names the layer)
   */
  static Layer read(String className, String name, Map<String, Object> config) {
    var reader = READERS.get(className);
    if (reader == null) {
      throw new IllegalArgumentException(
          "layer '"
              + name
              + "' of class "
              + className
              + " is not supported; supported layers: "
              + String.join(", ", supported()));
    }
    KerasConfig c = new KerasConfig(className, name, config);
    if (!c.bool("trainable", true)) {
      throw c.error("is frozen (trainable: false); only trainable layers are supported");
    }
    return reader.apply(c);
  }
}
