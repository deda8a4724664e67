package io.github.activationlab.nn;

import io.github.activationlab.internal.keras.KerasCompile;
import io.github.activationlab.internal.keras.KerasFiles;
import io.github.activationlab.internal.keras.KerasLayer;
import io.github.activationlab.internal.keras.KerasModelFile;
import io.github.activationlab.internal.keras.KerasOptimizerState;
import io.github.activationlab.internal.keras.KerasWeight;
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
 * A compiled {@link Model} from a {@code .keras} file's contents: the layers through the layer
 * registry ({@code LayerRegistry}: an unsupported class is one error that names it and lists the
 * supported ones), the weights checked against what each layer's config implies (count, shapes, a
 * Normalization never adapted), the compile config (loss, optimizer, metrics) and the optimizer's
 * state from its variables in Keras's order. A loss or optimizer Java lacks still loads, for
 * prediction only ({@link Model#whyNotTrainable()}).
 */
final class KerasLoader {
  private KerasLoader() {}

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
      if (why != null) model.keepCompile(c, f.optimizer());
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
}
