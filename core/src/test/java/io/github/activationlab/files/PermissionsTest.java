package io.github.activationlab.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.activationlab.nn.Sequential;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the writers make is as private as the umask says, no more: directories {@code 0777 &
 * ~umask}, files {@code 0666 & ~umask} (755 and 644 under 022) — the exported SavedModel directory
 * and everything TensorFlow writes in it, run.json, the .keras file, the chart, {@code predict
 * --output}.
 */
class PermissionsTest {
  @TempDir Path tmp;

  static int mode(Path p) throws Exception {
    int m = 0;
    for (PosixFilePermission perm : Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)) {
      m |= 1 << (8 - perm.ordinal());
    }
    return m;
  }

  /** Path -> octal mode of everything under {@code root} (links followed into the versions). */
  static TreeMap<String, String> modes(Path root) throws Exception {
    TreeMap<String, String> out = new TreeMap<>();
    List<Path> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.forEach(all::add);
    }
    for (Path p : all) {
      if (p.equals(root) || Files.isSymbolicLink(p)) continue;
      out.put(root.relativize(p).toString(), Integer.toOctalString(mode(p)));
    }
    return out;
  }

  static void allFollow(Path root, int umask) throws Exception {
    TreeMap<String, String> m = modes(root);
    assertTrue(m.size() > 10, m.toString());
    for (var e : m.entrySet()) {
      boolean dir = Files.isDirectory(root.resolve(e.getKey()), LinkOption.NOFOLLOW_LINKS);
      String want = Integer.toOctalString((dir ? 0777 : 0666) & ~umask);
      assertEquals(
          want,
          e.getValue(),
          e.getKey() + " under umask " + Integer.toOctalString(umask) + ": " + m);
    }
  }

  static int umask() throws Exception {
    Process p = new ProcessBuilder("sh", "-c", "umask").start();
    String s = new String(p.getInputStream().readAllBytes()).strip();
    p.waitFor();
    return Integer.parseInt(s, 8);
  }

  @Test
  void inThisProcessEverythingFollowsTheUmask() throws Exception {
    Path out = tmp.resolve("models");
    List<Sequential> models = ModelWriterProcess.buildAll();
    try {
      ModelWriterProcess.write(out, models, 1);
    } finally {
      models.forEach(Sequential::close);
    }
    AtomicFiles.write(out.resolve("predictions.txt"), false, "# x\n".getBytes());
    allFollow(out, umask());
  }

  @Test
  @Timeout(300)
  void underAnotherUmaskToo() throws Exception {
    Path out = tmp.resolve("models");
    String java =
        String.join(
            " ",
            Processes.command(
                    Processes.LIGHT_JVM, ModelWriterProcess.class, out.toString(), "1", "1")
                .stream()
                .map(a -> "'" + a + "'")
                .toList());
    ProcessBuilder pb =
        new ProcessBuilder("sh", "-c", "umask 002 && " + java).redirectErrorStream(true);
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    Process p = pb.start();
    String log = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), log);
    assertTrue(Files.isRegularFile(out.resolve("gate.png")), log);
    allFollow(out, 0002);
    Set<String> dirs = modes(out).keySet();
    assertTrue(dirs.stream().anyMatch(d -> d.endsWith("/1/variables")), dirs.toString());
  }
}
