package io.github.activationlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.types.TFloat64;

/**
 * Models cross between Keras and Java as {@code .keras} files with their optimizer state: the
 * Keras-written fixtures (scripts/make_keras_fixtures.py) load with their weights and Adam state
 * and continue training as Keras continued; Java's files round-trip exactly.
 */
class KerasModelsTest {
  static final Path FIXTURES = Path.of("src/test/resources/keras-files");

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

  static void assertRowsClose(double[][] want, double[][] got, double tol, String what) {
    assertEquals(want.length, got.length, what);
    for (int i = 0; i < want.length; i++)
      assertArrayEquals(want[i], got[i], tol, what + " row " + i);
  }

  /** A Keras-written file: predictions, Adam state, and 3 more epochs as Keras took them. */
  @ParameterizedTest
  @ValueSource(strings = {"xor_mlp", "bce", "prelu_tanh", "float64_input", "float64"})
  void kerasFilesLoadWithTheirStateAndContinueTrainingAsKerasDid(String name) throws Exception {
    JsonObject e = expected(name);
    try (Sequential m = Sequential.load(FIXTURES.resolve(name + ".keras"))) {
      assertNull(m.whyNotTrainable());
      JsonObject probe = e.getAsJsonObject("probe");
      assertRowsClose(matrix(probe.get("y")), m.predict(matrix(probe.get("x"))), 1e-6, "predict");
      JsonObject adam = e.getAsJsonObject("adam");
      Adam.Values s = m.optimizerState();
      assertEquals(adam.get("iterations").getAsLong(), s.iterations());
      JsonArray em = adam.getAsJsonArray("m");
      JsonArray ev = adam.getAsJsonArray("v");
      for (int j = 0; j < em.size(); j++) {
        assertArrayEquals(vector(em.get(j)), s.m().get(j), 0, "m" + j);
        assertArrayEquals(vector(ev.get(j)), s.v().get(j), 0, "v" + j);
      }
      JsonObject c = e.getAsJsonObject("continued");
      JsonObject train = e.getAsJsonObject("train");
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
        assertArrayEquals(
            vector(want.get(j)), w.get(j), 1e-5, name + " weight " + j + " after continuing");
      }
    }
  }

  @Test
  void aLossOrOptimizerJavaLacksStillLoadsForPrediction() throws Exception {
    for (String name : List.of("activation_layers", "uncompiled")) {
      JsonObject e = expected(name);
      try (Sequential m = Sequential.load(FIXTURES.resolve(name + ".keras"))) {
        JsonObject probe = e.getAsJsonObject("probe");
        assertRowsClose(matrix(probe.get("y")), m.predict(matrix(probe.get("x"))), 1e-5, name);
        var x = matrix(probe.get("x"));
        var err =
            assertThrows(IllegalStateException.class, () -> m.fit(x, m.predict(x), Fit.epochs(1)));
        assertTrue(err.getMessage().startsWith("cannot train"), err.getMessage());
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
          assertArrayEquals(a.optimizerState().m().get(j), b.optimizerState().m().get(j), 0);
          assertArrayEquals(a.optimizerState().v().get(j), b.optimizerState().v().get(j), 0);
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
    var a = KerasFunctions.fromKeras("leaky_relu", java.util.Map.of());
    assertEquals(0.2, ((Number) a.params().get("negative_slope")).doubleValue());
    assertEquals("silu", KerasFunctions.fromKeras("swish", java.util.Map.of()).name());
    assertThrows(
        IllegalArgumentException.class,
        () -> KerasFunctions.fromKeras("no_such", java.util.Map.of()));
  }
}
