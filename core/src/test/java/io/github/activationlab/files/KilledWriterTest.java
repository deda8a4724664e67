package io.github.activationlab.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.activationlab.nn.Sequential;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection on the production writers: a real process ({@link ModelWriterProcess}: SavedModel
 * + run.json through {@code ModelExport}, {@code .keras} through {@code Sequential.save}, a PNG
 * through {@code AtomicFiles.write} as the app's charts are written, all with {@code --force}) is
 * killed with SIGKILL at seeded random points of its writing, {@value #DEFAULT_KILLS} times (more
 * with {@code -Dactivationlab.kills=30}). After every kill every target must be complete — each
 * SavedModel loads with {@code Predictor} and gives its run.json's probe outputs, each .keras loads
 * with {@code Sequential.load} and holds one generation's weights, each PNG decodes — and hold the
 * version it held before or a newer one; after the next complete run nothing but the targets (and
 * the versions they link to) is left.
 */
class KilledWriterTest {
  static final int DEFAULT_KILLS = 6;
  static final int KILLS = Integer.getInteger("activationlab.kills", DEFAULT_KILLS);

  @TempDir Path tmp;

  @Test
  @Timeout(900)
  void aWriterKilledAtRandomPointsLeavesEveryTargetOldOrNew() throws Exception {
    Path out = tmp.resolve("models");
    Path log = tmp.resolve("writer.stderr");
    long t0 = System.nanoTime();
    // the old versions: generation 1, written here by the same production writers
    List<Sequential> models = ModelWriterProcess.buildAll();
    try {
      ModelWriterProcess.write(out, models, 1);
    } finally {
      models.forEach(Sequential::close);
    }
    Targets targets = new Targets();
    Map<String, Long> seen = check(out, targets, new HashMap<>());
    // the kills land within a fresh process's first generation (JIT warm-up included): a guess,
    // then what the writers report
    long spreadMs = 3000;
    Random random = new Random(20240613);
    int interrupted = 0;
    int changed = 0;
    for (int k = 0; k < KILLS; k++) {
      long first = 1000L * (k + 1);
      Processes.Running w = start(out, first, 0, log);
      assertNotNull(w.await("ready", 300), "the writer did not start: " + w.out());
      Thread.sleep((long) (random.nextDouble() * spreadMs));
      w.kill();
      spreadMs =
          w.out()
              .lines()
              .filter(l -> l.startsWith("generation "))
              .findFirst()
              .map(l -> Long.parseLong(l.split(" ")[2]) * 6 / 5)
              .orElse(spreadMs);
      String owner = "-" + w.process.pid() + "-";
      if (Targets.litter(out).stream().anyMatch(n -> n.contains(owner))) interrupted++;
      Map<String, Long> now = check(out, targets, seen);
      if (!now.equals(seen)) changed++;
      seen = now;
    }
    Processes.Running last = start(out, 1000L * (KILLS + 1), 1, log);
    assertEquals(0, last.exit(600), last.out());
    check(out, targets, seen);
    assertEquals(List.of(), Targets.litter(out), "left behind after a complete run");
    System.out.printf(
        "killed writers: %d kills (%d mid-write: temporaries left; %d changed a"
            + " target), every target complete after each; %d model loads; %.0f s%n",
        KILLS, interrupted, changed, targets.loads, (System.nanoTime() - t0) / 1e9);
    assertTrue(interrupted > 0 || KILLS < 4, "no kill landed while writing: the test did not test");
  }

  static Processes.Running start(Path out, long first, long count, Path log) throws Exception {
    return new Processes.Running(
        Processes.command(
            Processes.LIGHT_JVM,
            ModelWriterProcess.class,
            out.toString(),
            Long.toString(first),
            Long.toString(count)),
        log);
  }

  /** Every target complete; no target older than before. Returns each target's generation. */
  static Map<String, Long> check(Path out, Targets targets, Map<String, Long> before)
      throws Exception {
    Map<String, Long> now = new HashMap<>();
    for (String name : ModelWriterProcess.NAMES) {
      now.put(name, targets.dir(out, name));
      now.put(name + ".keras", targets.keras(out, name));
      targets.png(out, name);
    }
    for (var e : before.entrySet()) {
      assertTrue(
          now.get(e.getKey()) >= e.getValue(),
          e.getKey() + " went back from generation " + e.getValue() + " to " + now.get(e.getKey()));
    }
    return now;
  }
}
