package io.github.activationlab.nn;

import io.github.activationlab.internal.keras.KerasNames;
import io.github.activationlab.tf.FloatOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * A Sequential model's structure: the input width, the layers and their Keras names ({@code dense},
 * {@code dense_1}, {@code p_re_lu}, ...), and the one walk over its weights that graph building,
 * the fused loop, exports, run.json and Keras files all use ({@link #weights}). Immutable; it holds
 * no TensorFlow object ({@link #forward} adds ops to a graph the caller owns).
 *
 * <pre>{@code
 * Architecture a = Architecture.of(2, List.of(Dense.of(4, "relu"), Dense.of(1)));
 * a.weights(); // first in a process: dense/kernel [2, 4], dense/bias [4], dense_1/kernel [4, 1]
 *              // and dense_1/bias [1]
 * }</pre>
 *
 * @param inputDim the number of input columns (positive)
 * @param layers the layers, in order (at least one)
 * @param layerNames one Keras name per layer
 */
public record Architecture(int inputDim, List<Layer> layers, List<String> layerNames) {
  private static final Map<String, AtomicInteger> UIDS = new ConcurrentHashMap<>();

  /**
   * Checks the structure and copies the lists.
   *
   * @param inputDim the number of input columns
   * @param layers the layers
   * @param layerNames one name per layer
   * @throws IllegalArgumentException for a non-positive width, no layer, or a name count that
   *     differs from the layer count
   */
  public Architecture {
    if (inputDim <= 0) {
      throw new IllegalArgumentException("input_dim must be positive, got " + inputDim);
    }
    if (layers.isEmpty()) throw new IllegalArgumentException("a Sequential model needs a layer");
    if (layerNames.size() != layers.size()) {
      throw new IllegalArgumentException(
          layers.size() + " layers but " + layerNames.size() + " names");
    }
    layers = List.copyOf(layers);
    layerNames = List.copyOf(layerNames);
  }

  /**
   * The layers, named as Keras names new layers in a session: {@code dense}, {@code dense_1}, ...
   * (the counters are per process and per layer type, as Keras's are per session).
   *
   * @param inputDim the number of input columns (positive)
   * @param layers the layers, in order (at least one)
   * @return the architecture
   */
  public static Architecture of(int inputDim, List<Layer> layers) {
    List<String> names = new ArrayList<>();
    for (Layer l : layers) names.add(uniqueName(KerasNames.toSnakeCase(l.type())));
    return new Architecture(inputDim, layers, names);
  }

  /** Keras's {@code backend.get_uid}: the first is {@code prefix}, then prefix_1, prefix_2... */
  static String uniqueName(String prefix) {
    int k = UIDS.computeIfAbsent(prefix, p -> new AtomicInteger()).getAndIncrement();
    return k == 0 ? prefix : prefix + "_" + k;
  }

  /**
   * The number of output columns.
   *
   * @return the last layer's units
   */
  public int outputDim() {
    int d = inputDim;
    for (Layer l : layers) d = l.units(d);
    return d;
  }

  /**
   * The input width of a layer.
   *
   * @param i the layer's index, from 0
   * @return the width it receives (the model's input width for layer 0)
   */
  public int inputDimOf(int i) {
    int d = inputDim;
    for (int k = 0; k < i; k++) d = layers.get(k).units(d);
    return d;
  }

  /**
   * A weight of the model: its layer (index and Keras name), Keras's name for it and its shape.
   *
   * @param layer the layer's index, from 0
   * @param layerName the layer's Keras name, e.g. {@code dense_1}
   * @param name Keras's name for the weight: {@code kernel}, {@code bias} or {@code alpha}
   * @param shape {@code [in, units]} for a kernel, {@code [units]} for a bias or an alpha
   */
  public record Weight(int layer, String layerName, String name, long[] shape) {
    /**
     * The weight's path, as run.json's {@code weight_names} and the graph's variables name it.
     *
     * @return {@code layer/name}, e.g. {@code dense_1/kernel}
     */
    public String path() {
      return layerName + "/" + name;
    }

    /**
     * The number of values.
     *
     * @return the product of the shape
     */
    public int size() {
      return new Layer.WeightSpec(name, shape).size();
    }
  }

  /**
   * Every weight, layer by layer, in Keras's {@code get_weights()} order: the one walk over the
   * weights that everything else follows.
   *
   * @return an unmodifiable list
   */
  public List<Weight> weights() {
    List<Weight> out = new ArrayList<>();
    int d = inputDim;
    for (int i = 0; i < layers.size(); i++) {
      for (Layer.WeightSpec w : layers.get(i).weights(d)) {
        out.add(new Weight(i, layerNames.get(i), w.name(), w.shape()));
      }
      d = layers.get(i).units(d);
    }
    return List.copyOf(out);
  }

  /**
   * The shapes of {@link #weights()}.
   *
   * @return one shape per weight, in order
   */
  public List<long[]> shapes() {
    return weights().stream().map(Weight::shape).toList();
  }

  /**
   * The number of parameters, as Keras's {@code count_params()}.
   *
   * @return the number of weight values
   */
  public long countParams() {
    return weights().stream().mapToLong(Weight::size).sum();
  }

  /**
   * Initial weights with Keras's default initializers (glorot_uniform kernels, zero biases; a
   * PReLU's initial alpha), drawn in plain Java: the same generator state gives the same weights.
   *
   * @param rng the generator, e.g. {@code new SplittableRandom(seed)} (as {@code compile} does)
   * @return flat arrays in {@link #weights()} order, kernels row-major
   */
  public List<double[]> initialWeights(RandomGenerator rng) {
    List<double[]> init = new ArrayList<>();
    int d = inputDim;
    for (Layer l : layers) {
      init.addAll(l.initialWeights(d, rng));
      d = l.units(d);
    }
    return List.copyOf(init);
  }

  /**
   * The forward pass: the output, and for binary cross-entropy after a sigmoid output layer also
   * its logits (Keras 3's TF backend computes that loss from the logits), otherwise null.
   *
   * @param output the model's output
   * @param logits the last layer's pre-sigmoid values, or null
   */
  public record Forward(Operand<TFloating> output, Operand<TFloating> logits) {}

  /**
   * The forward pass as TF ops, on weights the caller holds (variables, loop variables or
   * constants): how a SavedModel export or a training loop builds the model into its own graph.
   *
   * @param f the ops, bound to the model's dtype
   * @param x the input, {@code [batch, inputDim]} (or {@code [seeds, batch, inputDim]} with kernels
   *     of a leading seed axis)
   * @param weights one operand per weight, in {@link #weights()} order
   * @param loss the loss, to know whether to expose the logits (null: none)
   * @return the output, and the logits for binary cross-entropy after a sigmoid layer
   */
  public Forward forward(
      FloatOps f, Operand<TFloating> x, List<? extends Operand<TFloating>> weights, Loss loss) {
    List<Operand<TFloating>> outs = new ArrayList<>();
    Operand<TFloating> logits = walk(f, x, weights, loss, outs);
    return new Forward(outs.get(outs.size() - 1), logits);
  }

  /**
   * The forward pass as {@link #forward} builds it, keeping every layer's output (to look at hidden
   * units, e.g. dead ReLUs).
   *
   * @param f the ops, bound to the model's dtype
   * @param x the input
   * @param weights one operand per weight, in {@link #weights()} order
   * @return each layer's output, in order (the last is the model's output)
   */
  public List<Operand<TFloating>> layerOutputs(
      FloatOps f, Operand<TFloating> x, List<? extends Operand<TFloating>> weights) {
    List<Operand<TFloating>> outs = new ArrayList<>();
    walk(f, x, weights, null, outs);
    return outs;
  }

  /** Runs the layers, collecting their outputs; returns the logits or null (see Forward). */
  private Operand<TFloating> walk(
      FloatOps f,
      Operand<TFloating> x,
      List<? extends Operand<TFloating>> weights,
      Loss loss,
      List<Operand<TFloating>> outs) {
    Operand<TFloating> h = x;
    Operand<TFloating> logits = null;
    int at = 0;
    int d = inputDim;
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      int k = l.weights(d).size();
      List<Operand<TFloating>> lw = List.copyOf(weights.subList(at, at + k));
      at += k;
      d = l.units(d);
      if (i == layers.size() - 1
          && loss == Loss.BINARY_CROSSENTROPY
          && l instanceof Dense dense
          && dense.activation().name().equals("sigmoid")) {
        logits = dense.linear().call(f, h, lw);
        h = f.sigmoid(logits);
      } else {
        h = l.call(f, h, lw);
      }
      outs.add(h);
    }
    return logits;
  }
}
