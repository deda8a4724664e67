package io.github.activationlab.internal.keras;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * Writes {@code config.json} as Keras 3.15 does (see {@link KerasFiles}), leaving out only what
 * does not change loading: the {@code shared_object_id}s of the dtype policies, Dense's {@code
 * quantization_config: null} and the InputLayer's {@code optional: false} (keys newer than Keras
 * 3.0; their defaults are the same). Each layer's config is written as the model file gives it.
 */
final class ConfigWriter {
  private ConfigWriter() {}

  /** The config; {@code layers} in Keras's {@code model.layers} order. */
  static JsonObject write(KerasModelFile model, List<KerasLayer> layers, Gson gson) {
    JsonObject root = new JsonObject();
    JsonObject config = new JsonObject();
    config.addProperty("name", model.name());
    config.addProperty("trainable", true);
    JsonArray ls = new JsonArray();
    if (model.sequential()) {
      config.add("dtype", policy("float32"));
      KerasLayer input = layers.get(0);
      for (KerasLayer l : layers) ls.add(layer(l, gson, false));
      config.add("layers", ls);
      config.add("build_input_shape", batchShape(input.inputShape()));
      root.addProperty("module", "keras");
      root.addProperty("class_name", "Sequential");
      root.add("config", config);
      root.add("registered_name", JsonNull.INSTANCE);
      root.add("build_config", buildConfig(List.of(input.inputShape())));
    } else {
      for (KerasLayer l : layers) ls.add(layer(l, gson, true));
      config.add("layers", ls);
      config.add("input_layers", refs(model.inputs()));
      config.add("output_layers", refs(model.outputs()));
      root.addProperty("module", "keras.src.models.functional");
      root.addProperty("class_name", "Functional");
      root.add("config", config);
      root.addProperty("registered_name", "Functional");
      JsonObject b = new JsonObject();
      b.add("input_shape", JsonNull.INSTANCE);
      root.add("build_config", b);
    }
    root.add("compile_config", compile(model, gson));
    return root;
  }

  private static JsonObject layer(KerasLayer l, Gson gson, boolean functional) {
    JsonObject o = new JsonObject();
    o.addProperty("module", "keras.layers");
    o.addProperty("class_name", l.className());
    o.add("config", gson.toJsonTree(l.config()));
    o.add("registered_name", JsonNull.INSTANCE);
    if (!l.weights().isEmpty() && !l.inputShapes().isEmpty()) {
      o.add("build_config", buildConfig(l.inputShapes()));
    }
    if (functional) {
      o.addProperty("name", l.name());
      JsonArray nodes = new JsonArray();
      if (!l.inbound().isEmpty()) {
        JsonArray tensors = new JsonArray();
        for (int i = 0; i < l.inbound().size(); i++) {
          long[] shape = l.inputShapes().isEmpty() ? new long[0] : l.inputShapes().get(i);
          tensors.add(tensor(l.inbound().get(i), shape, l.dtype()));
        }
        JsonArray args = new JsonArray();
        if (tensors.size() == 1) {
          args.add(tensors.get(0));
        } else {
          args.add(tensors); // a merge layer takes the list as its one argument
        }
        JsonObject node = new JsonObject();
        node.add("args", args);
        node.add("kwargs", new JsonObject());
        nodes.add(node);
      }
      o.add("inbound_nodes", nodes);
    }
    return o;
  }

  private static JsonObject tensor(String layer, long[] shape, String dtype) {
    JsonObject c = new JsonObject();
    c.add("shape", batchShape(shape));
    c.addProperty("dtype", dtype);
    JsonArray h = new JsonArray();
    h.add(layer);
    h.add(0);
    h.add(0);
    c.add("keras_history", h);
    JsonObject t = new JsonObject();
    t.addProperty("class_name", "__keras_tensor__");
    t.add("config", c);
    return t;
  }

  private static JsonArray refs(List<String> names) {
    JsonArray a = new JsonArray();
    for (String n : names) {
      JsonArray r = new JsonArray();
      r.add(n);
      r.add(0);
      r.add(0);
      a.add(r);
    }
    return a;
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
            gson.toJsonTree(k.optimizerConfig()).getAsJsonObject()));
    if (k.loss() == null) {
      c.add("loss", JsonNull.INSTANCE);
    } else if (k.lossConfig().isEmpty()) {
      c.addProperty("loss", k.loss());
    } else {
      c.add(
          "loss",
          object("keras.losses", k.loss(), gson.toJsonTree(k.lossConfig()).getAsJsonObject()));
    }
    c.add("loss_weights", JsonNull.INSTANCE);
    c.add("metrics", k.metrics().isEmpty() ? JsonNull.INSTANCE : gson.toJsonTree(k.metrics()));
    c.add("weighted_metrics", JsonNull.INSTANCE);
    c.addProperty("run_eagerly", false);
    c.addProperty("steps_per_execution", 1);
    c.addProperty("jit_compile", false);
    return c;
  }

  /** Keras's DTypePolicy object. */
  static JsonObject policy(String dtype) {
    JsonObject c = new JsonObject();
    c.addProperty("name", dtype);
    return object("keras", "DTypePolicy", c);
  }

  private static JsonObject object(String module, String className, JsonObject config) {
    JsonObject o = new JsonObject();
    o.addProperty("module", module);
    o.addProperty("class_name", className);
    o.add("config", config);
    o.add("registered_name", JsonNull.INSTANCE);
    return o;
  }

  /** {@code {"input_shape": [null, ...]}}, or a list of shapes for several inputs. */
  private static JsonObject buildConfig(List<long[]> shapes) {
    JsonObject b = new JsonObject();
    if (shapes.size() == 1) {
      b.add("input_shape", batchShape(shapes.get(0)));
    } else {
      JsonArray a = new JsonArray();
      for (long[] s : shapes) a.add(batchShape(s));
      b.add("input_shape", a);
    }
    return b;
  }

  private static JsonArray batchShape(long[] shape) {
    JsonArray a = new JsonArray();
    a.add(JsonNull.INSTANCE);
    for (long d : shape) {
      if (d < 0) a.add(JsonNull.INSTANCE);
      else a.add(d);
    }
    return a;
  }
}
