package io.github.activationlab.nn;

import io.github.activationlab.internal.keras.KerasNames;
import io.github.activationlab.tf.FloatOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * A model's structure: its inputs, its layers with their Keras names ({@code dense}, {@code
 * dense_1}, {@code p_re_lu}, ...) and what each is applied to — a chain for a {@code Sequential}, a
 * directed acyclic graph for a Functional model — and the one walk over its weights that graph
 * building, the training loop, exports, run.json and Keras files all use ({@link #weights}).
 * Immutable; it holds no TensorFlow object ({@link #forward} adds ops to a graph the caller owns).
 *
 * <p>Tensors are numbered: {@code 0 .. inputs-1} are the model's inputs, {@code inputs + k} is the
 * output of node {@code k}. Nodes come in topological order (each reads only inputs and earlier
 * nodes). Across the API a model takes one flat row per sample — its inputs' values side by side,
 * each row-major — and gives one flat row — its outputs side by side ({@link #inputDim}, {@link
 * #outputDim}).
 *
 * <pre>{@code
 * Architecture a = Architecture.of(2, List.of(Dense.of(4, "relu"), Dense.of(1)));
 * a.weights(); // first in a process: dense/kernel [2, 4], dense/bias [4], dense_1/kernel [4, 1]
 *              // and dense_1/bias [1]
 * }</pre>
 */
public final class Architecture {
  private static final Map<String, AtomicInteger> UIDS = new ConcurrentHashMap<>();

  /**
   * A model input (Keras's {@code InputLayer}).
   *
   * @param name its Keras name ({@code input_layer}); null for a Sequential's (named when written)
   * @param shape the shape of one sample, without the batch axis
   */
  public record Input(String name, long[] shape) {
    /**
     * The number of values per sample.
     *
     * @return the product of the shape
     */
    public int size() {
      return new Layer.WeightSpec("", shape).size();
    }
  }

  /**
   * A layer applied to tensors: Keras's node.
   *
   * @param name the layer's Keras name, unique in the model
   * @param layer the layer
   * @param inbound the tensors it reads, in order (see the class comment for the numbering)
   */
  public record Node(String name, Layer layer, List<Integer> inbound) {
    /**
     * Copies the list.
     *
     * @param name the layer's name
     * @param layer the layer
     * @param inbound the tensors it reads
     */
    public Node {
      inbound = List.copyOf(inbound);
    }
  }

  private final List<Input> inputs;
  private final List<Node> nodes;
  private final List<Integer> outputs;
  private final boolean sequential;
  private final List<long[]> shapes = new ArrayList<>();
  private final List<Weight> weights = new ArrayList<>();

  private Architecture(
      List<Input> inputs, List<Node> nodes, List<Integer> outputs, boolean sequential) {
    this.inputs = List.copyOf(inputs);
    this.nodes = List.copyOf(nodes);
    this.outputs = List.copyOf(outputs);
    this.sequential = sequential;
    if (inputs.isEmpty()) throw new IllegalArgumentException("a model needs an input");
    if (nodes.isEmpty()) throw new IllegalArgumentException("a model needs a layer");
    if (outputs.isEmpty()) throw new IllegalArgumentException("a model needs an output");
    for (Input in : inputs) {
      if (in.shape().length == 0 || Arrays.stream(in.shape()).anyMatch(d -> d < 1)) {
        throw new IllegalArgumentException("input shape " + Arrays.toString(in.shape()));
      }
      shapes.add(in.shape().clone());
    }
    Set<String> names = new HashSet<>();
    for (int k = 0; k < nodes.size(); k++) {
      Node n = nodes.get(k);
      String where = "layer '" + n.name() + "' (" + n.layer().type() + ")";
      if (n.name() == null || n.name().isEmpty() || n.name().contains("/")) {
        throw new IllegalArgumentException(where + ": a layer name must be non-empty, no '/'");
      }
      if (!names.add(n.name())) {
        throw new IllegalArgumentException(where + ": layer names must be unique in a model");
      }
      List<long[]> in = new ArrayList<>();
      for (int t : n.inbound()) {
        if (t < 0 || t >= inputs.size() + k) {
          throw new IllegalArgumentException(where + ": reads tensor " + t + ", not yet computed");
        }
        in.add(shapes.get(t));
      }
      try {
        shapes.add(n.layer().outputShape(in));
        for (Layer.WeightSpec w : n.layer().weights(in)) weights.add(new Weight(k, n.name(), w));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    for (int t : outputs) {
      if (t < 0 || t >= shapes.size()) throw new IllegalArgumentException("output tensor " + t);
    }
  }

  /**
   * A Sequential chain with the layer names it gives (e.g. read from a Keras file).
   *
   * @param inputDim the number of input columns (positive)
   * @param layers the layers, in order (at least one)
   * @param layerNames one Keras name per layer
   * @throws IllegalArgumentException for a non-positive width, no layer, a name count that differs
   *     from the layer count, or a layer that cannot follow the one before it (named)
   */
  public Architecture(int inputDim, List<Layer> layers, List<String> layerNames) {
    this(
        List.of(new Input(null, new long[] {checkWidth(inputDim)})),
        chain(layers, layerNames),
        List.of(layers.size()),
        true);
  }

  private static int checkWidth(int inputDim) {
    if (inputDim <= 0) {
      throw new IllegalArgumentException("input_dim must be positive, got " + inputDim);
    }
    return inputDim;
  }

  private static List<Node> chain(List<Layer> layers, List<String> names) {
    if (layers.isEmpty()) throw new IllegalArgumentException("a Sequential model needs a layer");
    if (names.size() != layers.size()) {
      throw new IllegalArgumentException(layers.size() + " layers but " + names.size() + " names");
    }
    List<Node> out = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++)
      out.add(new Node(names.get(i), layers.get(i), List.of(i)));
    return out;
  }

  /**
   * A Sequential chain on samples of any shape (e.g. {@code [4, 4]} before a Flatten).
   *
   * @param inputShape the shape of one sample
   * @param layers the layers, in order (at least one)
   * @param layerNames one Keras name per layer
   * @return the architecture
   */
  public static Architecture sequential(
      long[] inputShape, List<Layer> layers, List<String> layerNames) {
    return new Architecture(
        List.of(new Input(null, inputShape.clone())),
        chain(layers, layerNames),
        List.of(layers.size()),
        true);
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
    return new Architecture(inputDim, layers, names(layers));
  }

  /** Fresh Keras names for these layers, in order. */
  static List<String> names(List<Layer> layers) {
    List<String> names = new ArrayList<>();
    for (Layer l : layers) names.add(uniqueName(KerasNames.toSnakeCase(l.type())));
    return names;
  }

  /**
   * A Functional model's graph.
   *
   * @param inputs the inputs, in order
   * @param nodes the layers in topological order, each with the tensors it reads
   * @param outputs the output tensors, in order
   * @return the architecture
   * @throws IllegalArgumentException for a node that reads a tensor not yet computed, duplicate
   *     names, or shapes a layer cannot take (the message names the layer)
   */
  public static Architecture functional(
      List<Input> inputs, List<Node> nodes, List<Integer> outputs) {
    for (Input in : inputs) {
      if (in.name() == null) throw new IllegalArgumentException("a Functional input needs a name");
    }
    return new Architecture(inputs, nodes, outputs, false);
  }

  /** Keras's {@code backend.get_uid}: the first is {@code prefix}, then prefix_1, prefix_2... */
  static String uniqueName(String prefix) {
    int k = UIDS.computeIfAbsent(prefix, p -> new AtomicInteger()).getAndIncrement();
    return k == 0 ? prefix : prefix + "_" + k;
  }

  /**
   * Whether this is a Sequential chain (one input, each layer reads the one before).
   *
   * @return true for a Sequential model's structure
   */
  public boolean isSequential() {
    return sequential;
  }

  /**
   * The inputs.
   *
   * @return the inputs, in order
   */
  public List<Input> inputs() {
    return inputs;
  }

  /**
   * The nodes: each layer and what it reads.
   *
   * @return the nodes, in topological order
   */
  public List<Node> nodes() {
    return nodes;
  }

  /**
   * The output tensors.
   *
   * @return their numbers (see the class comment), in order
   */
  public List<Integer> outputs() {
    return outputs;
  }

  /**
   * The shape of a tensor, without the batch axis.
   *
   * @param tensor its number (see the class comment)
   * @return a copy of its shape
   */
  public long[] shape(int tensor) {
    return shapes.get(tensor).clone();
  }

  /**
   * The input shapes of node {@code k}.
   *
   * @param k the node's index
   * @return the shapes of the tensors it reads, in order
   */
  public List<long[]> inputShapes(int k) {
    return nodes.get(k).inbound().stream().map(this::shape).toList();
  }

  /**
   * The number of input values per sample: every input's values side by side.
   *
   * @return the sum of the inputs' sizes
   */
  public int inputDim() {
    return inputs.stream().mapToInt(Input::size).sum();
  }

  /**
   * The number of output values per sample: every output's values side by side.
   *
   * @return the sum of the outputs' sizes
   */
  public int outputDim() {
    return outputs.stream().mapToInt(this::size).sum();
  }

  /** The number of values per sample of a tensor. */
  int size(int tensor) {
    return new Layer.WeightSpec("", shapes.get(tensor)).size();
  }

  /**
   * The layers, in order.
   *
   * @return the nodes' layers
   */
  public List<Layer> layers() {
    return nodes.stream().map(Node::layer).toList();
  }

  /**
   * The layers' Keras names.
   *
   * @return one name per layer, in order
   */
  public List<String> layerNames() {
    return nodes.stream().map(Node::name).toList();
  }

  /**
   * The flat input width of a layer.
   *
   * @param i the layer's index, from 0
   * @return the number of values per sample of its (first) input
   */
  public int inputDimOf(int i) {
    return size(nodes.get(i).inbound().get(0));
  }

  /**
   * A weight of the model: its layer (index and Keras name) and its spec (Keras's name for it,
   * shape, trainable or not, initializer, regularizer).
   *
   * @param layer the layer's index, from 0
   * @param layerName the layer's Keras name, e.g. {@code dense_1}
   * @param spec the weight's spec
   */
  public record Weight(int layer, String layerName, Layer.WeightSpec spec) {
    /**
     * Keras's name for the weight.
     *
     * @return {@code kernel}, {@code bias}, {@code alpha}, {@code gamma}, {@code moving_mean}, ...
     */
    public String name() {
      return spec.name();
    }

    /**
     * The weight's shape.
     *
     * @return {@code [in, units]} for a kernel, {@code [units]} for a bias, ...
     */
    public long[] shape() {
      return spec.shape().clone();
    }

    /**
     * Whether the optimizer trains it.
     *
     * @return false for state a layer updates itself (moving statistics) or holds
     */
    public boolean trainable() {
      return spec.trainable();
    }

    /**
     * The weight's path, as run.json's {@code weight_names} and the graph's variables name it.
     *
     * @return {@code layer/name}, e.g. {@code dense_1/kernel}
     */
    public String path() {
      return layerName + "/" + spec.name();
    }

    /**
     * The number of values.
     *
     * @return the product of the shape
     */
    public int size() {
      return spec.size();
    }
  }

  /**
   * Every weight, layer by layer, in Keras's {@code get_weights()} order (within a layer the
   * trainable ones first): the one walk over the weights that everything else follows.
   *
   * @return an unmodifiable list
   */
  public List<Weight> weights() {
    return List.copyOf(weights);
  }

  /**
   * The shapes of {@link #weights()}.
   *
   * @return one shape per weight, in order
   */
  public List<long[]> shapes() {
    return weights.stream().map(Weight::shape).toList();
  }

  /**
   * The number of parameters, as Keras's {@code count_params()}.
   *
   * @return the number of weight values, trainable or not
   */
  public long countParams() {
    return weights.stream().mapToLong(Weight::size).sum();
  }

  /**
   * The number of trainable parameters.
   *
   * @return the number of values the optimizer updates
   */
  public long countTrainableParams() {
    return weights.stream().filter(Weight::trainable).mapToLong(Weight::size).sum();
  }

  /**
   * Whether training differs from inference (a Dropout or BatchNormalization): the training loop
   * must run the layers in training mode.
   *
   * @return true if some layer has state or randomness that training uses
   */
  public boolean trainingDiffers() {
    return weights.stream().anyMatch(w -> !w.trainable())
        || layers().stream().anyMatch(l -> l instanceof Dropout);
  }

  /**
   * Initial weights with each weight's Keras default initializer (glorot_uniform kernels, zero
   * biases, ...), drawn in plain Java in {@link #weights()} order: the same generator state gives
   * the same weights.
   *
   * @param rng the generator, e.g. {@code new SplittableRandom(seed)} (as {@code compile} does)
   * @return flat arrays in {@link #weights()} order, kernels row-major
   */
  public List<double[]> initialWeights(RandomGenerator rng) {
    List<double[]> init = new ArrayList<>();
    for (int k = 0; k < nodes.size(); k++) {
      init.addAll(nodes.get(k).layer().initialWeights(inputShapes(k), rng));
    }
    return List.copyOf(init);
  }

  /**
   * The forward pass: the model's flat output ({@code [batch, outputDim]}); for a loss computed
   * from logits (a cross-entropy after a sigmoid or softmax output layer, as Keras 3's TF backend
   * does) the logits of a one-output model, else null; each output apart; in training mode the new
   * values of the weights layers updated (by weight index).
   *
   * @param output the model's output
   * @param logits the one output layer's pre-activation values, or null
   * @param outputs each output, flat {@code [batch, size]}, with its logits (or null)
   * @param updates new values of non-trainable weights, by index in {@link #weights()}
   */
  public record Forward(
      Operand<TFloating> output,
      Operand<TFloating> logits,
      List<Forward.Output> outputs,
      Map<Integer, Operand<TFloating>> updates) {

    /**
     * An inference pass of a one-output model.
     *
     * @param output the model's output
     * @param logits the output layer's pre-activation values, or null
     */
    public Forward(Operand<TFloating> output, Operand<TFloating> logits) {
      this(output, logits, List.of(new Output(output, logits)), Map.of());
    }

    /**
     * One output.
     *
     * @param value its values, flat {@code [batch, size]}
     * @param logits its layer's pre-activation values (flat), or null
     */
    public record Output(Operand<TFloating> value, Operand<TFloating> logits) {}
  }

  /**
   * The inference forward pass as TF ops, on weights the caller holds (variables, loop variables or
   * constants): how a SavedModel export or a training loop builds the model into its own graph.
   *
   * @param f the ops, bound to the model's dtype
   * @param x the input, {@code [batch, inputDim]} (or a seed sweep's {@code [batch, inputDim,
   *     seeds]}, with weights of a trailing seed axis, for a Sequential on flat samples)
   * @param weights one operand per weight, in {@link #weights()} order
   * @param loss the loss, to know whether to expose logits (null: none)
   * @return the output, and the logits for a cross-entropy after a sigmoid or softmax layer
   */
  public Forward forward(
      FloatOps f, Operand<TFloating> x, List<? extends Operand<TFloating>> weights, Loss loss) {
    return forward(CallContext.inference(f), x, weights, loss);
  }

  /**
   * The forward pass in the context's mode (training: Dropout drops, BatchNormalization uses and
   * updates batch statistics).
   *
   * @param c the ops and the mode
   * @param x the input, {@code [batch, inputDim]}
   * @param weights one operand per weight, in {@link #weights()} order
   * @param loss the loss, to know whether to expose logits (null: none)
   * @return the output, logits and the state updates
   */
  public Forward forward(
      CallContext c, Operand<TFloating> x, List<? extends Operand<TFloating>> weights, Loss loss) {
    return Forwarding.run(this, c, x, weights, loss, null);
  }

  /**
   * The forward pass as {@link #forward} builds it, keeping every layer's output (to look at hidden
   * units, e.g. dead ReLUs).
   *
   * @param f the ops, bound to the model's dtype
   * @param x the input
   * @param weights one operand per weight, in {@link #weights()} order
   * @return each layer's output, in order (for a Sequential the last is the model's output)
   */
  public List<Operand<TFloating>> layerOutputs(
      FloatOps f, Operand<TFloating> x, List<? extends Operand<TFloating>> weights) {
    List<Operand<TFloating>> outs = new ArrayList<>();
    Forwarding.run(this, CallContext.inference(f), x, weights, null, outs);
    return outs;
  }

  /**
   * The regularization penalties of the weights that have a regularizer, in weight order: what
   * {@code fit} adds to the loss, as Keras's {@code model.losses}.
   *
   * @param f the ops, bound to the model's dtype
   * @param weights one operand per weight, in {@link #weights()} order
   * @return one scalar per regularized weight (empty when none)
   */
  public List<Operand<TFloating>> penalties(
      FloatOps f, List<? extends Operand<TFloating>> weights) {
    List<Operand<TFloating>> out = new ArrayList<>();
    for (int j = 0; j < this.weights.size(); j++) {
      Regularizer r = this.weights.get(j).spec().regularizer();
      if (r != null && this.weights.get(j).trainable()) out.add(r.penalty(f, weights.get(j)));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Architecture a
        && sequential == a.sequential
        && layerNames().equals(a.layerNames())
        && layers().stream()
            .map(Architecture::signature)
            .toList()
            .equals(a.layers().stream().map(Architecture::signature).toList())
        && nodes.stream()
            .map(Node::inbound)
            .toList()
            .equals(a.nodes.stream().map(Node::inbound).toList())
        && outputs.equals(a.outputs)
        && inputs.size() == a.inputs.size()
        && Arrays.deepEquals(
            inputs.stream().map(Input::shape).toArray(),
            a.inputs.stream().map(Input::shape).toArray());
  }

  /**
   * What a layer is, as Keras would store it: its class and config (or its activation's name and
   * parameters where Keras cannot store them).
   */
  private static String signature(Layer l) {
    StringBuilder b = new StringBuilder();
    for (Layer k : l.kerasForm()) {
      b.append(k.type()).append(':');
      try {
        b.append(k.config());
      } catch (IllegalArgumentException e) {
        b.append(k.activationName())
            .append(k instanceof ActivationLayer a ? a.activation().params() : "");
      }
      b.append(';');
    }
    return b.toString();
  }

  @Override
  public int hashCode() {
    return layerNames().hashCode();
  }

  @Override
  public String toString() {
    return (sequential ? "Sequential" : "Functional") + layerNames();
  }
}
