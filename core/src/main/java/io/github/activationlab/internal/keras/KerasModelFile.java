package io.github.activationlab.internal.keras;

import java.util.List;
import java.util.Objects;

/**
 * A Keras 3 model as a {@code .keras} file holds it, in a neutral form (no TensorFlow types, no
 * layer semantics): the model class, its layers with their configs, connections and weights, the
 * compile config and the optimizer's variables.
 *
 * <p>The file is a zip of {@code metadata.json} ({@code keras_version}, {@code date_saved}), {@code
 * config.json} (the model's config, with {@code compile_config}) and {@code model.weights.h5}
 * (HDF5: layer weights and optimizer variables); see {@link KerasFiles} for the layout.
 *
 * @param className {@code Sequential} or {@code Functional}
 * @param name the model's name
 * @param layers the layers in Keras's {@code model.layers} order (for a Functional model the order
 *     Keras's {@code map_graph} gives, InputLayers included); a Sequential's InputLayer comes first
 *     (it is not one of Keras's {@code model.layers} and has no weights group)
 * @param inputs a Functional model's input layers' names, in order (empty for a Sequential)
 * @param outputs a Functional model's output layers' names, in order (empty for a Sequential)
 * @param compile the compile config, or null for an uncompiled model
 * @param optimizer the optimizer's variables, or null when the file has none
 * @param kerasVersion {@code metadata.json}'s {@code keras_version} (null if absent); the writer
 *     writes {@link KerasFiles#KERAS_VERSION} when null
 */
public record KerasModelFile(
    String className,
    String name,
    List<KerasLayer> layers,
    List<String> inputs,
    List<String> outputs,
    KerasCompile compile,
    KerasOptimizerState optimizer,
    String kerasVersion) {
  public static final String SEQUENTIAL = "Sequential";
  public static final String FUNCTIONAL = "Functional";

  /** Copies the lists. */
  public KerasModelFile {
    Objects.requireNonNull(className, "className");
    Objects.requireNonNull(name, "name");
    layers = List.copyOf(layers);
    inputs = inputs == null ? List.of() : List.copyOf(inputs);
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
  }

  /** Whether this is a Sequential model. */
  public boolean sequential() {
    return className.equals(SEQUENTIAL);
  }

  /**
   * The layers Keras keeps weights for, in its {@code model.layers} order: a Sequential's layers
   * after its InputLayer, every layer of a Functional model.
   */
  public List<KerasLayer> weightedLayers() {
    return sequential() && !layers.isEmpty() && layers.get(0).className().equals(KerasLayer.INPUT)
        ? layers.subList(1, layers.size())
        : layers;
  }
}
