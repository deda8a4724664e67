package io.github.activationlab.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AtomicFiles} and {@link AtomicDirectory} in one process: the rules, one by one. */
class AtomicWritesTest {
  @TempDir Path tmp;

  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** A temporary's name owned by {@code p} (its real pid and start time). */
  static String owned(String target, String kind, ProcessHandle p) {
    long start = p.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    return "." + target + "." + kind + "-" + p.pid() + "-" + Long.toString(start, 36) + "-zz";
  }

  /** A process that has exited (its pid names no live process of that start time). */
  static ProcessHandle gone() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.toHandle();
  }

  @Test
  void aFileIsRefusedWithoutForceReplacedWithItAndNothingElseIsLeft() throws Exception {
    Path f = tmp.resolve("sub/out.txt");
    AtomicFiles.write(f, false, "one".getBytes());
    var e =
        assertThrows(
            FileAlreadyExistsException.class, () -> AtomicFiles.write(f, false, "two".getBytes()));
    assertEquals(f + " exists (use --force to overwrite)", e.getMessage());
    assertEquals("one", Files.readString(f));
    AtomicFiles.write(
        f,
        true,
        out -> {
          out.write("th".getBytes());
          out.close(); // harmless
          out.write("ree".getBytes());
        });
    assertEquals("three", Files.readString(f));
    assertThrows(
        IllegalStateException.class,
        () ->
            AtomicFiles.write(
                f,
                true,
                out -> {
                  out.write("half".getBytes());
                  throw new IllegalStateException("boom");
                }));
    assertEquals("three", Files.readString(f));
    assertEquals(List.of("out.txt"), names(f.getParent()));
  }

  @Test
  void ofEightThreadsWritingOneFileWithoutForceExactlyOneWins() throws Exception {
    Path f = tmp.resolve("race.txt");
    List<String> winners =
        Race.winners(
            8,
            (me, start) -> {
              try {
                AtomicFiles.write(
                    f,
                    false,
                    out -> {
                      try {
                        start.await(); // all past the early check
                      } catch (Exception e) {
                        throw new IOException(e);
                      }
                      out.write(me.getBytes());
                    });
                return true;
              } catch (FileAlreadyExistsException e) {
                return false;
              }
            });
    assertEquals(1, winners.size(), winners.toString());
    assertEquals(winners.get(0), Files.readString(f));
    assertEquals(List.of("race.txt"), names(tmp));
  }

  @Test
  void aDirectoryIsALinkToItsCompleteVersionReplacedWholeWithForce() throws Exception {
    Path m = tmp.resolve("models/m");
    AtomicDirectory.write(m, false, d -> Files.writeString(d.resolve("a.txt"), "1"));
    assertTrue(Files.isSymbolicLink(m));
    Path to = Files.readSymbolicLink(m);
    assertFalse(to.isAbsolute(), "a relative link: the models directory can move");
    assertTrue(
        to.toString().startsWith(".m.v-" + ProcessHandle.current().pid() + "-"), to.toString());
    assertEquals("1", Files.readString(m.resolve("a.txt")));
    var e =
        assertThrows(
            FileAlreadyExistsException.class,
            () -> AtomicDirectory.write(m, false, d -> Files.writeString(d.resolve("a.txt"), "2")));
    assertEquals(m + " exists (use --force to overwrite)", e.getMessage());
    assertThrows(
        IllegalStateException.class,
        () ->
            AtomicDirectory.write(
                m,
                true,
                d -> {
                  Files.writeString(d.resolve("a.txt"), "half");
                  throw new IllegalStateException("boom");
                }));
    assertEquals("1", Files.readString(m.resolve("a.txt")));
    AtomicDirectory.write(m, true, d -> Files.writeString(d.resolve("b.txt"), "2"));
    assertEquals("2", Files.readString(m.resolve("b.txt")));
    assertFalse(Files.exists(m.resolve("a.txt")), "replaced whole, not merged");
    List<String> left = names(m.getParent());
    assertEquals(2, left.size(), "the link and its version only: " + left);
    assertTrue(Targets.linksTo(m, m.resolveSibling(left.get(0))));
  }

  @Test
  void aLegacyDirectoryIsRefusedWithoutForceAndConvertedWithIt() throws Exception {
    Path m = tmp.resolve("m");
    Files.createDirectories(m.resolve("1"));
    Files.writeString(m.resolve("run.json"), "old");
    assertThrows(
        FileAlreadyExistsException.class,
        () ->
            AtomicDirectory.write(m, false, d -> Files.writeString(d.resolve("run.json"), "new")));
    assertEquals("old", Files.readString(m.resolve("run.json")));
    AtomicDirectory.write(m, true, d -> Files.writeString(d.resolve("run.json"), "new"));
    assertTrue(Files.isSymbolicLink(m));
    assertEquals("new", Files.readString(m.resolve("run.json")));
    assertEquals(2, names(tmp).size(), names(tmp).toString());
  }

  @Test
  void aDanglingLinkCountsAsExisting() throws Exception {
    Path m = tmp.resolve("m");
    Files.createSymbolicLink(m, Path.of(".m.v-gone"));
    assertThrows(
        FileAlreadyExistsException.class,
        () -> AtomicDirectory.write(m, false, d -> Files.writeString(d.resolve("x"), "x")));
    AtomicDirectory.write(m, true, d -> Files.writeString(d.resolve("x"), "x"));
    assertEquals("x", Files.readString(m.resolve("x")));
  }

  @Test
  void theLitterOfDeadWritersGoesTheWorkOfLiveOnesStaysReplacedVersionsGo() throws Exception {
    Path dir = tmp.resolve("models");
    Files.createDirectories(dir);
    ProcessHandle dead = gone();
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      ProcessHandle live = sleeper.toHandle();
      // a dead writer's half file and half directory, its link about to be renamed, the old
      // version it replaced (unreferenced), and the version a target still links to
      Files.writeString(dir.resolve(owned("a.keras", "tmp", dead)), "half");
      Files.createDirectories(dir.resolve(owned("m", "tmp", dead)).resolve("1"));
      Files.createDirectories(dir.resolve(owned("m", "v", dead)));
      Files.createSymbolicLink(dir.resolve(owned("m", "ln", dead)), Path.of(owned("m", "v", dead)));
      Files.createDirectories(dir.resolve(owned("n", "v", dead)));
      Files.createSymbolicLink(dir.resolve("n"), Path.of(owned("n", "v", dead)));
      // a live writer's work in progress: a file, a directory, a version it is publishing (its
      // ln link marks it)...
      Files.writeString(dir.resolve(owned("a.keras", "tmp", live)), "being written");
      Files.createDirectories(dir.resolve(owned("m", "tmp", live)));
      Files.createDirectories(dir.resolve(owned("m", "v", live)));
      Files.createSymbolicLink(dir.resolve(owned("m", "ln", live)), Path.of(owned("m", "v", live)));
      // ... and a version it published that another writer has replaced since (unmarked)
      Files.createDirectories(dir.resolve(owned("k", "v", live).replace("-zz", "-yy")));
      // a live pid with another start time: the pid was reused, the writer is gone
      String reused = "." + "b.txt" + ".tmp-" + live.pid() + "-" + Long.toString(12345, 36) + "-zz";
      Files.writeString(dir.resolve(reused), "half");
      // not ours at all
      Files.writeString(dir.resolve(".hidden-by-the-user"), "keep");

      AtomicFiles.write(dir.resolve("a.keras"), false, "A".getBytes());
      assertEquals(
          List.of(
                  owned("a.keras", "tmp", live),
                  owned("m", "tmp", live),
                  owned("m", "v", live),
                  owned("m", "ln", live),
                  owned("n", "v", dead),
                  ".hidden-by-the-user",
                  "a.keras",
                  "n")
              .stream()
              .sorted()
              .toList(),
          names(dir));

      sleeper.destroyForcibly();
      sleeper.waitFor();
      Temporaries.clean(dir);
      assertEquals(
          List.of(owned("n", "v", dead), ".hidden-by-the-user", "a.keras", "n").stream()
              .sorted()
              .toList(),
          names(dir));
    } finally {
      sleeper.destroyForcibly();
    }
  }

  @Test
  void aVersionACrashLeftAsideIsPutBackWhenTheTargetIsMissing() throws Exception {
    ProcessHandle dead = gone();
    Path aside = tmp.resolve(owned("m", "old", dead));
    Files.createDirectories(aside);
    Files.writeString(aside.resolve("run.json"), "old");
    var e =
        assertThrows(
            FileAlreadyExistsException.class,
            () ->
                AtomicDirectory.write(
                    tmp.resolve("m"), false, d -> Files.writeString(d.resolve("x"), "x")));
    assertTrue(e.getMessage().endsWith("exists (use --force to overwrite)"));
    assertEquals("old", Files.readString(tmp.resolve("m/run.json")));
    assertEquals(List.of("m"), names(tmp));
  }

  @Test
  void unfinishedSaysWhoseAndWhether() throws Exception {
    ProcessHandle dead = gone();
    Path t = tmp.resolve(owned("xor-mlp", "tmp", dead));
    assertEquals(
        t
            + " is an unfinished temporary of "
            + tmp.resolve("xor-mlp")
            + " (left by process "
            + dead.pid()
            + ", which is gone; the next write there removes it); use "
            + tmp.resolve("xor-mlp"),
        Temporaries.unfinished(t).orElseThrow());
    assertTrue(Temporaries.unfinished(tmp.resolve(owned("xor-mlp", "v", dead))).isEmpty());
    assertTrue(Temporaries.unfinished(tmp.resolve("xor-mlp")).isEmpty());
  }
}
