package io.github.activationlab.nn;

import io.github.activationlab.internal.keras.KerasCompile;
import io.github.activationlab.internal.keras.KerasFiles;
import io.github.activationlab.internal.keras.KerasLayer;
import io.github.activationlab.internal.keras.KerasModelFile;
import io.github.activationlab.internal.keras.KerasOptimizerState;
import io.github.activationlab.internal.keras.KerasWeight;
import io.github.activationlab.tf.DTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Model} as a Keras 3 {@code .keras} file's contents ({@link KerasFiles} does the format;
 * {@link KerasLoader} the way back): each layer's Keras class and config ({@link Layer#type()},
 * {@link Layer#config()}, a Dense with activation parameters as its {@link Layer#kerasForm()}), the
 * weights through {@link Architecture#weights()}, the compile config (loss, optimizer, metrics) and
 * the optimizer's state in Keras's variable order, so that training continues where it stopped.
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
    KerasCompile compile;
    KerasOptimizerState state;
    if (model.keptCompile() != null) {
      // a model loaded for prediction only: the file's compile config and state, unchanged
      compile = (KerasCompile) model.keptCompile()[0];
      state = (KerasOptimizerState) model.keptCompile()[1];
    } else {
      compile = compile(model);
      Optimizer.State s = model.optimizerState();
      state =
          new KerasOptimizerState(
              s.iterations(), model.optimizer().learningRate(), h5Variables(model, s, dtype));
    }
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

  /** Keras's default optimizer names, as {@code get_config()} gives them. */
  static final class KerasNamesOf {
    static String optimizer(Optimizer o) {
      return switch (o.kerasClass()) {
        case "AdamW" -> "adam_w";
        case "RMSprop" -> "rm_sprop";
        default -> o.kerasClass().toLowerCase(java.util.Locale.ROOT);
      };
    }
  }
}
