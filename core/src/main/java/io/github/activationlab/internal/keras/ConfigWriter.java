package io.github.activationlab.internal.keras;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code config.json} as Keras 3.15 does for these layers (see {@link KerasFiles}), leaving
 * out only what does not change loading: the {@code shared_object_id}s of the dtype policies,
 * Dense's {@code quantization_config: null} and the InputLayer's {@code optional: false} (keys that
 * are newer than Keras 3.0; their defaults are the same).
 */
final class ConfigWriter {
  private ConfigWriter() {}

  /** Keras's Adam hyperparameters and their defaults, in the order Keras writes them. */
  static final Map<String, Object> ADAM_DEFAULTS = adamDefaults();

  private static Map<String, Object> adamDefaults() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "adam");
    m.put("learning_rate", 0.001);
    m.put("beta_1", 0.9);
    m.put("beta_2", 0.999);
    m.put("epsilon", 1e-7);
    m.put("amsgrad", false);
    return m;
  }

  static JsonObject write(KerasModelFile model, Gson gson) {
    JsonObject seqConfig = new JsonObject();
    seqConfig.addProperty("name", model.name());
    seqConfig.addProperty("trainable", true);
    seqConfig.add("dtype", policy("float32"));
    JsonArray layers = new JsonArray();
    layers.add(inputLayer(model));
    long features = model.inputDim();
    for (KerasLayer l : model.layers()) {
      layers.add(layer(l, features));
      if (l.className().equals(KerasLayer.DENSE)) {
        features = l.units();
      }
    }
    seqConfig.add("layers", layers);
    seqConfig.add("build_input_shape", batchShape(model.inputDim()));

    JsonObject root = new JsonObject();
    root.addProperty("module", "keras");
    root.addProperty("class_name", "Sequential");
    root.add("config", seqConfig);
    root.add("registered_name", JsonNull.INSTANCE);
    root.add("build_config", buildConfig(model.inputDim()));
    root.add("compile_config", compile(model, gson));
    return root;
  }

  private static JsonObject inputLayer(KerasModelFile model) {
    JsonObject c = new JsonObject();
    c.add("batch_shape", batchShape(model.inputDim()));
    c.addProperty("dtype", model.inputDtype()); // a plain string here, not a policy
    c.addProperty("sparse", false);
    c.addProperty("ragged", false);
    c.addProperty("name", inputName(model));
    return object("keras.layers", "InputLayer", c, null);
  }

  /** "input_layer", unless a layer already has that name. */
  static String inputName(KerasModelFile model) {
    String name = "input_layer";
    int n = 0;
    while (true) {
      final String candidate = name;
      if (model.layers().stream().noneMatch(l -> l.name().equals(candidate))) {
        return name;
      }
      name = "input_layer_" + ++n;
    }
  }

  private static JsonObject layer(KerasLayer l, long features) {
    JsonObject c = new JsonObject();
    c.addProperty("name", l.name());
    c.addProperty("trainable", true);
    c.add("dtype", policy(l.dtype()));
    switch (l.className()) {
      case KerasLayer.DENSE -> {
        c.addProperty("units", l.units());
        c.addProperty("activation", l.activation());
        c.addProperty("use_bias", l.useBias());
        c.add(
            "kernel_initializer",
            object("keras.initializers", "GlorotUniform", initializerSeed(), null));
        c.add("bias_initializer", object("keras.initializers", "Zeros", new JsonObject(), null));
        for (String k :
            List.of(
                "kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint")) {
          c.add(k, JsonNull.INSTANCE);
        }
        return object("keras.layers", "Dense", c, buildConfig(features));
      }
      case KerasLayer.PRELU -> {
        c.add("alpha_initializer", object("keras.initializers", "Zeros", new JsonObject(), null));
        c.add("alpha_regularizer", JsonNull.INSTANCE);
        c.add("alpha_constraint", JsonNull.INSTANCE);
        c.add("shared_axes", JsonNull.INSTANCE);
        return object("keras.layers", "PReLU", c, buildConfig(features));
      }
      default -> {
        Map.Entry<String, JsonObject> a = ActivationLayers.write(l);
        for (Map.Entry<String, JsonElement> e : a.getValue().entrySet()) {
          c.add(e.getKey(), e.getValue());
        }
        // Keras writes no build_config for activation layers
        return object("keras.layers", a.getKey(), c, null);
      }
    }
  }

  private static JsonObject initializerSeed() {
    JsonObject c = new JsonObject();
    c.add("seed", JsonNull.INSTANCE);
    return c;
  }

  private static JsonElement compile(KerasModelFile model, Gson gson) {
    KerasCompile k = model.compile();
    JsonObject c = new JsonObject();
    if (k == null) {
      return c; // Keras writes {} for an uncompiled model
    }
    c.add(
        "optimizer",
        object(
            "keras.optimizers",
            k.optimizer(),
            gson.toJsonTree(optimizerConfig(model)).getAsJsonObject(),
            null));
    c.add("loss", k.loss() == null ? JsonNull.INSTANCE : gson.toJsonTree(k.loss()));
    c.add("loss_weights", JsonNull.INSTANCE);
    c.add("metrics", k.metrics().isEmpty() ? JsonNull.INSTANCE : gson.toJsonTree(k.metrics()));
    c.add("weighted_metrics", JsonNull.INSTANCE);
    c.addProperty("run_eagerly", false);
    c.addProperty("steps_per_execution", 1);
    c.addProperty("jit_compile", false);
    return c;
  }

  /**
   * The optimizer config to write: for Adam, Keras's defaults overlaid with the caller's entries;
   * the learning rate from Adam's state when the config has none.
   */
  static Map<String, Object> optimizerConfig(KerasModelFile model) {
    KerasCompile k = model.compile();
    Map<String, Object> out = new LinkedHashMap<>();
    if (k.optimizer().equals("Adam")) {
      out.putAll(ADAM_DEFAULTS);
      if (model.adam() != null && !k.optimizerConfig().containsKey("learning_rate")) {
        out.put("learning_rate", model.adam().learningRate());
      }
    }
    out.putAll(k.optimizerConfig());
    return out;
  }

  /** Keras's DTypePolicy object. */
  static JsonObject policy(String dtype) {
    JsonObject c = new JsonObject();
    c.addProperty("name", dtype);
    return object("keras", "DTypePolicy", c, null);
  }

  private static JsonObject object(
      String module, String className, JsonObject config, JsonObject buildConfig) {
    JsonObject o = new JsonObject();
    o.addProperty("module", module);
    o.addProperty("class_name", className);
    o.add("config", config);
    o.add("registered_name", JsonNull.INSTANCE);
    if (buildConfig != null) {
      o.add("build_config", buildConfig);
    }
    return o;
  }

  private static JsonObject buildConfig(long features) {
    JsonObject b = new JsonObject();
    b.add("input_shape", batchShape(features));
    return b;
  }

  private static JsonArray batchShape(long features) {
    JsonArray a = new JsonArray();
    a.add(JsonNull.INSTANCE);
    a.add(features);
    return a;
  }
}
