package io.github.activationlab.internal.keras;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Models built in Java with known weights and Adam state (float32 values exactly representable, as
 * a float32 file stores them), and their expected.json for scripts/check_keras_file.py.
 */
final class JavaModels {
  private JavaModels() {}

  static final double[][] XOR_X = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
  static final double[][] PROBE = {{0, 0}, {1, 0}, {0, 1}, {1, 1}, {0.25, -0.5}, {2, 3}};

  static List<KerasModelFile> all() {
    return List.of(xorMlp(), mixed(), float64());
  }

  /** The notebook's XOR MLP: Dense(2, sigmoid) -> Dense(1, sigmoid), mse, Adam(0.01). */
  static KerasModelFile xorMlp() {
    List<KerasLayer> layers =
        List.of(
            KerasLayer.dense(
                "hidden",
                "float32",
                "sigmoid",
                w("kernel", new long[] {2, 2}, 5.5, -4.1, 5.4, -4.2),
                w("bias", new long[] {2}, -2.3, 6.0)),
            KerasLayer.dense(
                "output",
                "float32",
                "sigmoid",
                w("kernel", new long[] {2, 1}, 7.9, 7.6),
                w("bias", new long[] {1}, -11.2)));
    KerasModelFile m =
        new KerasModelFile(
            "java-xor-mlp",
            2,
            "float32",
            layers,
            KerasCompile.adam("mse", 0.01),
            null,
            KerasFiles.KERAS_VERSION);
    return m.withAdam(state(m, 7, (float) 0.01, 1));
  }

  /**
   * Every layer kind: float64 input, Dense, PReLU, parameterised activation layers (LeakyReLU, ELU,
   * ReLU(max_value), Softmax) and plain ones, Adam with non-default hyperparameters.
   */
  static KerasModelFile mixed() {
    Random r = new Random(7);
    List<KerasLayer> layers =
        List.of(
            dense(r, "d1", "float32", "linear", 2, 3),
            KerasLayer.prelu("prelu", "float32", f32(0.1, 0.2, 0.3)),
            KerasLayer.activation("leaky", "float32", "leaky_relu", Map.of("negative_slope", 0.05)),
            dense(r, "d2", "float32", "tanh", 3, 3),
            KerasLayer.activation("elu", "float32", "elu", Map.of("alpha", 0.7)),
            KerasLayer.activation("relu6", "float32", "relu", Map.of("max_value", 6.0)),
            dense(r, "d3", "float32", "silu", 3, 2),
            KerasLayer.activation("gelu", "float32", "gelu", Map.of()),
            dense(r, "d4", "float32", "linear", 2, 2),
            KerasLayer.activation("softmax", "float32", "softmax", Map.of("axis", -1.0)));
    Map<String, Object> opt = new LinkedHashMap<>();
    opt.put("learning_rate", 0.005);
    opt.put("beta_1", 0.8);
    opt.put("beta_2", 0.99);
    opt.put("epsilon", 1e-6);
    KerasModelFile m =
        new KerasModelFile(
            "java-mixed",
            2,
            "float64",
            layers,
            new KerasCompile("categorical_crossentropy", "Adam", opt, List.of("accuracy")),
            null,
            KerasFiles.KERAS_VERSION);
    return m.withAdam(state(m, 3, (float) 0.005, 2));
  }

  /** float64 layers: weights and Adam slots in float64 (values float32 cannot hold). */
  static KerasModelFile float64() {
    Random r = new Random(11);
    List<KerasLayer> layers =
        List.of(dense(r, "h", "float64", "tanh", 2, 2), dense(r, "o", "float64", "sigmoid", 2, 1));
    KerasModelFile m =
        new KerasModelFile(
            "java-f64",
            2,
            "float64",
            layers,
            KerasCompile.adam("binary_crossentropy", 0.1),
            null,
            KerasFiles.KERAS_VERSION);
    return m.withAdam(state(m, 12, (float) 0.1, 3));
  }

  private static KerasLayer dense(
      Random r, String name, String dtype, String act, int in, int units) {
    boolean f32 = dtype.equals("float32");
    double[] k = new double[in * units];
    for (int i = 0; i < k.length; i++) {
      k[i] = round(r.nextGaussian(), f32);
    }
    double[] b = new double[units];
    for (int i = 0; i < b.length; i++) {
      b[i] = round(0.1 * r.nextGaussian(), f32);
    }
    return KerasLayer.dense(
        name,
        dtype,
        act,
        new KerasWeight("kernel", new long[] {in, units}, k),
        new KerasWeight("bias", new long[] {units}, b));
  }

  /** A plausible Adam state: m ~ 1e-2 N(0,1), v ~ 1e-3 N(0,1)^2 (v >= 0). */
  private static KerasAdamState state(KerasModelFile m, long iterations, float lr, long seed) {
    Random r = new Random(seed);
    List<double[]> ms = new ArrayList<>();
    List<double[]> vs = new ArrayList<>();
    for (KerasLayer l : m.layers()) {
      boolean f32 = l.dtype().equals("float32");
      for (KerasWeight w : l.weights()) {
        double[] a = new double[w.size()];
        double[] b = new double[w.size()];
        for (int i = 0; i < a.length; i++) {
          a[i] = round(1e-2 * r.nextGaussian(), f32);
          double g = r.nextGaussian();
          b[i] = round(1e-3 * g * g, f32);
        }
        ms.add(a);
        vs.add(b);
      }
    }
    return new KerasAdamState(iterations, lr, ms, vs);
  }

  private static double round(double v, boolean f32) {
    return f32 ? (double) (float) v : v;
  }

  private static double[] f32(double... v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }

  private static KerasWeight w(String name, long[] shape, double... values) {
    return new KerasWeight(name, shape, f32(values));
  }

  /** The expected.json of {@code m} (the fixtures' format), predictions by the plain pass. */
  static String expectedJson(KerasModelFile m) {
    var g = KerasTestFiles.GSON;
    JsonObject e = new JsonObject();
    e.addProperty("name", m.name());
    e.addProperty("input_dim", m.inputDim());
    e.addProperty("input_dtype", m.inputDtype());
    JsonArray layers = new JsonArray();
    for (KerasLayer l : m.layers()) {
      JsonObject o = new JsonObject();
      o.addProperty("class_name", l.className());
      o.addProperty("name", l.name());
      o.addProperty("dtype", l.dtype());
      o.addProperty("units", l.units());
      o.addProperty("use_bias", l.useBias());
      o.addProperty("activation", l.activation());
      o.add("activation_params", g.toJsonTree(l.activationParams()));
      JsonArray ws = new JsonArray();
      for (KerasWeight w : l.weights()) {
        JsonObject wo = new JsonObject();
        wo.addProperty("name", w.name());
        wo.add("shape", g.toJsonTree(w.shape()));
        wo.add("values", g.toJsonTree(w.values()));
        ws.add(wo);
      }
      o.add("weights", ws);
      layers.add(o);
    }
    e.add("layers", layers);
    KerasCompile c = m.compile();
    JsonObject co = new JsonObject();
    co.addProperty("loss", c.loss());
    co.addProperty("optimizer", c.optimizer());
    co.add("optimizer_config", g.toJsonTree(ConfigWriter.optimizerConfig(m)));
    co.add("metrics", g.toJsonTree(c.metrics()));
    e.add("compile", co);
    JsonObject a = new JsonObject();
    a.addProperty("iterations", m.adam().iterations());
    a.addProperty("learning_rate", m.adam().learningRate());
    a.add("m", g.toJsonTree(m.adam().m()));
    a.add("v", g.toJsonTree(m.adam().v()));
    e.add("adam", a);
    e.addProperty("keras_version", m.kerasVersion());
    JsonObject probe = new JsonObject();
    probe.add("x", g.toJsonTree(PROBE));
    probe.add("y", g.toJsonTree(KerasTestFiles.predict(m, PROBE)));
    e.add("probe", probe);
    JsonObject train = new JsonObject();
    train.add("x", g.toJsonTree(XOR_X));
    int out =
        m.layers().stream()
            .filter(l -> l.className().equals(KerasLayer.DENSE))
            .reduce((x, y) -> y)
            .orElseThrow()
            .units();
    double[][] y = new double[XOR_X.length][out];
    for (int i = 0; i < y.length; i++) {
      int label = (int) XOR_X[i][0] ^ (int) XOR_X[i][1];
      if (out == 1) {
        y[i][0] = label;
      } else {
        y[i][label] = 1;
      }
    }
    train.add("y", g.toJsonTree(y));
    e.add("train", train);
    e.add("note", JsonNull.INSTANCE);
    return g.toJson(e);
  }
}
