package io.github.activationlab.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.activationlab.nn.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection on the commit layer ({@link AtomicDirectory}, {@link AtomicFiles}) with a light
 * writer process ({@link CommitWriterProcess}, no TensorFlow, so many kills are cheap) that
 * publishes real models — templates written here by the production writers and checked to load
 * ({@code Predictor}, {@code Sequential.load}). After every crash every target must be, byte for
 * byte, one of the complete versions (or, in the one documented window of converting a legacy
 * directory, missing with the old version aside, put back by the next write); after the next
 * complete run, no litter.
 */
class CommitCrashTest {
  static final int KILLS = Integer.getInteger("activationlab.commitKills", 30);

  /**
   * Kills go on after {@link #KILLS} until this many have hit a write (a temporary of the killed
   * writer left behind), at most {@link #MAX_KILLS}: where a kill lands is timing, and a run in
   * which few did would prove little (about half land mid-write here; 10 of 30 was seen once).
   */
  static final int MID_WRITE_KILLS = 10;

  static final int MAX_KILLS = 4 * KILLS;

  @TempDir static Path shared;
  static Path templates;
  static final List<String> NAMES = ModelWriterProcess.NAMES;

  @TempDir Path tmp;

  @BeforeAll
  static void writeTemplates() throws Exception {
    templates = shared.resolve("templates");
    List<Sequential> models = ModelWriterProcess.buildAll();
    try {
      for (int k = 0; k < 3; k++)
        ModelWriterProcess.write(templates.resolve("t" + k), models, k + 1);
    } finally {
      models.forEach(Sequential::close);
    }
    Targets t = new Targets();
    for (int k = 0; k < 3; k++) {
      for (String name : NAMES) {
        assertEquals(k + 1, t.dir(templates.resolve("t" + k), name));
        assertEquals(k + 1, t.keras(templates.resolve("t" + k), name));
        t.png(templates.resolve("t" + k), name);
      }
    }
  }

  static Processes.Running start(
      Path out, long first, long count, boolean force, String crashAt, Path log) throws Exception {
    List<String> jvm = new ArrayList<>(Processes.LIGHT_JVM);
    if (crashAt != null) jvm.add("-Dactivationlab.crashAt=" + crashAt);
    return new Processes.Running(
        Processes.command(
            jvm,
            CommitWriterProcess.class,
            out.toString(),
            templates.toString(),
            Long.toString(first),
            Long.toString(count),
            Boolean.toString(force)),
        log);
  }

  /** The template index each target is (fails if one is anything else); -1 for a missing one. */
  static List<Integer> versions(Path out, boolean allowMissing) throws Exception {
    List<Integer> v = new ArrayList<>();
    for (String name : NAMES) {
      for (String t : List.of(name, name + ".keras", name + ".png")) {
        Path p = out.resolve(t);
        if (allowMissing && !Targets.present(p)) {
          v.add(-1);
          continue;
        }
        List<Path> candidates = new ArrayList<>();
        for (int k = 0; k < 3; k++) candidates.add(templates.resolve("t" + k).resolve(t));
        v.add(Targets.which(p, candidates));
      }
    }
    return v;
  }

  @Test
  @Timeout(600)
  void aCommitKilledAtRandomPointsLeavesEveryTargetOldOrNew() throws Exception {
    Path out = tmp.resolve("models");
    Path log = tmp.resolve("writer.stderr");
    long t0 = System.nanoTime();
    Processes.Running base = start(out, 0, 3, true, null, log);
    assertEquals(0, base.exit(300), base.out());
    long spreadMs =
        base.out()
                    .lines()
                    .filter(l -> l.startsWith("generation "))
                    .mapToLong(l -> Long.parseLong(l.split(" ")[2]))
                    .max()
                    .orElseThrow()
                * 2
            + 1;
    versions(out, false);
    Random random = new Random(31337);
    int interrupted = 0;
    int kills = 0;
    for (int k = 0; k < MAX_KILLS && (k < KILLS || interrupted < MID_WRITE_KILLS); k++) {
      kills++;
      Processes.Running w = start(out, 3L * (k + 1), 0, true, null, log);
      assertNotNull(w.await("ready", 120), "the writer did not start: " + w.out());
      Thread.sleep((long) (random.nextDouble() * spreadMs));
      w.kill();
      String owner = "-" + w.process.pid() + "-";
      if (Targets.litter(out).stream().anyMatch(n -> n.contains(owner))) interrupted++;
      versions(out, false); // every target is one complete version
    }
    Processes.Running last = start(out, 0, 1, true, null, log);
    assertEquals(0, last.exit(300), last.out());
    assertEquals(List.of(0, 0, 0, 0, 0, 0, 0, 0, 0), versions(out, false));
    assertEquals(List.of(), Targets.litter(out), "left behind after a complete run");
    System.out.printf(
        "killed commits: %d kills (%d mid-write), every target complete after" + " each; %.0f s%n",
        kills, interrupted, (System.nanoTime() - t0) / 1e9);
    assertTrue(interrupted >= MID_WRITE_KILLS, interrupted + " of " + kills + " kills hit a write");
  }

  /** Runs a writer that must halt at {@code point} (exit 99). */
  void crash(Path out, long generation, boolean force, String point) throws Exception {
    Path log = tmp.resolve(point + ".stderr");
    Processes.Running w = start(out, generation, 1, force, point, log);
    assertEquals(99, w.exit(120), point + ": " + w.out() + Files.readString(log));
    assertTrue(Files.readString(log).contains("halting at crash point " + point));
  }

  static List<String> hidden(Path out, String kind) throws Exception {
    try (Stream<Path> s = Files.list(out)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.contains("." + kind + "-"))
          .toList();
    }
  }

  @Test
  @Timeout(600)
  void aCrashAtEveryCommitStepLeavesEveryTargetOldOrNew() throws Exception {
    Path out = tmp.resolve("models");
    Processes.Running base = start(out, 0, 1, true, null, tmp.resolve("base.stderr"));
    assertEquals(0, base.exit(300), base.out());
    // gate as earlier versions wrote it: a real directory
    Path gate = out.resolve("gate");
    Path legacy = gate.toRealPath();
    Files.delete(gate);
    Files.move(legacy, gate);
    assertTrue(Files.isDirectory(gate) && !Files.isSymbolicLink(gate));
    List<Integer> old = List.of(0, 0, 0, 0, 0, 0, 0, 0, 0);
    assertEquals(old, versions(out, false));

    // the one window: between moving the legacy directory aside and linking the new version
    crash(out, 1, true, "dir-legacy-aside");
    assertFalse(Targets.present(gate));
    assertEquals(1, hidden(out, "old").size());
    // the next writer puts it back first
    crash(out, 1, true, "dir-filled");
    assertTrue(Files.isDirectory(gate) && !Files.isSymbolicLink(gate), "the old version is back");
    assertEquals(old, versions(out, false));
    assertEquals(List.of(), hidden(out, "old"));
    crash(out, 1, true, "dir-renamed");
    assertEquals(old, versions(out, false));
    crash(out, 1, true, "dir-link-made");
    assertEquals(old, versions(out, false));
    crash(out, 1, true, "dir-replaced");
    assertEquals(List.of(1, 0, 0, 0, 0, 0, 0, 0, 0), versions(out, false));
    crash(out, 2, true, "file-written");
    assertEquals(List.of(2, 0, 0, 0, 0, 0, 0, 0, 0), versions(out, false));

    // without --force, into empty directories
    Path fresh = tmp.resolve("fresh");
    crash(fresh, 1, false, "dir-linked");
    assertEquals(List.of(1, -1, -1, -1, -1, -1, -1, -1, -1), versions(fresh, true));
    Path fresh2 = tmp.resolve("fresh2");
    crash(fresh2, 2, false, "file-linked");
    assertEquals(List.of(2, 2, -1, -1, -1, -1, -1, -1, -1), versions(fresh2, true));

    for (Path dir : List.of(out, fresh, fresh2)) {
      assertFalse(Targets.litter(dir).isEmpty(), "the crash left temporaries in " + dir);
      Processes.Running w = start(dir, 0, 1, true, null, tmp.resolve("last.stderr"));
      assertEquals(0, w.exit(300), w.out());
      assertEquals(old, versions(dir, false));
      assertEquals(List.of(), Targets.litter(dir), "left behind after a complete run");
    }
  }

  @Test
  @Timeout(600)
  void concurrentWritersNeverRemoveEachOthersWorkInProgress() throws Exception {
    Path out = tmp.resolve("models");
    Path log = tmp.resolve("writers.stderr");
    // A writes until killed; B writes 15 generations meanwhile, cleaning before every write
    Processes.Running a = start(out, 0, 0, true, null, log);
    assertNotNull(a.await("generation", 120), a.out() + Files.readString(log));
    Processes.Running b = start(out, 1, 15, true, null, log);
    assertEquals(0, b.exit(300), "B: " + b.out() + Files.readString(log));
    assertTrue(a.process.isAlive(), "A failed while B cleaned: " + Files.readString(log));
    long aGenerations = a.out().lines().filter(l -> l.startsWith("generation")).count();
    a.kill();
    versions(out, false);
    Processes.Running c = start(out, 0, 1, true, null, log);
    assertEquals(0, c.exit(300), c.out());
    assertEquals(List.of(), Targets.litter(out));
    assertTrue(aGenerations > 1, "A wrote while B did: " + aGenerations + " generations");
  }
}
