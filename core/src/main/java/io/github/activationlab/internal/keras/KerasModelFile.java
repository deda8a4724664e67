package io.github.activationlab.internal.keras;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Keras 3 Sequential model as a {@code .keras} file holds it, in a neutral form (no TensorFlow
 * types): the architecture and weights, the compile config and Adam's state.
 *
 * <p>The file is a zip of {@code metadata.json} ({@code keras_version}, {@code date_saved}), {@code
 * config.json} (the Sequential's config, with {@code compile_config}) and {@code model.weights.h5}
 * (HDF5: layer weights and optimizer variables); see {@link KerasFiles} for the layout.
 *
 * @param name the Sequential's name
 * @param inputDim the number of input features: the InputLayer's batch_shape is {@code [null,
 *     inputDim]}
 * @param inputDtype the InputLayer's dtype, {@code "float32"} or {@code "float64"} (the notebook's
 *     linear models use {@code keras.Input(shape=(2,), dtype="float64")} with float32 layers)
 * @param layers the layers after the InputLayer, in order
 * @param compile the compile config, or null for an uncompiled model
 * @param adam Adam's state, or null when the file has none (uncompiled, never trained/built,
 *     another optimizer, or Adam with amsgrad)
 * @param kerasVersion {@code metadata.json}'s {@code keras_version} (null if absent); the writer
 *     writes {@link KerasFiles#KERAS_VERSION} when null
 */
public record KerasModelFile(
    String name,
    int inputDim,
    String inputDtype,
    List<KerasLayer> layers,
    KerasCompile compile,
    KerasAdamState adam,
    String kerasVersion) {
  /** Copies the layer list. */
  public KerasModelFile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(inputDtype, "inputDtype");
    layers = List.copyOf(layers);
  }

  /**
   * The weights the optimizer updates, in Keras's {@code trainable_variables} order: the layers'
   * weights in layer order (all weights of the supported layers are trainable). Adam's m and v
   * follow this order.
   */
  public List<KerasWeight> trainableWeights() {
    List<KerasWeight> out = new ArrayList<>();
    for (KerasLayer layer : layers) {
      out.addAll(layer.weights());
    }
    return out;
  }

  /** This model with another Adam state (e.g. after more training). */
  public KerasModelFile withAdam(KerasAdamState state) {
    return new KerasModelFile(name, inputDim, inputDtype, layers, compile, state, kerasVersion);
  }
}
