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
 * the fused loop, exports, run.json and Keras files all use ({@link #weights}).
 */
public record Architecture(int inputDim, List<Layer> layers, List<String> layerNames) {
  private static final Map<String, AtomicInteger> UIDS = new ConcurrentHashMap<>();

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

  /** The layers, named as Keras names new layers in a session: {@code dense}, {@code dense_1}. */
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

  public int outputDim() {
    int d = inputDim;
    for (Layer l : layers) d = l.units(d);
    return d;
  }

  /** Input width of layer {@code i}. */
  public int inputDimOf(int i) {
    int d = inputDim;
    for (int k = 0; k < i; k++) d = layers.get(k).units(d);
    return d;
  }

  /**
   * A weight of the model: its layer (index and Keras name), Keras's name for it and its shape.
   * {@link #path()} is {@code layer/name}, e.g. {@code dense_1/kernel}.
   */
  public record Weight(int layer, String layerName, String name, long[] shape) {
    public String path() {
      return layerName + "/" + name;
    }

    public int size() {
      return new Layer.WeightSpec(name, shape).size();
    }
  }

  /** Every weight, layer by layer, in Keras's {@code get_weights()} order. */
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

  /** The shapes of {@link #weights()}. */
  public List<long[]> shapes() {
    return weights().stream().map(Weight::shape).toList();
  }

  /** Number of parameters. */
  public long countParams() {
    return weights().stream().mapToLong(Weight::size).sum();
  }

  /** Initial weights from {@code rng}, in {@link #weights()} order. */
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
   */
  public record Forward(Operand<TFloating> output, Operand<TFloating> logits) {}

  /** The forward pass over {@code weights} (a flat list in {@link #weights()} order). */
  public Forward forward(
      FloatOps f, Operand<TFloating> x, List<? extends Operand<TFloating>> weights, Loss loss) {
    List<Operand<TFloating>> outs = new ArrayList<>();
    Operand<TFloating> logits = walk(f, x, weights, loss, outs);
    return new Forward(outs.get(outs.size() - 1), logits);
  }

  /** Every layer's output, in order (the last is the model's output). */
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
