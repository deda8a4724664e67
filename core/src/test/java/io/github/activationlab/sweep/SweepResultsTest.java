package io.github.activationlab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.activationlab.nn.SeedSweep.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-seed rules, the per-activation summary and the Sweep JSON, on hand-made outcomes. */
class SweepResultsTest {
  @TempDir Path tmp;

  /** An outcome; collapsed by SeedSweep's rule, {@code mean} standing for |mean(output)|. */
  static Outcome outcome(
      double loss, double maxErr, double mse, double range, double mean, int... dead) {
    boolean collapsed = range <= 1e-6 * Math.max(1, mean);
    return new Outcome(0, loss, loss, maxErr, mse, range, collapsed, dead, new double[0]);
  }

  @Test
  void solvedRules() {
    // gates: every output within 0.4 of its label
    assertTrue(SweepResults.solved(false, outcome(0.01, 0.39, 0.01, 0.9, 0.95)));
    assertFalse(SweepResults.solved(false, outcome(0.01, 0.4, 0.01, 0.9, 0.95)));
    assertFalse(SweepResults.solved(false, outcome(0.25, 0.5, 0.25, 0, 0.5)), "XOR plateau");
    assertFalse(SweepResults.solved(false, outcome(Double.NaN, Double.NaN, Double.NaN, 0, 0)));
    // ReLU fits: MSE against the noiseless x^2 below 50, whatever the loss against the noisy data
    assertTrue(SweepResults.solved(true, outcome(101, 80, 49.9, 100, 100)));
    assertFalse(SweepResults.solved(true, outcome(101, 80, 50, 100, 100)));
    assertFalse(SweepResults.solved(true, outcome(Double.NaN, 80, Double.NaN, 100, 100)));
  }

  @Test
  void collapsedIsTheEnginesVerdict() {
    // the rule itself (max - min <= 1e-6 max(1, |mean|) over the training inputs) is computed in
    // the graph and tested in SeedSweepTest; the tally takes its verdict as it is
    assertTrue(SweepResults.collapsed(outcome(0, 0, 0, 0, 25.3)), "every ReLU dead");
    assertFalse(SweepResults.collapsed(outcome(0, 0, 0, 2e-6, 0.5)));
    assertFalse(SweepResults.collapsed(outcome(0, 0, 0, Double.NaN, Double.NaN)), "diverged");
  }

  @Test
  void deadFractionsPerLayer() {
    var o = outcome(0, 0, 0, 1, 1, 2, 1, 0);
    assertEquals(List.of(1.0, 0.5, 0.0), boxed(SweepResults.deadFractions(o, new int[] {2, 2, 2})));
  }

  /** Five seeds of a relu-serial-like model: three hidden layers of 2 units. */
  static SweepResults.ActivationResult tally() {
    var t = new SweepResults.Tally(true, new int[] {2, 2, 2}, 5);
    t.add(outcome(110, 30, 8.7, 100, 100, 0, 0, 0)); // solved
    t.add(outcome(1073, 60, 759, 0, 25.3, 2, 2, 2)); // every ReLU dead: collapsed
    t.add(outcome(105, 20, 5.4, 100, 100, 1, 0, 0)); // solved, one dead unit
    t.add(outcome(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0));
    t.add(outcome(700, 50, 600, 50, 100, 0, 1, 0));
    return t.result("relu", 1.25);
  }

  @Test
  void tallySummarisesOneActivation() {
    var r = tally();
    assertEquals(5, r.n());
    assertEquals(2, r.solved());
    assertEquals(0.4, r.solvedRate());
    assertEquals(SweepStats.wilson(2, 5), r.ci95());
    assertEquals(1, r.diverged());
    // percentiles over the four finite losses 105, 110, 700, 1073
    assertEquals(405, r.median(), 1e-12);
    assertEquals(SweepStats.percentile(new double[] {105, 110, 700, 1073}, 10), r.p10());
    assertEquals(SweepStats.percentile(new double[] {105, 110, 700, 1073}, 90), r.p90());
    // dead: 6 + 1 + 1 of 5 seeds x 6 units
    assertEquals(8.0 / 30, r.deadUnitRate(), 1e-15);
    assertEquals(List.of(3.0 / 10, 3.0 / 10, 2.0 / 10), boxed(r.deadUnitRatePerLayer()));
    assertEquals(0.2, r.collapsedRate());
    assertEquals(5, r.finalLosses().length);
    assertTrue(Double.isNaN(r.finalLosses()[3]), "seed order kept, NaN included");
  }

  @Test
  void noHiddenLayerHasNoDeadUnitRate() {
    var t = new SweepResults.Tally(false, new int[0], 2);
    t.add(outcome(0.25, 0.5, 0.25, 1e-7, 0.5));
    t.add(outcome(0.25, 0.5, 0.25, 1e-7, 0.5));
    var r = t.result("sigmoid", 1);
    assertTrue(Double.isNaN(r.deadUnitRate()));
    assertEquals(1.0, r.collapsedRate());
    assertEquals(0, r.solved());
  }

  static SweepResults.Sweep sweep() {
    var gate = new SweepResults.Tally(false, new int[0], 2);
    gate.add(outcome(0.25, 0.5, 0.25, 1e-7, 0.5));
    gate.add(outcome(0.003, 0.1, 0.003, 0.9, 0.95));
    return new SweepResults.Sweep(
        "relu-serial",
        100,
        0.005,
        42,
        5,
        42,
        "float32",
        true,
        5,
        1,
        List.of(tally(), gate.result("sigmoid", 2.0)),
        3.25);
  }

  @Test
  void jsonHasDesignsFieldsInDesignsOrderThenExtras() {
    JsonObject o = JsonParser.parseString(SweepJson.text(sweep())).getAsJsonObject();
    List<String> top = new ArrayList<>(o.keySet());
    assertEquals(
        List.of("model", "epochs", "learning_rate", "first_seed", "seeds", "results"),
        top.subList(0, 6),
        "DESIGN.md's Sweep JSON first, in its order");
    assertTrue(
        top.containsAll(
            List.of("data_seed", "dtype", "engine", "seconds_total", "seed_epochs_per_second")),
        top.toString());
    assertEquals("relu-serial", o.get("model").getAsString());
    assertEquals(100, o.get("epochs").getAsInt());
    assertEquals(0.005, o.get("learning_rate").getAsDouble());
    assertEquals(42, o.get("first_seed").getAsLong());
    assertEquals(5, o.get("seeds").getAsInt());
    assertEquals("tensorflow-java", o.get("engine").getAsString());
    assertEquals(42, o.get("data_seed").getAsLong());
    assertEquals(Math.round(5.0 * 100 * 2 / 3.25), o.get("seed_epochs_per_second").getAsLong());
    var results = o.getAsJsonArray("results");
    assertEquals(2, results.size());
    JsonObject r = results.get(0).getAsJsonObject();
    List<String> keys = new ArrayList<>(r.keySet());
    assertEquals(
        List.of(
            "activation",
            "n",
            "solved",
            "solved_rate",
            "solved_ci95",
            "final_loss",
            "dead_unit_rate",
            "collapsed_rate",
            "seconds"),
        keys.subList(0, 9));
    assertTrue(
        keys.containsAll(List.of("final_losses", "dead_unit_rate_per_layer")), keys.toString());
    assertEquals("relu", r.get("activation").getAsString(), "in the order given");
    assertEquals("sigmoid", results.get(1).getAsJsonObject().get("activation").getAsString());
    assertEquals(5, r.get("n").getAsInt());
    assertEquals(2, r.get("solved").getAsInt());
    assertEquals(0.4, r.get("solved_rate").getAsDouble());
    var ci = SweepStats.wilson(2, 5);
    assertEquals(ci.lo(), r.getAsJsonArray("solved_ci95").get(0).getAsDouble());
    assertEquals(ci.hi(), r.getAsJsonArray("solved_ci95").get(1).getAsDouble());
    var loss = r.getAsJsonObject("final_loss");
    assertEquals(List.of("median", "p10", "p90"), new ArrayList<>(loss.keySet()));
    assertEquals(405, loss.get("median").getAsDouble(), 1e-12);
    assertEquals(8.0 / 30, r.get("dead_unit_rate").getAsDouble(), 1e-15);
    assertEquals(0.2, r.get("collapsed_rate").getAsDouble());
    assertEquals(1.25, r.get("seconds").getAsDouble());
    var losses = r.getAsJsonArray("final_losses");
    assertEquals(5, losses.size());
    assertEquals(110, losses.get(0).getAsDouble());
    assertTrue(losses.get(3).isJsonNull(), "a non-finite loss is null, JSON has no NaN");
    assertTrue(
        results.get(1).getAsJsonObject().get("dead_unit_rate").isJsonNull(),
        "no hidden layer: no dead-unit rate");
  }

  @Test
  void jsonIsWrittenAtomicallyAndAnExistingFileNeedsForce() throws Exception {
    Path target = tmp.resolve("out/sweep.json");
    SweepJson.write(sweep(), target, false);
    assertEquals(SweepJson.text(sweep()), Files.readString(target));
    var e =
        assertThrows(
            FileAlreadyExistsException.class, () -> SweepJson.write(sweep(), target, false));
    assertTrue(e.getMessage().endsWith("exists (use --force to overwrite)"), e.getMessage());
    Files.writeString(target, "old");
    SweepJson.write(sweep(), target, true);
    assertTrue(Files.readString(target).startsWith("{\n  \"model\": \"relu-serial\""));
    try (var files = Files.list(tmp.resolve("out"))) {
      assertEquals(
          List.of("sweep.json"),
          files.map(p -> p.getFileName().toString()).toList(),
          "no temporary file left behind");
    }
  }

  @Test
  void tablePrintsOneRowPerActivationAndTheThroughput() {
    var out = new ByteArrayOutputStream();
    SweepResults.printTable(sweep(), new PrintStream(out, true));
    String t = out.toString();
    assertTrue(
        t.lines()
            .anyMatch(l -> l.startsWith("relu ") && l.contains(" 2/5  0.400  [0.118, 0.769] ")),
        t);
    assertTrue(t.contains("1 of 5 seeds diverged"), t);
    assertTrue(t.lines().anyMatch(l -> l.startsWith("sigmoid") && l.contains(" - ")), t);
    assertEquals(
        "2 activations x 5 seeds x 100 epochs = 1.00e+03 seed-epochs in 3.3 s:"
            + " 308 seed-epochs/s (chunks of up to 5 seeds, 1 activation at a time)",
        SweepResults.throughput(sweep()));
  }

  private static List<Double> boxed(double[] v) {
    return java.util.Arrays.stream(v).boxed().toList();
  }
}
