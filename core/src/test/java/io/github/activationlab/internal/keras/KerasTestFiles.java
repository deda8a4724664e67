package io.github.activationlab.internal.keras;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.commons.numbers.gamma.Erf;

/**
 * Test support: the fixtures of src/test/resources/keras-files (written by Keras 3.15 with
 * scripts/make_keras_fixtures.py), their expected.json as a {@link KerasModelFile}, zips and h5
 * files built by hand, and a plain-Java forward pass to check what the weights mean.
 */
final class KerasTestFiles {
  private KerasTestFiles() {}

  static final Gson GSON = new GsonBuilder().serializeNulls().setPrettyPrinting().create();

  /** The readable fixtures (each with an expected.json). */
  static final List<String> READABLE =
      List.of(
          "xor_mlp",
          "bce",
          "prelu_tanh",
          "float64_input",
          "float64",
          "activation_layers",
          "uncompiled");

  static Path fixture(String fileName) {
    try {
      var url = KerasTestFiles.class.getResource("/keras-files/" + fileName);
      if (url == null) {
        throw new IllegalArgumentException("no fixture " + fileName);
      }
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonObject expectedJson(String name) throws IOException {
    return JsonParser.parseString(Files.readString(fixture(name + ".expected.json")))
        .getAsJsonObject();
  }

  /** expected.json in the package's neutral form. */
  static KerasModelFile expected(JsonObject e) {
    List<KerasLayer> layers = new ArrayList<>();
    for (JsonElement le : e.getAsJsonArray("layers")) {
      JsonObject l = le.getAsJsonObject();
      Map<String, Double> params = new LinkedHashMap<>();
      for (var p : l.getAsJsonObject("activation_params").entrySet()) {
        params.put(p.getKey(), p.getValue().getAsDouble());
      }
      List<KerasWeight> weights = new ArrayList<>();
      for (JsonElement we : l.getAsJsonArray("weights")) {
        JsonObject w = we.getAsJsonObject();
        weights.add(
            new KerasWeight(
                w.get("name").getAsString(),
                GSON.fromJson(w.get("shape"), long[].class),
                GSON.fromJson(w.get("values"), double[].class)));
      }
      JsonElement act = l.get("activation");
      layers.add(
          new KerasLayer(
              l.get("class_name").getAsString(),
              l.get("name").getAsString(),
              l.get("dtype").getAsString(),
              l.get("units").getAsInt(),
              l.get("use_bias").getAsBoolean(),
              act.isJsonNull() ? null : act.getAsString(),
              params,
              weights));
    }
    KerasCompile compile = null;
    if (!e.get("compile").isJsonNull()) {
      JsonObject c = e.getAsJsonObject("compile");
      @SuppressWarnings("unchecked")
      Map<String, Object> oc = (Map<String, Object>) JsonValues.plain(c.get("optimizer_config"));
      List<String> metrics = new ArrayList<>();
      c.getAsJsonArray("metrics").forEach(m -> metrics.add(m.getAsString()));
      compile =
          new KerasCompile(
              c.get("loss").getAsString(), c.get("optimizer").getAsString(), oc, metrics);
    }
    KerasAdamState adam = null;
    if (!e.get("adam").isJsonNull()) {
      JsonObject a = e.getAsJsonObject("adam");
      adam =
          new KerasAdamState(
              a.get("iterations").getAsLong(),
              a.get("learning_rate").getAsDouble(),
              arrays(a.getAsJsonArray("m")),
              arrays(a.getAsJsonArray("v")));
    }
    return new KerasModelFile(
        e.get("name").getAsString(),
        e.get("input_dim").getAsInt(),
        e.get("input_dtype").getAsString(),
        layers,
        compile,
        adam,
        e.get("keras_version").getAsString());
  }

  private static List<double[]> arrays(JsonArray a) {
    List<double[]> out = new ArrayList<>();
    a.forEach(x -> out.add(GSON.fromJson(x, double[].class)));
    return out;
  }

  static double[][] matrix(JsonElement e) {
    return GSON.fromJson(e, double[][].class);
  }

  // ------------------------------------------------------------------------- zips and h5 files

  /** The entries of a zip, in order. */
  static Map<String, byte[]> entries(Path zip) throws IOException {
    try (InputStream in = Files.newInputStream(zip)) {
      return entries(in);
    }
  }

  static Map<String, byte[]> entries(byte[] zip) throws IOException {
    return entries(new ByteArrayInputStream(zip));
  }

  private static Map<String, byte[]> entries(InputStream in) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipInputStream z = new ZipInputStream(in)) {
      for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
        out.put(e.getName(), z.readAllBytes());
      }
    }
    return out;
  }

  static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(b)) {
      for (var e : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return b.toByteArray();
  }

  /** A fixture with one entry replaced (or removed when {@code data} is null). */
  static byte[] replaced(String fixture, String entry, byte[] data) throws IOException {
    Map<String, byte[]> e = entries(fixture(fixture));
    if (data == null) {
      e.remove(entry);
    } else {
      e.put(entry, data);
    }
    return zip(e);
  }

  static JsonObject config(String fixture) throws IOException {
    return JsonParser.parseString(
            new String(entries(fixture(fixture)).get("config.json"), StandardCharsets.UTF_8))
        .getAsJsonObject();
  }

  static byte[] json(JsonElement e) {
    return e.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** An HDF5 file built with jhdf. */
  static byte[] h5(Path dir, Consumer<WritableHdfFile> content) {
    try {
      Path p = Files.createTempFile(dir, "w", ".h5");
      try (WritableHdfFile f = HdfFile.write(p)) {
        content.accept(f);
      }
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Paths of all groups and datasets below {@code g}, groups ending with '/'. */
  static List<String> tree(Group g) {
    List<String> out = new ArrayList<>();
    for (Node n : g.getChildren().values()) {
      String p = n.getPath().replaceFirst("^/", "");
      if (n instanceof Group child) {
        out.add(p + (p.endsWith("/") ? "" : "/"));
        out.addAll(tree(child));
      } else {
        out.add(p);
      }
    }
    return out;
  }

  static KerasModelFile read(byte[] zip, String source) throws IOException {
    return KerasFiles.read(new ByteArrayInputStream(zip), source);
  }

  // ------------------------------------------------------------------- plain forward pass

  /** The model's output for each row of {@code x}, in double precision. */
  static double[][] predict(KerasModelFile m, double[][] x) {
    double[][] out = new double[x.length][];
    for (int r = 0; r < x.length; r++) {
      double[] a = x[r].clone();
      for (KerasLayer l : m.layers()) {
        a =
            switch (l.className()) {
              case KerasLayer.DENSE -> {
                KerasWeight k = l.weights().get(0);
                double[] z = new double[l.units()];
                for (int j = 0; j < z.length; j++) {
                  double s = l.useBias() ? l.weights().get(1).value(j) : 0;
                  for (int i = 0; i < a.length; i++) {
                    s += a[i] * k.value(i * l.units() + j); // kernel [in, units], row-major
                  }
                  z[j] = s;
                }
                yield activate(l.activation(), l.activationParams(), z);
              }
              case KerasLayer.PRELU -> {
                double[] z = a.clone();
                for (int i = 0; i < z.length; i++) {
                  z[i] = z[i] >= 0 ? z[i] : l.weights().get(0).value(i) * z[i];
                }
                yield z;
              }
              default -> activate(l.activation(), l.activationParams(), a);
            };
      }
      out[r] = a;
    }
    return out;
  }

  /** Keras 3's activation functions (defaults as in keras.activations). */
  static double[] activate(String name, Map<String, Double> p, double[] z) {
    double[] y = new double[z.length];
    if (name.equals("softmax")) {
      double max = Double.NEGATIVE_INFINITY;
      for (double v : z) {
        max = Math.max(max, v);
      }
      double sum = 0;
      for (int i = 0; i < z.length; i++) {
        y[i] = Math.exp(z[i] - max);
        sum += y[i];
      }
      for (int i = 0; i < z.length; i++) {
        y[i] /= sum;
      }
      return y;
    }
    for (int i = 0; i < z.length; i++) {
      double x = z[i];
      y[i] =
          switch (name) {
            case "linear" -> x;
            case "sigmoid" -> 1 / (1 + Math.exp(-x));
            case "tanh" -> Math.tanh(x);
            case "relu" -> {
              double t = p.getOrDefault("threshold", 0.0);
              double v = x >= t ? x : p.getOrDefault("negative_slope", 0.0) * (x - t);
              yield p.containsKey("max_value") ? Math.min(v, p.get("max_value")) : v;
            }
            case "leaky_relu" -> x >= 0 ? x : p.getOrDefault("negative_slope", 0.2) * x;
            case "elu" -> x > 0 ? x : p.getOrDefault("alpha", 1.0) * (Math.exp(x) - 1);
            case "gelu" -> 0.5 * x * (1 + Erf.value(x / Math.sqrt(2)));
            case "silu" -> x / (1 + Math.exp(-x));
            case "hard_sigmoid" -> Math.min(Math.max(x + 3, 0), 6) / 6;
            default -> throw new IllegalArgumentException("no plain activation " + name);
          };
    }
    return y;
  }
}
