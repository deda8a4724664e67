package io.github.activationlab.internal.keras;

import static io.github.activationlab.internal.keras.JsonValues.array;
import static io.github.activationlab.internal.keras.JsonValues.brief;
import static io.github.activationlab.internal.keras.JsonValues.integer;
import static io.github.activationlab.internal.keras.JsonValues.object;
import static io.github.activationlab.internal.keras.JsonValues.string;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code config.json}: a Sequential's or a Functional model's layers (class, name, config,
 * connections), in Keras's {@code model.layers} order, and the compile config. What each layer's
 * config means is not read here (the library's layer registry does that). See {@link KerasFiles}
 * for the layout.
 */
final class ConfigReader {
  private ConfigReader() {}

  /** Everything config.json says; {@code paths} is each layer's h5 group (null: none). */
  record Plan(
      String className,
      String name,
      List<KerasLayer> layers,
      List<String> paths,
      List<String> inputs,
      List<String> outputs,
      KerasCompile compile) {}

  static Plan read(JsonObject root) throws KerasFormatException {
    String cls = string(root, "class_name", "config.json");
    JsonObject config = object(root.get("config"), "config.json: the model's config");
    String name = string(config, "name", "the model's config");
    KerasCompile compile = compile(root.get("compile_config"));
    if ("Sequential".equals(cls)) {
      return sequential(root, config, name == null ? "sequential" : name, compile);
    }
    if ("Functional".equals(cls) || "Model".equals(cls)) {
      return functional(config, name == null ? "functional" : name, compile);
    }
    throw new KerasFormatException(
        "the model's class '"
            + cls
            + "'"
            + registered(root)
            + " is not supported; only Sequential and Functional models are");
  }

  private static Plan sequential(JsonObject root, JsonObject config, String name, KerasCompile c)
      throws KerasFormatException {
    JsonArray layerConfigs = array(config.get("layers"), "config.json: the Sequential's layers");
    List<KerasLayer> layers = new ArrayList<>();
    for (int i = 0; i < layerConfigs.size(); i++) {
      KerasLayer l = layer(layerConfigs.get(i), "config.json: layer " + i);
      if (l.className().equals(KerasLayer.INPUT) && i != 0) {
        throw new KerasFormatException("layer '" + l.name() + "' (InputLayer) is not the first");
      }
      layers.add(l);
    }
    if (layers.isEmpty() || !layers.get(0).className().equals(KerasLayer.INPUT)) {
      layers.add(0, syntheticInput(root, config, layers));
    }
    long[] shape = layers.get(0).inputShape();
    if (shape == null || shape.length == 0) {
      throw new KerasFormatException("the model's input shape is unknown");
    }
    for (long d : shape) {
      if (d < 1) {
        throw new KerasFormatException(
            "input shape "
                + java.util.Arrays.toString(shape)
                + " is not supported: every dimension but the batch must be known");
      }
    }
    List<String> classes = new ArrayList<>();
    for (KerasLayer l : layers.subList(1, layers.size())) classes.add(l.className());
    List<String> paths = new ArrayList<>();
    paths.add(null);
    paths.addAll(KerasNames.layerPaths(classes));
    return new Plan("Sequential", name, layers, paths, List.of(), List.of(), c);
  }

  /**
   * A Sequential without an InputLayer: the shape from {@code build_input_shape} or the model's
   * {@code build_config.input_shape}.
   */
  private static KerasLayer syntheticInput(JsonObject root, JsonObject config, List<KerasLayer> l)
      throws KerasFormatException {
    JsonElement shape = config.get("build_input_shape");
    if ((shape == null || shape.isJsonNull())
        && root.get("build_config") != null
        && root.get("build_config").isJsonObject()) {
      shape = root.getAsJsonObject("build_config").get("input_shape");
    }
    if (shape == null || shape.isJsonNull()) {
      throw new KerasFormatException(
          "the model has no input shape (no InputLayer, no build_input_shape): Keras could not"
              + " build it either");
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("batch_shape", JsonValues.plain(array(shape, "the input shape")));
    c.put("dtype", "float32");
    return new KerasLayer(KerasLayer.INPUT, "input_layer", c, List.of(), List.of(), List.of());
  }

  private static Plan functional(JsonObject config, String name, KerasCompile c)
      throws KerasFormatException {
    JsonArray layerConfigs = array(config.get("layers"), "config.json: the model's layers");
    Map<String, KerasLayer> byName = new LinkedHashMap<>();
    Map<String, List<String>> inbound = new LinkedHashMap<>();
    for (int i = 0; i < layerConfigs.size(); i++) {
      String what = "config.json: layer " + i;
      JsonObject o = object(layerConfigs.get(i), what);
      KerasLayer l = layer(o, what);
      if (byName.containsKey(l.name())) {
        throw new KerasFormatException("two layers are named '" + l.name() + "'");
      }
      List<long[]> shapes = new ArrayList<>();
      List<String> in = inbound(o, l, shapes);
      byName.put(l.name(), new KerasLayer(l.className(), l.name(), l.config(), in, shapes, null));
      inbound.put(l.name(), in);
    }
    List<String> inputs = refs(config.get("input_layers"), "input_layers");
    List<String> outputs = refs(config.get("output_layers"), "output_layers");
    for (String in : inputs) {
      if (byName.containsKey(in) && !byName.get(in).className().equals(KerasLayer.INPUT)) {
        throw new KerasFormatException(
            "input '" + in + "' is a " + byName.get(in).className() + ", not an InputLayer");
      }
    }
    for (KerasLayer l : byName.values()) {
      if (l.className().equals(KerasLayer.INPUT) && !inputs.contains(l.name())) {
        throw new KerasFormatException("InputLayer '" + l.name() + "' is not a model input");
      }
    }
    List<String> order = KerasGraph.order(inbound, inputs, outputs);
    List<KerasLayer> layers = new ArrayList<>();
    List<String> classes = new ArrayList<>();
    for (String n : order) {
      layers.add(byName.get(n));
      classes.add(byName.get(n).className());
    }
    return new Plan("Functional", name, layers, KerasNames.layerPaths(classes), inputs, outputs, c);
  }

  /** One node's inbound layer names: the keras_history of every tensor in its args. */
  private static List<String> inbound(JsonObject o, KerasLayer l, List<long[]> shapes)
      throws KerasFormatException {
    String where = "layer '" + l.name() + "' (" + l.className() + ")";
    JsonElement nodes = o.get("inbound_nodes");
    if (nodes == null || nodes.isJsonNull()) return List.of();
    JsonArray a = array(nodes, where + ": inbound_nodes");
    if (a.size() > 1) {
      throw new KerasFormatException(
          where + " is called " + a.size() + " times (shared layers are not supported)");
    }
    if (a.isEmpty()) {
      if (!l.className().equals(KerasLayer.INPUT)) {
        throw new KerasFormatException(where + " has no inbound layer");
      }
      return List.of();
    }
    JsonObject node = object(a.get(0), where + ": inbound node");
    List<String> out = new ArrayList<>();
    tensors(node.get("args"), where, out, shapes);
    if (out.isEmpty()) throw new KerasFormatException(where + " has no inbound layer");
    return out;
  }

  private static void tensors(JsonElement e, String where, List<String> out, List<long[]> shapes)
      throws KerasFormatException {
    if (e == null || e.isJsonNull() || e.isJsonPrimitive()) return;
    if (e.isJsonArray()) {
      for (JsonElement x : e.getAsJsonArray()) tensors(x, where, out, shapes);
      return;
    }
    JsonObject o = e.getAsJsonObject();
    if (!"__keras_tensor__".equals(string(o, "class_name", where))) return;
    JsonObject c = object(o.get("config"), where + ": keras tensor");
    JsonArray h = array(c.get("keras_history"), where + ": keras_history");
    if (h.size() != 3) throw new KerasFormatException(where + ": keras_history " + brief(h));
    String layer = h.get(0).getAsString();
    if (integer(h.get(1), where) != 0 || integer(h.get(2), where) != 0) {
      throw new KerasFormatException(
          where
              + " reads "
              + brief(h)
              + ": only the first output of a layer called once is supported");
    }
    out.add(layer);
    shapes.add(sampleShape(c.get("shape")));
  }

  /** A batch shape {@code [null, d1, ...]} without its batch axis ({@code -1}: unknown). */
  private static long[] sampleShape(JsonElement e) {
    if (e == null || !e.isJsonArray() || e.getAsJsonArray().isEmpty()) return new long[0];
    JsonArray a = e.getAsJsonArray();
    long[] out = new long[a.size() - 1];
    for (int i = 1; i < a.size(); i++) {
      JsonElement d = a.get(i);
      out[i - 1] = d.isJsonPrimitive() && d.getAsJsonPrimitive().isNumber() ? d.getAsLong() : -1;
    }
    return out;
  }

  /** input_layers / output_layers: {@code [name, 0, 0]} or a list of them. */
  private static List<String> refs(JsonElement e, String what) throws KerasFormatException {
    JsonArray a = array(e, "config.json: " + what);
    List<String> out = new ArrayList<>();
    if (!a.isEmpty() && a.get(0).isJsonPrimitive()) {
      out.add(a.get(0).getAsString());
      return out;
    }
    for (JsonElement x : a) {
      JsonArray r = array(x, "config.json: " + what);
      if (r.size() != 3 || integer(r.get(1), what) != 0 || integer(r.get(2), what) != 0) {
        throw new KerasFormatException(
            what + " " + brief(r) + ": only the first output of a layer called once is supported");
      }
      out.add(r.get(0).getAsString());
    }
    if (out.isEmpty()) throw new KerasFormatException("the model has no " + what);
    return out;
  }

  /** A layer object: class, name and config as plain Java. */
  private static KerasLayer layer(JsonElement e, String what) throws KerasFormatException {
    JsonObject l = object(e, what);
    String cls = string(l, "class_name", what);
    if (cls == null) throw new KerasFormatException(what + " has no class_name");
    JsonObject c = object(l.get("config"), what + "'s config");
    String name = string(c, "name", what);
    if (name == null) name = string(l, "name", what);
    if (name == null) throw new KerasFormatException(what + " (" + cls + ") has no name");
    if (isCustom(l)) {
      throw new KerasFormatException(
          "layer '"
              + name
              + "' of class "
              + cls
              + registered(l)
              + " is a custom object, not supported");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> config = (Map<String, Object>) JsonValues.plain(c);
    return new KerasLayer(cls, name, config, List.of(), List.of(), List.of());
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
      optConfig = map(o.get("config"));
    }
    JsonElement loss = c.get("loss");
    if (loss != null && loss.isJsonArray() && loss.getAsJsonArray().size() == 1) {
      loss = loss.getAsJsonArray().get(0);
    }
    Map<String, Object> lossConfig =
        loss != null && loss.isJsonObject() ? map(loss.getAsJsonObject().get("config")) : Map.of();
    List<String> metrics = new ArrayList<>();
    addNames(c.get("metrics"), metrics);
    return new KerasCompile(name(loss), lossConfig, optimizer, optConfig, metrics);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(JsonElement e) {
    Object p = JsonValues.plain(e);
    return p instanceof Map<?, ?> m ? (Map<String, Object>) m : new HashMap<>();
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
            && !r.getAsString().startsWith("keras")
            && !r.getAsString().equals("Functional");
    boolean foreign = m != null && m.isJsonPrimitive() && !m.getAsString().startsWith("keras");
    return registered || foreign;
  }

  private static String registered(JsonObject o) {
    JsonElement r = o.get("registered_name");
    return r != null && r.isJsonPrimitive() ? " (registered as '" + r.getAsString() + "')" : "";
  }
}
