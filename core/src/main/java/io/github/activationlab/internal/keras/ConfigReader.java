package io.github.activationlab.internal.keras;

import static io.github.activationlab.internal.keras.JsonValues.array;
import static io.github.activationlab.internal.keras.JsonValues.bool;
import static io.github.activationlab.internal.keras.JsonValues.brief;
import static io.github.activationlab.internal.keras.JsonValues.integer;
import static io.github.activationlab.internal.keras.JsonValues.object;
import static io.github.activationlab.internal.keras.JsonValues.string;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code config.json}: the Sequential's layers and the compile config. See {@link KerasFiles}
 * for the layout.
 */
final class ConfigReader {
  private ConfigReader() {}

  /** A weight the config implies: its name and shape. */
  record ExpectedWeight(String name, long[] shape) {
    @Override
    public String toString() {
      return name + " " + Arrays.toString(shape);
    }
  }

  /** A layer as the config describes it, before its weights are read. */
  record LayerPlan(
      KerasLayer layer, String kerasClass, String h5Path, List<ExpectedWeight> weights) {
    String where() {
      return "layer '" + layer.name() + "' (" + kerasClass + ")";
    }
  }

  /** Everything config.json says. */
  record Plan(
      String name, int inputDim, String inputDtype, List<LayerPlan> layers, KerasCompile compile) {}

  static Plan read(JsonObject root) throws KerasFormatException {
    String cls = string(root, "class_name", "config.json");
    if ("Functional".equals(cls) || "Model".equals(cls)) {
      throw new KerasFormatException(
          "the model is a Functional model (class_name '"
              + cls
              + "'); only Sequential models are supported");
    }
    if (!"Sequential".equals(cls)) {
      throw new KerasFormatException(
          "the model's class '"
              + cls
              + "'"
              + registered(root)
              + " is not supported; only Sequential models are supported");
    }
    JsonObject config = object(root.get("config"), "config.json: the Sequential's config");
    String name = string(config, "name", "the Sequential's config");
    JsonArray layerConfigs = array(config.get("layers"), "config.json: the Sequential's layers");

    // First pass: classes (so an unsupported layer is named before anything else fails).
    List<JsonObject> layers = new ArrayList<>();
    JsonObject input = null;
    for (int i = 0; i < layerConfigs.size(); i++) {
      JsonObject l = object(layerConfigs.get(i), "config.json: layer " + i);
      String lc = string(l, "class_name", "config.json: layer " + i);
      JsonObject lcfg = object(l.get("config"), "config.json: layer " + i + "'s config");
      String lname = string(lcfg, "name", "config.json: layer " + i);
      String where = "layer '" + lname + "' of class " + lc;
      if (isCustom(l)) {
        throw new KerasFormatException(
            where
                + registered(l)
                + " is a custom object, not supported; supported layers: "
                + KerasFiles.SUPPORTED_LAYERS);
      }
      if ("InputLayer".equals(lc)) {
        if (i != 0) {
          throw new KerasFormatException(where + " is not the first layer");
        }
        input = lcfg;
        continue;
      }
      if (!KerasFiles.SUPPORTED_LAYERS.contains(lc)) {
        throw new KerasFormatException(
            where + " is not supported; supported layers: " + KerasFiles.SUPPORTED_LAYERS);
      }
      if (!bool(lcfg, "trainable", true, where)) {
        throw new KerasFormatException(
            where + " is frozen (trainable: false); only trainable" + " layers are supported");
      }
      layers.add(l);
    }

    long[] inputShape = inputShape(root, config, input);
    if (inputShape.length != 2 || inputShape[1] < 1) {
      throw new KerasFormatException(
          "input shape "
              + shapeText(inputShape)
              + " is not supported: only flat inputs [batch, features]");
    }
    String inputDtype = input == null ? "float32" : dtypeName(input.get("dtype"), "InputLayer");

    List<String> classes = new ArrayList<>();
    for (JsonObject l : layers) {
      classes.add(l.get("class_name").getAsString());
    }
    List<String> paths = KerasNames.layerPaths(classes);
    List<LayerPlan> plans = new ArrayList<>();
    long features = inputShape[1];
    for (int i = 0; i < layers.size(); i++) {
      LayerPlan p = layer(layers.get(i), paths.get(i), features);
      if (p.layer().className().equals(KerasLayer.DENSE)) {
        features = p.layer().units();
      }
      plans.add(p);
    }
    KerasCompile compile = compile(root.get("compile_config"));
    return new Plan(
        name == null ? "sequential" : name, (int) inputShape[1], inputDtype, plans, compile);
  }

  private static LayerPlan layer(JsonObject l, String path, long features)
      throws KerasFormatException {
    String cls = l.get("class_name").getAsString();
    JsonObject c = l.getAsJsonObject("config");
    String name = string(c, "name", "layer");
    String where = "layer '" + name + "' (" + cls + ")";
    String dtype = dtypeName(c.get("dtype"), where);
    switch (cls) {
      case "Dense" -> {
        long units = integer(c.get("units"), where + ": units");
        if (units < 1 || units > Integer.MAX_VALUE) {
          throw new KerasFormatException(where + ": units = " + units);
        }
        JsonElement a = c.get("activation");
        String activation;
        if (a == null || a.isJsonNull()) {
          activation = "linear";
        } else if (a.isJsonPrimitive() && a.getAsJsonPrimitive().isString()) {
          activation = a.getAsString();
        } else {
          throw new KerasFormatException(
              where
                  + ": activation "
                  + brief(a)
                  + " is not a Keras activation name (custom activation functions are not"
                  + " supported)");
        }
        boolean useBias = bool(c, "use_bias", true, where);
        List<ExpectedWeight> w = new ArrayList<>();
        w.add(new ExpectedWeight("kernel", new long[] {features, units}));
        if (useBias) {
          w.add(new ExpectedWeight("bias", new long[] {units}));
        }
        KerasLayer layer =
            new KerasLayer(
                KerasLayer.DENSE,
                name,
                dtype,
                (int) units,
                useBias,
                activation,
                Map.of(),
                List.of());
        return new LayerPlan(layer, cls, path, w);
      }
      case "PReLU" -> {
        JsonElement shared = c.get("shared_axes");
        if (shared != null
            && !shared.isJsonNull()
            && !(shared.isJsonArray() && shared.getAsJsonArray().isEmpty())) {
          throw new KerasFormatException(
              where
                  + ": shared_axes "
                  + brief(shared)
                  + " is not supported (only one alpha per unit, shared_axes null)");
        }
        KerasLayer layer =
            new KerasLayer(KerasLayer.PRELU, name, dtype, 0, false, null, Map.of(), List.of());
        return new LayerPlan(
            layer, cls, path, List.of(new ExpectedWeight("alpha", new long[] {features})));
      }
      default -> {
        ActivationLayers.Neutral n = ActivationLayers.read(cls, c, where);
        KerasLayer layer =
            new KerasLayer(
                KerasLayer.ACTIVATION,
                name,
                dtype,
                0,
                false,
                n.activation(),
                n.params(),
                List.of());
        return new LayerPlan(layer, cls, path, List.of());
      }
    }
  }

  /**
   * The input shape: the InputLayer's {@code batch_shape} (Keras 3; {@code batch_input_shape} in
   * older files), else the Sequential's {@code build_input_shape}, else the model's {@code
   * build_config.input_shape}.
   */
  private static long[] inputShape(JsonObject root, JsonObject config, JsonObject input)
      throws KerasFormatException {
    JsonElement shape = null;
    if (input != null) {
      shape = input.has("batch_shape") ? input.get("batch_shape") : input.get("batch_input_shape");
    }
    if (shape == null || shape.isJsonNull()) {
      shape = config.get("build_input_shape");
    }
    if ((shape == null || shape.isJsonNull())
        && root.get("build_config") != null
        && root.get("build_config").isJsonObject()) {
      shape = root.getAsJsonObject("build_config").get("input_shape");
    }
    if (shape == null || shape.isJsonNull()) {
      throw new KerasFormatException(
          "the model has no input shape (no InputLayer, no"
              + " build_input_shape): Keras could not build it either");
    }
    JsonArray a = array(shape, "the input shape");
    long[] out = new long[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).isJsonNull() ? -1 : integer(a.get(i), "the input shape");
    }
    return out;
  }

  /**
   * A dtype policy's name: Keras 3.15 writes {@code {"module": "keras", "class_name":
   * "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}} on layers and a plain
   * {@code "float32"} on the InputLayer; older files may have the plain string everywhere.
   */
  static String dtypeName(JsonElement e, String where) throws KerasFormatException {
    if (e == null || e.isJsonNull()) {
      return "float32";
    }
    if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
      return e.getAsString();
    }
    if (e.isJsonObject()) {
      JsonElement c = e.getAsJsonObject().get("config");
      if (c != null && c.isJsonObject()) {
        String n = string(c.getAsJsonObject(), "name", where + ": dtype");
        if (n != null) {
          return n;
        }
      }
    }
    throw new KerasFormatException(where + ": dtype " + brief(e) + " is not a dtype policy");
  }

  /** The compile config, or null when absent, null or {} (an uncompiled model). */
  private static KerasCompile compile(JsonElement e) throws KerasFormatException {
    if (JsonValues.isEmpty(e)) {
      return null;
    }
    JsonObject c = object(e, "compile_config");
    JsonElement opt = c.get("optimizer");
    String optimizer;
    Map<String, Object> optConfig = Map.of();
    if (opt == null || opt.isJsonNull()) {
      optimizer = "none";
    } else if (opt.isJsonPrimitive()) {
      optimizer = opt.getAsString(); // compile(optimizer="adam") can be stored as a name
    } else {
      JsonObject o = object(opt, "compile_config.optimizer");
      optimizer = string(o, "class_name", "compile_config.optimizer");
      if (optimizer == null) {
        throw new KerasFormatException("compile_config.optimizer has no class_name");
      }
      Object cfg = JsonValues.plain(o.get("config"));
      if (cfg instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) m;
        optConfig = typed;
      }
    }
    String loss = name(c.get("loss"));
    List<String> metrics = new ArrayList<>();
    addNames(c.get("metrics"), metrics);
    return new KerasCompile(loss, optimizer, optConfig, metrics);
  }

  /** A loss or metric as a name: strings as they are, objects by class_name. */
  private static String name(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (e.isJsonPrimitive()) {
      return e.getAsString();
    }
    if (e.isJsonObject() && e.getAsJsonObject().has("class_name")) {
      return e.getAsJsonObject().get("class_name").getAsString();
    }
    if (e.isJsonArray() && e.getAsJsonArray().size() == 1) {
      return name(e.getAsJsonArray().get(0));
    }
    return e.toString();
  }

  private static void addNames(JsonElement e, List<String> out) {
    if (e == null || e.isJsonNull()) {
      return;
    }
    if (e.isJsonArray()) {
      for (JsonElement x : e.getAsJsonArray()) {
        addNames(x, out);
      }
    } else {
      out.add(name(e));
    }
  }

  /** A custom object: registered under a package other than Keras's, or outside keras.*. */
  private static boolean isCustom(JsonObject l) {
    JsonElement r = l.get("registered_name");
    JsonElement m = l.get("module");
    boolean registered =
        r != null
            && r.isJsonPrimitive()
            && !r.getAsString().isEmpty()
            && !r.getAsString().startsWith("keras");
    boolean foreign = m != null && m.isJsonPrimitive() && !m.getAsString().startsWith("keras");
    return registered || foreign;
  }

  private static String registered(JsonObject o) {
    JsonElement r = o.get("registered_name");
    return r != null && r.isJsonPrimitive() ? " (registered as '" + r.getAsString() + "')" : "";
  }

  static String shapeText(long[] shape) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      b.append(i > 0 ? ", " : "").append(shape[i] < 0 ? "null" : String.valueOf(shape[i]));
    }
    return b.append(']').toString();
  }
}
