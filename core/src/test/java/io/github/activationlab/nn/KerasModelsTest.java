package io.github.activationlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.activationlab.internal.keras.KerasTestFiles;
import io.github.activationlab.internal.keras.KerasWeight;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.types.TFloat64;

/**
 * Models cross between Keras and Java as {@code .keras} files with their optimizer state: every
 * Keras-written fixture (scripts/make_keras_fixtures.py: the notebook's models and a zoo of
 * Functional graphs, the everyday layers, the four optimizers and six losses) loads with its
 * weights and state, predicts as Keras predicted, continues training as Keras continued (weights,
 * step count, History), and round-trips through Java exactly.
 */
class KerasModelsTest {
  static final Path FIXTURES = Path.of("src/test/resources/keras-files");

  static final List<String> READABLE = KerasTestFiles.READABLE;

  static List<String> readable() {
    return READABLE;
  }

  /** The fixtures Keras trained on further (everything compiled without an active Dropout). */
  static List<String> continued() throws Exception {
    List<String> out = new ArrayList<>();
    for (String n : READABLE) if (expected(n).has("continued")) out.add(n);
    return out;
  }

  static JsonObject expected(String name) throws Exception {
    return JsonParser.parseString(Files.readString(FIXTURES.resolve(name + ".expected.json")))
        .getAsJsonObject();
  }

  static double[][] matrix(JsonElement e) {
    JsonArray rows = e.getAsJsonArray();
    double[][] out = new double[rows.size()][];
    for (int i = 0; i < out.length; i++) out[i] = vector(rows.get(i));
    return out;
  }

  static double[] vector(JsonElement e) {
    JsonArray a = e.getAsJsonArray();
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsDouble();
    return out;
  }

  /** max |got - want| / max(1, |want|) within {@code tol}, row by row. */
  static void assertRowsClose(double[][] want, double[][] got, double tol, String what) {
    assertEquals(want.length, got.length, what);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i].length, got[i].length, what + " row " + i);
      for (int j = 0; j < want[i].length; j++) {
        double d = Math.abs(got[i][j] - want[i][j]) / Math.max(1, Math.abs(want[i][j]));
        assertTrue(
            d <= tol, what + " row " + i + " col " + j + ": " + got[i][j] + " vs " + want[i][j]);
      }
    }
  }

  /** The expected.json weights of the layers (not InputLayers), in order. */
  static List<double[]> expectedWeights(JsonObject e) {
    List<double[]> out = new ArrayList<>();
    for (JsonElement l : e.getAsJsonArray("layers")) {
      for (JsonElement w : l.getAsJsonObject().getAsJsonArray("weights")) {
        out.add(vector(w.getAsJsonObject().get("values")));
      }
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("readable")
  void loadsWhatKerasSavedAndPredictsAsKeras(String name) throws Exception {
    JsonObject e = expected(name);
    try (Model m = Model.load(FIXTURES.resolve(name + ".keras"))) {
      assertEquals(
          e.get("class_name").getAsString(), m instanceof Sequential ? "Sequential" : "Functional");
      List<double[]> want = expectedWeights(e);
      List<double[]> got = m.getWeights();
      assertEquals(want.size(), got.size(), "weights");
      for (int j = 0; j < want.size(); j++)
        assertArrayEquals(want.get(j), got.get(j), 0, "weight " + j);
      JsonObject probe = e.getAsJsonObject("probe");
      assertRowsClose(matrix(probe.get("y")), m.predict(matrix(probe.get("x"))), 1e-6, name);
      if (e.get("compile").isJsonNull()) {
        assertNotNull(m.whyNotTrainable());
        return;
      }
      assertNull(m.whyNotTrainable(), name);
      JsonObject c = e.getAsJsonObject("compile");
      assertEquals(c.get("optimizer").getAsString(), m.optimizer().kerasClass());
      assertEquals(Loss.of(c.get("loss").getAsString()).kerasName, m.loss().kerasName);
      JsonObject o = e.getAsJsonObject("optimizer");
      assertEquals(o.get("iterations").getAsLong(), m.optimizerState().iterations());
      // the state, as this library would write it back, is the file's, variable for variable
      List<KerasWeight> vars = KerasModels.toKeras(m).optimizer().variables();
      JsonArray ev = o.getAsJsonArray("variables");
      assertEquals(ev.size(), vars.size(), "optimizer variables");
      for (int i = 0; i < vars.size(); i++)
        assertArrayEquals(vector(ev.get(i)), vars.get(i).values(), 0);
    }
  }

  /** A Keras-written file: 3 more epochs as Keras took them (weights, steps, History). */
  @ParameterizedTest
  @MethodSource("continued")
  void continuesTrainingAsKerasDid(String name) throws Exception {
    JsonObject e = expected(name);
    try (Model m = Model.load(FIXTURES.resolve(name + ".keras"))) {
      JsonObject c = e.getAsJsonObject("continued");
      JsonObject train = e.getAsJsonObject("train");
      History h =
          m.fit(
              matrix(train.get("x")),
              matrix(train.get("y")),
              Fit.epochs(c.get("epochs").getAsInt())
                  .batchSize(c.get("batch_size").getAsInt())
                  .shuffle(false));
      assertEquals(c.get("iterations").getAsLong(), m.optimizerState().iterations());
      List<double[]> w = m.getWeights();
      JsonArray want = c.getAsJsonArray("weights");
      for (int j = 0; j < want.size(); j++) {
        assertRowsClose(
            new double[][] {vector(want.get(j))},
            new double[][] {w.get(j)},
            2e-5,
            name + " weight " + j);
      }
      for (var k : c.getAsJsonObject("history").entrySet()) {
        if (!k.getKey().equals("loss") && !m.metrics().contains(k.getKey())) continue;
        List<Double> mine = k.getKey().equals("loss") ? h.loss() : h.metrics().get(k.getKey());
        assertRowsClose(
            new double[][] {vector(k.getValue())},
            new double[][] {mine.stream().mapToDouble(Double::doubleValue).toArray()},
            2e-5,
            name + " History " + k.getKey());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("readable")
  void roundTripsThroughJavaExactly(String name, @TempDir Path dir) throws Exception {
    Path file = dir.resolve(name + ".keras");
    try (Model a = Model.load(FIXTURES.resolve(name + ".keras"))) {
      a.save(file);
      try (Model b = Model.load(file)) {
        assertEquals(a.architecture(), b.architecture());
        assertEquals(a.getClass(), b.getClass());
        assertEquals(a.loss(), b.loss());
        assertEquals(a.optimizer(), b.optimizer());
        assertEquals(a.metrics(), b.metrics());
        assertEquals(a.dtype(), b.dtype());
        for (int j = 0; j < a.getWeights().size(); j++) {
          assertArrayEquals(a.getWeights().get(j), b.getWeights().get(j), 0);
        }
        Optimizer.State sa = a.optimizerState();
        Optimizer.State sb = b.optimizerState();
        assertEquals(sa.iterations(), sb.iterations());
        for (var slot : sa.slots().keySet()) {
          for (int j = 0; j < sa.slot(slot).size(); j++) {
            assertArrayEquals(sa.slot(slot).get(j), sb.slot(slot).get(j), 0, slot + j);
          }
        }
        double[][] x = matrix(expected(name).getAsJsonObject("probe").get("x"));
        assertRowsClose(a.predict(x), b.predict(x), 0, "the same bits");
      }
    }
  }

  @Test
  void javaFilesRoundTripExactlyAndTrainingContinuesBitForBit(@TempDir Path dir) throws Exception {
    double[][] x = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
    double[][] y = {{0}, {1}, {1}, {0}};
    Path file = dir.resolve("xor.keras");
    try (var a =
        Sequential.of(2, Dense.of(3, "tanh"), new PRelu(0.1), Dense.of(1, "sigmoid"))
            .dtype(TFloat64.class)
            .compile(Loss.BINARY_CROSSENTROPY, new Adam(0.02, 0.8, 0.99, 1e-6), 5)) {
      a.fit(x, y, Fit.epochs(30));
      a.save(file);
      try (var b = Sequential.load(file)) {
        assertEquals(Loss.BINARY_CROSSENTROPY, b.loss());
        assertEquals(a.optimizer(), b.optimizer());
        assertEquals(a.layerNames(), b.layerNames());
        for (int j = 0; j < a.getWeights().size(); j++) {
          assertArrayEquals(a.getWeights().get(j), b.getWeights().get(j), 0);
          for (String s : List.of("momentum", "velocity")) {
            assertArrayEquals(
                a.optimizerState().slot(s).get(j), b.optimizerState().slot(s).get(j), 0);
          }
        }
        assertEquals(a.optimizerState().iterations(), b.optimizerState().iterations());
        a.fit(x, y, Fit.epochs(20).seed(9));
        b.fit(x, y, Fit.epochs(20).seed(9));
        for (int j = 0; j < a.getWeights().size(); j++) {
          assertArrayEquals(a.getWeights().get(j), b.getWeights().get(j), 0, "continued " + j);
        }
      }
    }
  }

  @Test
  void parametersKerasCannotKeepInADenseBecomeAnActivationLayer(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("leaky.keras");
    double[][] x = {{-2, 1}, {0.5, -3}};
    try (var a =
        Sequential.of(2, Dense.of(2, "leaky_relu"), Dense.of(1))
            .compile(Loss.MSE, Adam.defaults(), 3)) {
      a.save(file);
      try (var b = Sequential.load(file)) {
        assertEquals(3, b.layers().size(), "Dense(linear) + LeakyReLU(0.01) + Dense");
        var act = ((ActivationLayer) b.layers().get(1)).activation();
        assertEquals("leaky_relu", act.name());
        assertEquals(0.01, ((Number) act.params().get("negative_slope")).doubleValue());
        assertRowsClose(a.predict(x), b.predict(x), 0, "same predictions");
      }
    }
    try (var bad =
        Sequential.of(2, Dense.of(1, "binary_step")).compile(Loss.MSE, Adam.defaults(), 1)) {
      var e = assertThrows(IllegalArgumentException.class, () -> bad.save(dir.resolve("b.keras")));
      assertTrue(e.getMessage().contains("binary_step"), e.getMessage());
      assertEquals(List.of("leaky.keras"), list(dir), "nothing half written");
    }
  }

  static List<String> list(Path dir) throws Exception {
    List<String> names = new ArrayList<>();
    try (var s = Files.list(dir)) {
      s.forEach(p -> names.add(p.getFileName().toString()));
    }
    return names;
  }

  @Test
  void aKerasLeakyReluByNameIsKerassDefaultSlopeNotTheNotebooks() throws Exception {
    var a = KerasFunctions.fromKeras("leaky_relu", Map.of());
    assertEquals(0.2, ((Number) a.params().get("negative_slope")).doubleValue());
    assertEquals("silu", KerasFunctions.fromKeras("swish", Map.of()).name());
    assertThrows(
        IllegalArgumentException.class, () -> KerasFunctions.fromKeras("no_such", Map.of()));
  }

  @Test
  void aFunctionalModelBuiltInJavaRoundTripsAndLoadsAsFunctional(@TempDir Path dir)
      throws Exception {
    Functional.Builder b = Functional.builder();
    var a = b.input(3);
    var c = b.input(2);
    var h = b.apply(Dense.of(4, "relu"), a);
    h = b.apply(new BatchNormalization(), h);
    var s = b.apply(new Concatenate(), h, c);
    var o = b.apply(Dense.of(2, "softmax"), b.apply(new LayerNormalization(), s));
    Path file = dir.resolve("f.keras");
    double[][] x = {{1, 2, 3, 4, 5}, {-1, 0, 1, 0.5, -0.5}};
    try (Functional m =
        b.build(o).compile(Loss.CATEGORICAL_CROSSENTROPY, SGD.learningRate(0.1).momentum(0.9), 1)) {
      assertEquals(5, m.inputDim());
      assertEquals(2, m.outputDim());
      m.save(file);
      try (Model back = Model.load(file)) {
        assertInstanceOf(Functional.class, back);
        assertEquals(m.architecture(), back.architecture());
        assertEquals(m.optimizer(), back.optimizer());
        assertRowsClose(m.predict(x), back.predict(x), 0, "the same bits");
      }
    }
  }

  @Test
  void summaryShowsWhatEachLayerIsConnectedTo() throws Exception {
    try (Model m = Model.load(FIXTURES.resolve("functional_skip.keras"))) {
      String s = m.summary();
      assertTrue(s.startsWith("Model: \"functional_skip\"\n"), s);
      assertTrue(
          s.contains(" features (InputLayer)          [(None, 4)]          0           []\n"), s);
      assertTrue(
          s.matches(
              "(?s).* add \\(Add\\)                      \\(None, 4\\)            0          "
                  + " \\['dense_\\d+\\[0\\]\\[0\\]',\n"
                  + " {66}'features\\[0\\]\\[0\\]'\\]\n"
                  + ".*"),
          s);
      assertTrue(
          s.contains(" batch_normalization (BatchNor  (None, 8)            32          ['dense_"),
          s);
      assertTrue(s.contains("\n malization)\n"), s); // Keras 2 breaks a long name at its column
      assertTrue(s.contains("Non-trainable params: 16\n"), s);
    }
    try (Model m = Model.load(FIXTURES.resolve("preprocess.keras"))) {
      String s = m.summary();
      assertTrue(s.contains(" reshape (Reshape)           (None, 2, 3)             0\n"), s);
      assertTrue(s.contains("Non-trainable params: 19\n"), s); // Normalization 6+6+1, BN 3+3
    }
  }

  /**
   * Writes target/keras-roundtrip/: every readable fixture loaded and saved again by Java, with its
   * expected.json, for scripts/check_keras_file.py (which opens each in Keras, compares weights,
   * optimizer state and predictions, and trains on as Keras did from its own file).
   */
  @Test
  void writesFilesForThePythonCheck() throws Exception {
    Path dir = Path.of("target", "keras-roundtrip");
    Files.createDirectories(dir);
    for (String stale : list(dir)) Files.delete(dir.resolve(stale)); // not this run's files
    for (String name : READABLE) {
      try (Model m = Model.load(FIXTURES.resolve(name + ".keras"))) {
        m.save(dir.resolve(name + ".keras"));
      }
      Files.copy(
          FIXTURES.resolve(name + ".expected.json"),
          dir.resolve(name + ".expected.json"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    assertEquals(2 * READABLE.size(), list(dir).size());
  }

  /** README's Functional example, as it is printed there, runs (and its file loads back). */
  @Test
  void theReadmesFunctionalExampleRuns(@TempDir Path dir) throws Exception {
    double[][] xs = new double[16][4];
    double[][] ys = new double[16][1];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < 16; i++) {
      for (int j = 0; j < 4; j++) xs[i][j] = r.nextGaussian();
      ys[i][0] = xs[i][0] + xs[i][1] > 0 ? 1 : 0;
    }
    Functional.Builder b = Functional.builder();
    var x = b.input(4); // keras.Input((4,))
    var h = b.apply(new BatchNormalization(), b.apply(Dense.of(8, "relu"), x));
    h = b.apply(Dense.of(4), b.apply(new Dropout(0.5), h));
    var out = b.apply(Dense.of(1, "sigmoid"), b.apply(new Add(), h, x)); // a skip connection
    try (Functional m =
        b.build(out)
            .compile(
                Loss.BINARY_CROSSENTROPY, SGD.learningRate(0.1).momentum(0.9), 42, "accuracy")) {
      History hist = m.fit(xs, ys, Fit.epochs(20)); // hist.metrics().get("accuracy")
      assertEquals(20, hist.metrics().get("accuracy").size());
      m.save(dir.resolve("skip.keras")); // keras.saving.load_model opens it
    }
    try (Model back = Model.load(dir.resolve("skip.keras"))) {
      assertEquals(20, back.optimizerState().iterations());
      assertEquals(List.of("accuracy"), back.metrics());
    }
  }

  /** xor_mlp.keras with its model.weights.h5 replaced by one built with jhdf. */
  static Path withWeights(Path dir, java.util.function.Consumer<io.jhdf.WritableHdfFile> h5)
      throws Exception {
    Path w = dir.resolve("w.h5");
    try (var f = io.jhdf.HdfFile.write(w)) {
      h5.accept(f);
    }
    Path out = dir.resolve("x.keras");
    try (var in =
            new java.util.zip.ZipInputStream(
                Files.newInputStream(FIXTURES.resolve("xor_mlp.keras")));
        var z = new java.util.zip.ZipOutputStream(Files.newOutputStream(out))) {
      for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
        z.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
        z.write(e.getName().equals("model.weights.h5") ? Files.readAllBytes(w) : in.readAllBytes());
        z.closeEntry();
      }
    }
    return out;
  }

  static void dense(io.jhdf.api.WritableGroup layers, String path, Object... weights) {
    var vars = layers.putGroup(path).putGroup("vars");
    for (int i = 0; i < weights.length; i++) vars.putDataset(String.valueOf(i), weights[i]);
  }

  @Test
  void weightsWhoseCountOrShapeDisagreeWithTheConfigAreOneError(@TempDir Path dir)
      throws Exception {
    Path shape =
        withWeights(
            dir,
            f -> {
              var l = f.putGroup("layers");
              dense(l, "dense", new float[3][2], new float[2]);
              dense(l, "dense_1", new float[2][1], new float[1]);
            });
    var e = assertThrows(IllegalArgumentException.class, () -> Model.load(shape));
    assertEquals(
        shape
            + ": layer 'hidden' (Dense): weight kernel has shape [3, 2], its config implies [2, 2]",
        e.getMessage());
    Path count =
        withWeights(
            dir,
            f -> {
              var l = f.putGroup("layers");
              dense(l, "dense", new float[2][2], new float[2]);
              dense(l, "dense_1", (Object) new float[2][1]);
            });
    e = assertThrows(IllegalArgumentException.class, () -> Model.load(count));
    assertEquals(
        count
            + ": layer 'output' (Dense): the file has 1 weights, its config implies 2 [kernel[2,"
            + " 1], bias[1]]",
        e.getMessage());
    Path optimizer =
        withWeights(
            dir,
            f -> {
              var l = f.putGroup("layers");
              dense(l, "dense", new float[2][2], new float[2]);
              dense(l, "dense_1", new float[2][1], new float[1]);
              var o = f.putGroup("optimizer").putGroup("vars");
              o.putDataset("0", 3L);
              o.putDataset("1", 0.01f);
              o.putDataset("2", new float[2][2]);
            });
    e = assertThrows(IllegalArgumentException.class, () -> Model.load(optimizer));
    assertEquals(
        optimizer
            + ": optimizer/vars holds 3 datasets; Adam [momentum, velocity] over 4 trainable"
            + " weights has 10 (iterations, learning_rate, then its slots)",
        e.getMessage());
  }
}
