package io.github.activationlab.savedmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.activationlab.nn.Adam;
import io.github.activationlab.nn.Dense;
import io.github.activationlab.nn.Fit;
import io.github.activationlab.nn.History;
import io.github.activationlab.nn.Loss;
import io.github.activationlab.nn.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export and load, both ways: ours round-trips bit for bit; a Keras model.export() loads too. */
class ModelExportTest {
  static final double[][] X = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
  static final double[][] XOR = {{0}, {1}, {1}, {0}};
  @TempDir Path tmp;

  @Test
  void trainedModelRoundTripsBitForBitWithRunJson() throws Exception {
    try (var model =
        Sequential.of(2, Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid"))
            .compile(Loss.MSE, Adam.learningRate(0.01), 42)) {
      var init = model.getWeights();
      Fit fit = Fit.epochs(50);
      History h = model.fit(X, XOR, fit);
      double[][] probe = new double[101][];
      for (int i = 0; i <= 100; i++) probe[i] = new double[] {i / 100.0, 1 - i / 100.0};
      double[][] expected = model.predict(probe);
      Path dir = tmp.resolve("xor-mlp");
      ModelExport.export(
          model,
          new RunRecord(
              "xor-mlp", model, fit, X, XOR, init, model.getWeights(), h, probe, expected),
          dir,
          false);
      try (Predictor p = Predictor.load(dir)) {
        assertEquals("x", p.inputName());
        assertEquals("y", p.outputName());
        assertEquals(2, p.inputWidth());
        double[][] got = p.predict(probe);
        for (int i = 0; i < probe.length; i++)
          assertArrayEquals(expected[i], got[i], 0.0, "row " + i);
      }
      // saved_model.pb in canonical form (map entries sorted): what a second process writes too
      byte[] pb = Files.readAllBytes(dir.resolve("1/saved_model.pb"));
      assertArrayEquals(
          SavedModelBytes.canonical(org.tensorflow.proto.SavedModel.parseFrom(pb)),
          pb,
          "saved_model.pb is written deterministically");
      JsonObject run =
          JsonParser.parseString(Files.readString(dir.resolve("run.json"))).getAsJsonObject();
      assertEquals("xor-mlp", run.get("name").getAsString());
      assertEquals(50, run.getAsJsonArray("batches").size());
      assertEquals(50, run.getAsJsonObject("history").getAsJsonArray("loss").size());
      // the same bytes from run to run: nested objects keep their order (not Map.of's, which
      // changes from JVM to JVM)
      assertEquals(List.of("x", "y"), List.copyOf(run.getAsJsonObject("probe").keySet()));
      assertEquals(
          List.of("loss", "accuracy"), List.copyOf(run.getAsJsonObject("history").keySet()));
      assertEquals(1e-7, run.getAsJsonObject("optimizer").get("epsilon").getAsDouble());
      assertEquals(
          2, run.getAsJsonArray("initial_weights").get(0).getAsJsonArray().size(), "kernel rows");
      assertEquals(
          init.get(0)[1],
          run.getAsJsonArray("initial_weights")
              .get(0)
              .getAsJsonArray()
              .get(0)
              .getAsJsonArray()
              .get(1)
              .getAsDouble());
      assertThrows(
          java.nio.file.FileAlreadyExistsException.class,
          () ->
              ModelExport.export(
                  model,
                  new RunRecord(
                      "xor-mlp", model, fit, X, XOR, init, model.getWeights(), h, probe, expected),
                  dir,
                  false));
    }
  }

  @Test
  void loadsAKerasModelExportAndReproducesItsPredictions() throws Exception {
    Path fixture = Path.of("src/test/resources/keras-xor-mlp");
    JsonObject exp =
        JsonParser.parseString(Files.readString(fixture.resolve("expected.json")))
            .getAsJsonObject();
    try (Predictor p = Predictor.load(fixture)) {
      assertEquals("output_0", p.outputName());
      assertEquals(2, p.inputWidth());
      double[][] got = p.predict(X);
      for (int i = 0; i < 4; i++) {
        double want = exp.getAsJsonArray("y").get(i).getAsJsonArray().get(0).getAsDouble();
        assertEquals(want, got[i][0], 1e-6, "row " + i);
      }
      var e =
          assertThrows(IllegalArgumentException.class, () -> p.predict(new double[][] {{1, 2, 3}}));
      assertTrue(
          e.getMessage()
              .contains("has 3 columns; the model's input '" + p.inputName() + "' takes 2"),
          e.getMessage());
    }
  }

  @Test
  void aDirectoryThatIsNotASavedModelIsAClearError() throws Exception {
    Files.createDirectories(tmp.resolve("empty"));
    var e =
        assertThrows(IllegalArgumentException.class, () -> Predictor.load(tmp.resolve("empty")));
    assertTrue(e.getMessage().startsWith("not a SavedModel: "), e.getMessage());
    Files.createDirectories(tmp.resolve("bad/1"));
    Files.writeString(tmp.resolve("bad/1/saved_model.pb"), "not a protobuf");
    var e2 = assertThrows(IllegalArgumentException.class, () -> Predictor.load(tmp.resolve("bad")));
    assertTrue(e2.getMessage().startsWith("cannot load SavedModel "), e2.getMessage());
    assertTrue(List.of(e2.getMessage().split("\n")).size() == 1);
  }
}
