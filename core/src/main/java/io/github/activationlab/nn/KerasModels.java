package io.github.activationlab.nn;

import io.github.activationlab.internal.keras.KerasCompile;
import io.github.activationlab.internal.keras.KerasFiles;
import io.github.activationlab.internal.keras.KerasLayer;
import io.github.activationlab.internal.keras.KerasModelFile;
import io.github.activationlab.internal.keras.KerasOptimizerState;
import io.github.activationlab.internal.keras.KerasWeight;
import io.github.activationlab.tf.DTypes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * A {@link Model} as a Keras 3 {@code .keras} file and back ({@link KerasFiles} does the format):
 * the architecture through the layer registry (each layer's class and config, {@link Layer}), the
 * weights through {@link Architecture#weights()}, the compile config (loss, optimizer, metrics) and
 * the optimizer's state, so that training continues where it stopped. A loss or optimizer Java
 * lacks still loads, for prediction only.
 */
final class KerasModels {
  private KerasModels() {}

  // -------------------------------------------------------------------------- Java to Keras

  /** The model as a {@code .keras} file's contents. */
  static KerasModelFile toKeras(Model model) {
    Architecture arch = model.architecture();
    String dtype = DTypes.name(model.dtype());
    List<double[]> values = model.getWeights();
    List<Architecture.Weight> walk = arch.weights();
    List<KerasLayer> layers = new ArrayList<>();
    List<String> inputs = new ArrayList<>();
    // the Keras layer name that holds each tensor, as a consumer refers to it
    List<String> tensorLayer = new ArrayList<>();
    for (Architecture.Input in : arch.inputs()) {
      String name = in.name() != null ? in.name() : inputName(arch);
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("batch_shape", batchShape(in.shape()));
      c.put("dtype", dtype); // a plain string on the InputLayer, not a policy
      c.put("sparse", false);
      c.put("ragged", false);
      c.put("name", name);
      layers.add(new KerasLayer(KerasLayer.INPUT, name, c, List.of(), List.of(), List.of()));
      inputs.add(name);
      tensorLayer.add(name);
    }
    int at = 0;
    for (int k = 0; k < arch.nodes().size(); k++) {
      Architecture.Node n = arch.nodes().get(k);
      List<long[]> shapes = arch.inputShapes(k);
      List<String> inbound = n.inbound().stream().map(tensorLayer::get).toList();
      List<Layer> chain = n.layer().kerasForm();
      for (int c = 0; c < chain.size(); c++) {
        Layer l = chain.get(c);
        String name = c == 0 ? n.name() : n.name() + "_activation";
        List<Layer.WeightSpec> specs = l.weights(shapes);
        List<KerasWeight> w = new ArrayList<>();
        for (Layer.WeightSpec s : specs) {
          w.add(
              new KerasWeight(s.name(), s.shape(), values.get(at), s.integer() ? "int64" : dtype));
          if (!walk.get(at).name().equals(s.name()))
            throw new IllegalStateException(name + ": " + s.name());
          at++;
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name);
        config.put("trainable", true);
        config.put("dtype", KerasFiles.dtypePolicy(dtype));
        try {
          config.putAll(l.config());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "layer '" + name + "' (" + l.type() + "): " + e.getMessage(), e);
        }
        layers.add(new KerasLayer(l.type(), name, config, inbound, shapes, w));
        shapes = List.of(l.outputShape(shapes));
        inbound = List.of(name);
      }
      tensorLayer.add(inbound.get(0));
    }
    List<String> outputs = arch.outputs().stream().map(tensorLayer::get).toList();
    KerasCompile compile = compile(model);
    Optimizer.State s = model.optimizerState();
    KerasOptimizerState state =
        new KerasOptimizerState(
            s.iterations(), model.optimizer().learningRate(), h5Variables(model, s, dtype));
    boolean seq = arch.isSequential();
    return new KerasModelFile(
        seq ? KerasModelFile.SEQUENTIAL : KerasModelFile.FUNCTIONAL,
        model.name(),
        layers,
        seq ? List.of() : inputs,
        seq ? List.of() : outputs,
        compile,
        state,
        null);
  }

  /** "input_layer", unless a layer already has that name. */
  private static String inputName(Architecture arch) {
    String name = "input_layer";
    for (int n = 1; arch.layerNames().contains(name); n++) name = "input_layer_" + n;
    return name;
  }

  private static List<Object> batchShape(long[] shape) {
    List<Object> s = new ArrayList<>();
    s.add(null);
    for (long d : shape) s.add(d);
    return s;
  }

  private static KerasCompile compile(Model model) {
    Optimizer o = model.optimizer();
    String name = KerasNamesOf.optimizer(o);
    Map<String, Object> config = Optimizers.kerasConfig(o, name, weightDecay(o));
    Object loss = model.loss().kerasConfig();
    String lossName = loss instanceof String s ? s : model.loss().kerasClass();
    @SuppressWarnings("unchecked")
    Map<String, Object> lossConfig =
        loss instanceof Map<?, ?> m ? (Map<String, Object>) m.get("config") : Map.of();
    return new KerasCompile(lossName, lossConfig, o.kerasClass(), config, model.metrics());
  }

  private static Double weightDecay(Optimizer o) {
    Object wd = o.config().get("weight_decay");
    return wd instanceof Double d ? d : null;
  }

  /** The optimizer's slots in Keras's h5 order (groups, each interleaved per weight). */
  private static List<KerasWeight> h5Variables(Model model, Optimizer.State s, String dtype) {
    Optimizers.Rule rule = Optimizers.rule(model.optimizer());
    List<long[]> shapes = model.trainableShapes();
    List<KerasWeight> out = new ArrayList<>();
    for (List<Integer> group : rule.h5Groups()) {
      for (int j = 0; j < shapes.size(); j++) {
        for (int slot : group) {
          String name = rule.slotNames().get(slot);
          out.add(new KerasWeight(name, shapes.get(j), s.slot(name).get(j), dtype));
        }
      }
    }
    return out;
  }

  // -------------------------------------------------------------------------- Keras to Java

  /**
   * A compiled model from a {@code .keras} file: weights and, when the file has it, the optimizer's
   * state. With a loss or optimizer Java lacks, the model predicts but refuses {@code fit}.
   */
  static Model load(Path file) throws IOException {
    return fromKeras(KerasFiles.read(file), file.toString());
  }

  static Model fromKeras(KerasModelFile f, String source) {
    try {
      return build(f, source);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  private static Model build(KerasModelFile f, String source) {
    Class<? extends TFloating> dtype = null;
    List<Architecture.Input> inputs = new ArrayList<>();
    Map<String, Integer> tensor = new HashMap<>();
    List<KerasLayer> kept = new ArrayList<>();
    List<String> inputNames = f.sequential() ? List.of(f.layers().get(0).name()) : f.inputs();
    for (String in : inputNames) {
      KerasLayer l = f.layers().stream().filter(x -> x.name().equals(in)).findFirst().orElseThrow();
      long[] shape = l.inputShape();
      if (shape == null || shape.length == 0 || Arrays.stream(shape).anyMatch(d -> d < 1)) {
        throw new IllegalArgumentException(
            "input '"
                + in
                + "' has shape "
                + Arrays.toString(shape)
                + ": every dimension but the"
                + " batch must be known");
      }
      tensor.put(in, inputs.size());
      inputs.add(new Architecture.Input(f.sequential() ? null : in, shape));
    }
    List<Architecture.Node> nodes = new ArrayList<>();
    for (KerasLayer k : f.layers()) {
      if (k.className().equals(KerasLayer.INPUT)) continue;
      Class<? extends TFloating> t = dtype(k);
      if (dtype != null && dtype != t) {
        throw new IllegalArgumentException(
            "layers of mixed dtypes ("
                + k.name()
                + " is "
                + k.dtype()
                + "); only one dtype per"
                + " model is supported");
      }
      dtype = t;
      Layer layer = LayerRegistry.read(k.className(), k.name(), k.config());
      List<Integer> in =
          f.sequential()
              ? List.of(inputs.size() + nodes.size() - 1)
              : k.inbound().stream().map(tensor::get).toList();
      tensor.put(k.name(), inputs.size() + nodes.size());
      nodes.add(new Architecture.Node(k.name(), layer, in));
      kept.add(k);
    }
    if (nodes.isEmpty()) throw new IllegalArgumentException("the model has no layers");
    List<Integer> outputs =
        f.sequential()
            ? List.of(inputs.size() + nodes.size() - 1)
            : f.outputs().stream().map(tensor::get).toList();
    Architecture arch =
        f.sequential()
            ? Architecture.sequential(
                inputs.get(0).shape(),
                nodes.stream().map(Architecture.Node::layer).toList(),
                nodes.stream().map(Architecture.Node::name).toList())
            : Architecture.functional(inputs, nodes, outputs);
    List<double[]> weights = weights(arch, kept);
    Model model =
        (f.sequential() ? Sequential.of(f.name(), arch) : Functional.of(f.name(), arch))
            .dtype(dtype);
    KerasCompile c = f.compile();
    Object opt =
        c == null
            ? "the model was saved uncompiled (no loss, no optimizer)"
            : Optimizers.fromKeras(c.optimizer(), c.optimizerConfig());
    String why = opt instanceof String s ? s : null;
    Loss loss = null;
    if (why == null) {
      try {
        loss = loss(c);
      } catch (IllegalArgumentException e) {
        why = e.getMessage();
      }
    }
    List<String> metrics =
        c == null ? List.of() : c.metrics().stream().filter(Metrics.NAMES::contains).toList();
    Optimizer optimizer = why == null ? withStateLearningRate((Optimizer) opt, f) : Adam.defaults();
    model.compile(why == null ? loss : Loss.MSE, optimizer, 0, metrics.toArray(String[]::new));
    try {
      model.setWeights(weights);
      if (why == null && f.optimizer() != null && !f.optimizer().variables().isEmpty()) {
        model.setOptimizerState(state(f.optimizer(), optimizer, model.trainableShapes()));
      } else if (why == null && f.optimizer() != null) {
        long it = f.optimizer().iterations();
        Optimizer.State fresh = Optimizers.fresh(optimizer, model.trainableShapes());
        model.setOptimizerState(new Optimizer.State(it, fresh.slots()));
      }
      model.notTrainable(why == null ? null : source + ": " + why);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    return model;
  }

  private static Class<? extends TFloating> dtype(KerasLayer k) {
    return switch (k.dtype()) {
      case "float32" -> TFloat32.class;
      case "float64" -> TFloat64.class;
      default ->
          throw new IllegalArgumentException(
              "layer '"
                  + k.name()
                  + "' has dtype "
                  + k.dtype()
                  + "; only float32 and float64 are"
                  + " supported");
    };
  }

  /** The file's weights, checked against what each layer's config implies. */
  private static List<double[]> weights(Architecture arch, List<KerasLayer> layers) {
    List<double[]> out = new ArrayList<>();
    for (int k = 0; k < layers.size(); k++) {
      KerasLayer kl = layers.get(k);
      Layer layer = arch.nodes().get(k).layer();
      List<Layer.WeightSpec> want = layer.weights(arch.inputShapes(k));
      List<KerasWeight> got = kl.weights();
      String where = "layer '" + kl.name() + "' (" + kl.className() + ")";
      if (got.size() != want.size()) {
        throw new IllegalArgumentException(
            where
                + ": the file has "
                + got.size()
                + " weights, its config implies "
                + want.size()
                + " "
                + want.stream().map(w -> w.name() + Arrays.toString(w.shape())).toList());
      }
      List<double[]> mine = new ArrayList<>();
      for (int i = 0; i < want.size(); i++) {
        Layer.WeightSpec w = want.get(i);
        if (!Arrays.equals(got.get(i).shape(), w.shape())) {
          throw new IllegalArgumentException(
              where
                  + ": weight "
                  + w.name()
                  + " has shape "
                  + Arrays.toString(got.get(i).shape())
                  + ", its config implies "
                  + Arrays.toString(w.shape()));
        }
        mine.add(got.get(i).values());
      }
      if (layer instanceof Normalization && Normalization.neverAdapted(mine)) {
        throw new IllegalArgumentException(
            where
                + " was never adapted (its mean and variance are still 0 and 1): call adapt()"
                + " before saving");
      }
      out.addAll(mine);
    }
    return out;
  }

  private static Loss loss(KerasCompile c) {
    if (c.loss() == null)
      throw new IllegalArgumentException("the model was compiled without a loss");
    Loss l;
    try {
      l = Loss.of(c.loss());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "loss "
              + c.loss()
              + " is not supported (supported: mse,"
              + " mae, huber, binary_crossentropy, categorical_crossentropy,"
              + " sparse_categorical_crossentropy)");
    }
    Map<String, Object> lc = c.lossConfig();
    if (Boolean.TRUE.equals(lc.get("from_logits"))) l = l.fromLogits();
    if (lc.get("label_smoothing") instanceof Number n && n.doubleValue() != 0) {
      throw new IllegalArgumentException(
          "loss " + c.loss() + " with label_smoothing is not supported");
    }
    if (lc.get("ignore_class") != null) {
      throw new IllegalArgumentException(
          "loss " + c.loss() + " with ignore_class is not supported");
    }
    if (lc.get("reduction") instanceof String r && !r.equals("sum_over_batch_size")) {
      throw new IllegalArgumentException(
          "loss " + c.loss() + " with reduction " + r + " is not supported");
    }
    return l;
  }

  /**
   * The learning rate: Keras loads it from the optimizer's state (a float32), which overrides the
   * config's. The config's value is kept when it is the same float32 (Java writes it in full
   * precision), so a Java model round-trips exactly.
   */
  private static Optimizer withStateLearningRate(Optimizer o, KerasModelFile f) {
    if (f.optimizer() == null) return o;
    double state = f.optimizer().learningRate();
    if ((float) o.learningRate() == (float) state) return o;
    Map<String, Object> c = new LinkedHashMap<>(f.compile().optimizerConfig());
    c.put("learning_rate", state);
    return (Optimizer) Optimizers.fromKeras(o.kerasClass(), c);
  }

  /** The file's optimizer variables as the optimizer's state. */
  private static Optimizer.State state(KerasOptimizerState s, Optimizer o, List<long[]> shapes) {
    Optimizers.Rule rule = Optimizers.rule(o);
    int per = rule.slotNames().size();
    int want = per * shapes.size();
    List<KerasWeight> vars = s.variables();
    if (vars.size() != want) {
      throw new IllegalArgumentException(
          "optimizer/vars holds "
              + (vars.size() + 2)
              + " datasets; "
              + o.kerasClass()
              + " "
              + rule.slotNames()
              + " over "
              + shapes.size()
              + " trainable weights has "
              + (want + 2)
              + " (iterations, learning_rate, then its slots)");
    }
    List<List<double[]>> slots = new ArrayList<>();
    for (int i = 0; i < per; i++) slots.add(new ArrayList<>());
    int at = 0;
    for (List<Integer> group : rule.h5Groups()) {
      for (int j = 0; j < shapes.size(); j++) {
        for (int slot : group) {
          KerasWeight w = vars.get(at++);
          if (!Arrays.equals(w.shape(), shapes.get(j))) {
            throw new IllegalArgumentException(
                "optimizer/vars/"
                    + (at + 1)
                    + " ("
                    + rule.slotNames().get(slot)
                    + " of trainable"
                    + " weight "
                    + j
                    + ") has shape "
                    + Arrays.toString(w.shape())
                    + ", the weight "
                    + Arrays.toString(shapes.get(j)));
          }
          slots.get(slot).add(w.values());
        }
      }
    }
    Map<String, List<double[]>> m = new LinkedHashMap<>();
    for (int i = 0; i < per; i++) m.put(rule.slotNames().get(i), slots.get(i));
    return new Optimizer.State(s.iterations(), m);
  }

  /** Keras's default optimizer names, as {@code get_config()} gives them. */
  private static final class KerasNamesOf {
    static String optimizer(Optimizer o) {
      return switch (o.kerasClass()) {
        case "AdamW" -> "adam_w";
        case "RMSprop" -> "rm_sprop";
        default -> o.kerasClass().toLowerCase(java.util.Locale.ROOT);
      };
    }
  }
}
