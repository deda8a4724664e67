package io.github.activationlab.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.types.family.TFloating;

/**
 * A Keras Functional model: layers applied to the outputs of other layers, a directed acyclic graph
 * on one or more inputs with one or more outputs ({@code keras.Model(inputs, outputs)}), with
 * everything a {@link Model} does. Built with a {@link Builder} the way Keras code reads:
 *
 * <pre>{@code
 * Functional.Builder b = Functional.builder();
 * var x = b.input(4);                                   // keras.Input((4,))
 * var h = b.apply(Dense.of(4), x);                      // Dense(4)(x)
 * h = b.apply(new BatchNormalization(), h);
 * var s = b.apply(new Add(), h, x);                     // a skip connection: Add()([h, x])
 * try (Functional m = b.build(b.apply(Dense.of(1, "sigmoid"), s))
 *     .compile(Loss.BINARY_CROSSENTROPY, Adam.defaults(), 42)) { ... }
 * }</pre>
 *
 * A sample is one flat row: the inputs' values side by side, in the order the inputs were made; the
 * outputs likewise. Each layer is used once (Keras's shared layers are not supported).
 */
public final class Functional extends Model {

  Functional(String name, Architecture arch) {
    super(name, arch);
  }

  /**
   * A model of this architecture (e.g. read from a Keras file). Not compiled yet.
   *
   * @param name the model's name
   * @param arch the structure
   * @return the model, to be compiled and closed
   */
  public static Functional of(String name, Architecture arch) {
    return new Functional(name, arch);
  }

  /**
   * A builder of a new model, named as Keras names new models ({@code functional}, {@code
   * functional_1}, ...).
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A tensor of the model being built: an input, or a layer's output.
   *
   * @param id its number in the architecture (inputs first, then layers in order)
   * @param shape its shape, without the batch axis
   */
  public record Tensor(int id, long[] shape) {}

  /** Builds a Functional model layer by layer (not thread-safe). */
  public static final class Builder {
    private final List<long[]> inputShapes = new ArrayList<>();
    private final List<String> inputNames = new ArrayList<>();
    private final List<Layer> layers = new ArrayList<>();
    private final List<List<Tensor>> inbound = new ArrayList<>();

    private Builder() {}

    /**
     * A new input: Keras's {@code keras.Input(shape)}, named {@code input_layer}, {@code
     * input_layer_1}, ... Inputs must all be made before the first layer.
     *
     * @param shape the shape of one sample
     * @return the input tensor
     * @throws IllegalStateException after a layer was applied
     */
    public Tensor input(long... shape) {
      if (!layers.isEmpty()) throw new IllegalStateException("make every input before the layers");
      inputShapes.add(shape.clone());
      inputNames.add(Architecture.uniqueName("input_layer"));
      return new Tensor(inputShapes.size() - 1, shape.clone());
    }

    /**
     * Applies a layer: Keras's {@code layer(x)}, or {@code layer([x1, x2, ...])} for a merge layer.
     *
     * @param layer the layer (used once)
     * @param inputs the tensors it reads
     * @return its output
     * @throws IllegalArgumentException for inputs the layer cannot take
     */
    public Tensor apply(Layer layer, Tensor... inputs) {
      List<long[]> shapes = Arrays.stream(inputs).map(Tensor::shape).toList();
      long[] out;
      try {
        out = layer.outputShape(shapes);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(layer.type() + ": " + e.getMessage(), e);
      }
      layers.add(layer);
      inbound.add(List.of(inputs));
      return new Tensor(inputShapes.size() + layers.size() - 1, out);
    }

    /**
     * The model: Keras's {@code keras.Model(inputs, outputs)}, its inputs those made here.
     *
     * @param outputs the output tensors, in order
     * @return the model, to be compiled and closed
     */
    public Functional build(Tensor... outputs) {
      List<Architecture.Input> in = new ArrayList<>();
      for (int i = 0; i < inputShapes.size(); i++) {
        in.add(new Architecture.Input(inputNames.get(i), inputShapes.get(i)));
      }
      List<String> names = Architecture.names(layers);
      List<Architecture.Node> nodes = new ArrayList<>();
      for (int k = 0; k < layers.size(); k++) {
        nodes.add(
            new Architecture.Node(
                names.get(k), layers.get(k), inbound.get(k).stream().map(Tensor::id).toList()));
      }
      return new Functional(
          Architecture.uniqueName("functional"),
          Architecture.functional(in, nodes, Arrays.stream(outputs).map(Tensor::id).toList()));
    }
  }

  @Override
  public Functional dtype(Class<? extends TFloating> dtype) {
    super.dtype(dtype);
    return this;
  }

  @Override
  public Functional compile(Loss loss, Optimizer optimizer, long seed, String... metrics) {
    super.compile(loss, optimizer, seed, metrics);
    return this;
  }

  /**
   * A compiled Functional model from a Keras 3 {@code .keras} file: see {@link Model#load}.
   *
   * @param file the {@code .keras} file
   * @return the compiled model, to be closed
   * @throws IOException if the file cannot be read, or is not a well-formed Keras 3 archive
   * @throws IllegalArgumentException for a model this library cannot build, or a Sequential one
   *     (use {@link Model#load})
   */
  public static Functional load(Path file) throws IOException {
    Model m = Model.load(file);
    if (m instanceof Functional f) return f;
    m.close();
    throw new IllegalArgumentException(file + ": a Sequential model; load it with Model.load");
  }
}
