package io.github.activationlab.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.activationlab.nn.SeedSweep;
import io.github.activationlab.notebook.NotebookModels;
import io.github.activationlab.plot.SweepCharts;
import io.github.activationlab.sweep.SeedRange;
import io.github.activationlab.sweep.SweepJson;
import io.github.activationlab.sweep.SweepResults;
import io.github.activationlab.sweep.SweepResults.ActivationResult;
import io.github.activationlab.sweep.SweepResults.Sweep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sweep} on Spark ({@code local[2]}, one session for the class) against the single-machine
 * sweep: the default ranges (runs of whole single-machine chunks) give every seed's result bit for
 * bit, and the same JSON (timings aside) and chart bytes; ranges that split a chunk, an uneven last
 * range and more partitions than seeds give the same solved / dead / collapsed counts and final
 * losses within float32 rounding (the largest difference is printed).
 *
 * <p>The single-machine sweep is computed here as app's {@code Sweeps.run} computes it (which this
 * module cannot call): one {@link SeedSweep} of the plan's chunk width, the seeds chunk by chunk,
 * tallied in seed order. The spark module's tests run with a 1 MB chunk budget and a 64 kB cache
 * (activationlab.sweepChunkBytes, activationlab.sweepCacheBytes, pom.xml), so that a few hundred
 * seeds make several chunks.
 */
@Timeout(300)
class SweepJobTest {
  static SparkSession spark;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    spark =
        SparkSession.builder()
            .master("local[2,4]")
            .appName("SweepJobTest")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) spark.stop();
  }

  /** The single-machine sweep of a plan's activation: its per-seed outcomes, in seed order. */
  static List<SeedSweep.Outcome> singleMachine(SweepJob.Plan p, int activation) {
    SeedRange.Setup s = p.setup(activation);
    NotebookModels.Data data = NotebookModels.get(p.model()).data(SeedRange.DATA_SEED);
    List<SeedSweep.Outcome> out = new ArrayList<>();
    try (SeedSweep sweep = new SeedSweep(s.spec(), data.x().length, p.chunk())) {
      for (int start = 0; start < p.seeds(); start += p.chunk()) {
        int count = Math.min(p.chunk(), p.seeds() - start);
        out.addAll(
            sweep.run(data.x(), data.y(), data.truth(), p.firstSeed() + start, count, 1, d -> {}));
      }
    }
    return out;
  }

  /** The single-machine summary of a plan (its seconds 0). */
  static Sweep singleMachineSweep(SweepJob.Plan p) {
    List<ActivationResult> results = new ArrayList<>();
    boolean regression = NotebookModels.get(p.model()).regression();
    for (int a = 0; a < p.activations().size(); a++) {
      var tally = new SweepResults.Tally(regression, SeedRange.hiddenUnits(p.model()), p.seeds());
      singleMachine(p, a).forEach(tally::add);
      results.add(tally.result(p.activations().get(a), 0));
    }
    return new Sweep(
        p.model(),
        p.epochs(),
        p.learningRate(),
        p.firstSeed(),
        p.seeds(),
        SeedRange.DATA_SEED,
        p.dtype(),
        regression,
        p.chunk(),
        2,
        results,
        1);
  }

  /** The JSON without what depends on the run (timings, chunk, threads). */
  static String comparable(Sweep s) {
    var j = SweepJson.json(s);
    for (String k : List.of("seconds_total", "seed_epochs_per_second", "chunk", "threads")) {
      j.remove(k);
    }
    j.getAsJsonArray("results").forEach(r -> r.getAsJsonObject().remove("seconds"));
    return j.toString();
  }

  static SweepJob.Plan plan(String model, List<String> acts, int seeds, int epochs, Integer parts) {
    return SweepJob.plan(model, acts, 42, seeds, epochs, null, "float32", 2, parts);
  }

  @Test
  void theDefaultRangesAreTheSingleMachineChunksBitForBit() throws IOException {
    SweepJob.Plan p = plan("xor-mlp", List.of("sigmoid", "relu"), 500, 200, null);
    assertTrue(p.chunk() < 500, "several chunks: " + p.chunk());
    SweepJob.Run run = SweepJob.run(spark, p);
    // local[2,4]: 2 slots, 2 activations: 2 ranges each, of 2 whole chunks (chunks of 125)
    assertEquals(0, run.rangeSize() % p.chunk(), "whole chunks: " + run.rangeSize());
    assertTrue(run.rangeSize() > p.chunk(), "several chunks a task: " + run.rangeSize());
    assertEquals(4, run.tasks());
    Sweep reference = singleMachineSweep(p);
    for (int a = 0; a < 2; a++) {
      assertArrayEquals(
          reference.results().get(a).finalLosses(),
          run.sweep().results().get(a).finalLosses(),
          "bit for bit: " + p.activations().get(a));
    }
    assertEquals(comparable(reference), comparable(run.sweep()));
    Path mine = SweepCharts.save(run.sweep(), tmp.resolve("spark"));
    Path theirs = SweepCharts.save(reference, tmp.resolve("single"));
    assertArrayEquals(Files.readAllBytes(theirs), Files.readAllBytes(mine), "the same chart");
  }

  /** Ranges of 167, 167 and 166 seeds over chunks of 125: each splits a chunk. */
  @Test
  void rangesThatSplitChunksAndAnUnevenLastRange() {
    SweepJob.Plan p = plan("xor-mlp", List.of("sigmoid", "relu"), 500, 200, 3);
    assertEquals(167, p.rangeSize());
    assertTrue(p.rangeSize() % p.chunk() != 0, "a range splits a chunk");
    assertCloseToSingleMachine(p, SweepJob.run(spark, p).sweep());
    SweepJob.Plan narrow = plan("xor-mlp", List.of("tanh"), 500, 200, 7); // ranges of 72 seeds
    assertEquals(72, narrow.width());
    assertCloseToSingleMachine(narrow, SweepJob.run(spark, narrow).sweep());
  }

  @Test
  void morePartitionsThanSeeds() {
    SweepJob.Plan p = plan("xor-mlp", List.of("elu"), 5, 200, 8);
    assertEquals(1, p.rangeSize());
    assertCloseToSingleMachine(p, SweepJob.run(spark, p).sweep());
    SweepJob.Plan deep = plan("relu-serial", List.of("relu"), 6, 3, 4); // dead units per layer
    assertCloseToSingleMachine(deep, SweepJob.run(spark, deep).sweep());
  }

  @Test
  void aRetriedTaskGivesTheSameBits() {
    SweepJob.Plan p = plan("xor-mlp", List.of("relu"), 500, 200, null);
    spark.conf().set(PredictJob.FAIL_FIRST_ATTEMPT, "1");
    Sweep s;
    try {
      s = SweepJob.run(spark, p).sweep();
    } finally {
      spark.conf().unset(PredictJob.FAIL_FIRST_ATTEMPT);
    }
    assertEquals(comparable(singleMachineSweep(p)), comparable(s));
  }

  @Test
  void badArgumentsAreOneLine() {
    String[] r = PredictJobTest.run("sweep", "--activation", "softmax");
    assertEquals("1", r[0]);
    assertTrue(r[1].startsWith("error: softmax is not element-wise"), r[1]);
    r = PredictJobTest.run("sweep", "--activation", "nope");
    assertTrue(r[1].startsWith("error: unknown activation 'nope'; valid: "), r[1]);
    r = PredictJobTest.run("sweep", "--seeds", "0");
    assertEquals("error: --seeds must be positive, got 0\n", r[1]);
    r = PredictJobTest.run("sweep", "--model", "xor");
    assertTrue(r[1].startsWith("error: unknown model 'xor'; valid: or-linear"), r[1]);
  }

  /**
   * Same counts as the single machine; final losses within float32 rounding (relative 1e-5: a few
   * ulps of float32 over 200 epochs of Adam); the largest difference measured is printed.
   */
  static void assertCloseToSingleMachine(SweepJob.Plan p, Sweep s) {
    Sweep ref = singleMachineSweep(p);
    for (int a = 0; a < p.activations().size(); a++) {
      ActivationResult mine = s.results().get(a);
      ActivationResult theirs = ref.results().get(a);
      String what = p.model() + " " + mine.activation() + " ranges of " + p.rangeSize();
      assertEquals(theirs.solved(), mine.solved(), what + ": solved");
      assertEquals(theirs.collapsedRate(), mine.collapsedRate(), what + ": collapsed");
      assertEquals(theirs.deadUnitRate(), mine.deadUnitRate(), what + ": dead units");
      double worst = 0;
      int differ = 0;
      for (int i = 0; i < p.seeds(); i++) {
        double x = theirs.finalLosses()[i];
        double y = mine.finalLosses()[i];
        double rel = Math.abs(x - y) / Math.max(Math.abs(x), 1e-30);
        if (x != y) differ++;
        worst = Math.max(worst, rel);
        assertTrue(rel <= 1e-5, what + ": seed " + (p.firstSeed() + i) + ": " + x + " vs " + y);
      }
      System.out.printf(
          "%s: %d of %d final losses differ from the single machine's, at most %.2g relative%n",
          what, differ, p.seeds(), worst);
    }
  }
}
