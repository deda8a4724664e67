package io.github.activationlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep subcommand: a small real sweep, and bad input refused before TensorFlow starts. */
class SweepCommandTest {
  @TempDir Path tmp;

  MainTest.Run sweep(String... args) {
    List<String> all = new ArrayList<>(List.of("sweep", "--graphs", tmp.resolve("g").toString()));
    all.addAll(List.of(args));
    return MainTest.run(all.toArray(String[]::new));
  }

  @Test
  void anAdHocSweepDoesNotDrawOverTheReadmesFigures() throws Exception {
    // the main job draws graphs/sweep-<model>.png for the README; a plain `sweep` draws elsewhere
    SweepCommand c = new SweepCommand();
    new picocli.CommandLine(c).parseArgs("--model", "xor-mlp");
    assertEquals(Path.of("graphs", "sweeps"), c.graphs);
    assertTrue(
        java.nio.file.Files.readAllLines(Path.of("../.gitignore")).contains("graphs/sweeps/"),
        "git ignores the ad-hoc sweep charts");
  }

  @Test
  void aSmallRealSweepPrintsTheTableWritesTheJsonAndTheChart() throws Exception {
    Path json = tmp.resolve("out/xor.json");
    var r =
        sweep(
            "--model",
            "xor-mlp",
            "--seeds",
            "20",
            "--epochs",
            "100",
            "--activation",
            "sigmoid,relu",
            "--json",
            json.toString());
    assertEquals(0, r.code(), r.err());
    String out = r.out();
    assertTrue(
        out.startsWith(
            "# xor-mlp: Dense(2, *) -> Dense(1, sigmoid); 20 seeds (42..61),"
                + " 100 epochs, Adam(0.01), batch 32, float32"),
        out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("sigmoid ") && l.contains("/20 ")), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("relu ") && l.contains("/20 ")), out);
    assertTrue(
        out.contains("2 activations x 20 seeds x 100 epochs = 4.00e+03 seed-epochs in "), out);
    assertTrue(out.contains(" seed-epochs/s (chunks of up to 20 seeds, "), out);
    assertTrue(r.err().contains("sweep xor-mlp sigmoid: chunk 1/1, 20/20 seeds"), r.err());
    Path png = tmp.resolve("g/sweep-xor-mlp.png");
    assertTrue(Files.exists(png));

    JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
    assertEquals("xor-mlp", o.get("model").getAsString());
    assertEquals(100, o.get("epochs").getAsInt());
    assertEquals(0.01, o.get("learning_rate").getAsDouble());
    assertEquals(42, o.get("first_seed").getAsInt());
    assertEquals(20, o.get("seeds").getAsInt());
    var results = o.getAsJsonArray("results");
    assertEquals(2, results.size());
    for (int i = 0; i < 2; i++) {
      JsonObject a = results.get(i).getAsJsonObject();
      assertEquals(List.of("sigmoid", "relu").get(i), a.get("activation").getAsString());
      assertEquals(20, a.get("n").getAsInt());
      assertEquals(20, a.getAsJsonArray("final_losses").size());
      int solved = a.get("solved").getAsInt();
      assertEquals(solved / 20.0, a.get("solved_rate").getAsDouble());
      var ci = a.getAsJsonArray("solved_ci95");
      assertTrue(
          ci.get(0).getAsDouble() <= solved / 20.0 && solved / 20.0 <= ci.get(1).getAsDouble());
      assertTrue(a.get("seconds").getAsDouble() > 0);
      double dead = a.get("dead_unit_rate").getAsDouble();
      assertTrue(dead >= 0 && dead <= 1);
    }
    assertEquals(
        0.0,
        results.get(0).getAsJsonObject().get("dead_unit_rate").getAsDouble(),
        "a sigmoid unit is never exactly constant");

    // the same sweep again: the same results and the same chart, byte for byte
    var again =
        sweep(
            "--model",
            "xor-mlp",
            "--seeds",
            "20",
            "--epochs",
            "100",
            "--activation",
            "sigmoid,relu",
            "--json",
            json.toString());
    assertEquals(1, again.code(), "an existing --json is refused");
    assertTrue(
        again.err().strip().endsWith("xor.json exists (use --force to overwrite)"), again.err());
    assertFalse(again.err().contains("chunk"), "refused before the sweep");
    byte[] firstPng = Files.readAllBytes(png);
    var first = results;
    var forced =
        sweep(
            "--model",
            "xor-mlp",
            "--seeds",
            "20",
            "--epochs",
            "100",
            "--activation",
            "sigmoid,relu",
            "--json",
            json.toString(),
            "--force");
    assertEquals(0, forced.code(), forced.err());
    var second =
        JsonParser.parseString(Files.readString(json)).getAsJsonObject().getAsJsonArray("results");
    for (int i = 0; i < 2; i++) {
      assertEquals(
          first.get(i).getAsJsonObject().get("final_losses"),
          second.get(i).getAsJsonObject().get("final_losses"));
    }
    assertArrayEquals(firstPng, Files.readAllBytes(png), "deterministic chart");
  }

  @Test
  void badInputIsOneLineAndNothingRuns() {
    bad(1, "error: --seeds must be positive, got 0", "--seeds", "0");
    bad(1, "error: --seeds must be positive, got -3", "--seeds", "-3");
    bad(
        1,
        "error: unknown activation 'nope'; valid: linear, sigmoid, tanh, relu, leaky_relu,"
            + " prelu, elu, celu,",
        "--activation",
        "sigmoid,nope");
    bad(
        1,
        "error: binary_step cannot be trained by gradient descent: its derivative is 0"
            + " wherever it exists",
        "--activation",
        "binary_step");
    bad(1, "error: softmax is not element-wise", "--activation", "softmax");
    bad(1, "error: unknown model 'nope'; valid: or-linear,", "--model", "nope");
    bad(1, "error: --epochs must be positive, got 0", "--epochs", "0");
    bad(1, "error: --lr must be a positive number, got 0.0", "--lr", "0");
    bad(1, "error: --lr must be a positive number, got -0.5", "--lr", "-0.5");
    bad(1, "error: one seed needs ", "--model", "relu-serial", "--epochs", "10000000");
    bad(1, "error: 2000000000 seeds x 1 activation(s) need about ", "--seeds", "2000000000");
    bad(1, "error: unknown --dtype 'float16'; valid: float32, float64", "--dtype", "float16");
    bad(1, "error: --threads must be positive, got 0", "--threads", "0");
    bad(1, "error: --activation all cannot be combined with names", "--activation", "all,relu");
    bad(2, "error: Invalid value for option '--seeds'", "--seeds", "many");
  }

  void bad(int code, String start, String... args) {
    var r = sweep(args);
    assertEquals(code, r.code(), String.join(" ", args) + ": " + r.err());
    assertTrue(r.err().startsWith(start), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertEquals("", r.out(), "nothing printed before the error");
    assertFalse(Files.exists(tmp.resolve("g")), "no chart");
  }

  @Test
  void helpExplainsWhatIsReplacedAndWhatIsFixed() {
    var r = MainTest.run("sweep", "--help");
    assertEquals(0, r.code());
    assertEquals("", r.err(), "picocli formats the help without a warning");
    String h = r.out().replaceAll("\\s+", " ");
    assertTrue(h.contains("its one layer is the output, and it is replaced"), h);
    assertTrue(h.contains("PReLU layers (xor-prelu) are kept"), h);
    assertTrue(h.contains("the data are the same for every seed"), h);
    assertTrue(h.contains("95% Wilson interval"), h);
    assertTrue(h.contains("--activation=A[,B...]|all"), h);
  }
}
