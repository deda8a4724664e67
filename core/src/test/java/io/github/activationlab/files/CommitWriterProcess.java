package io.github.activationlab.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A light process (no TensorFlow: it starts in a fraction of a second) for the fault-injection
 * tests of the commit layer: writes the targets of {@link ModelWriterProcess#NAMES} in {@code OUT}
 * — {@code <name>/} through {@link AtomicDirectory}, {@code <name>.keras} and {@code <name>.png}
 * through {@link AtomicFiles} — copying real models (templates the test wrote with the production
 * writers), template {@code g % T} for generation {@code g}.
 *
 * <p>{@code java ... CommitWriterProcess OUT TEMPLATES FIRST COUNT FORCE} (COUNT 0: until killed);
 * {@code -Dactivationlab.crashAt=POINT} halts it at that step ({@link Temporaries#crashPoint}).
 * Prints {@code ready}, then {@code generation G <ms>} after each.
 */
public final class CommitWriterProcess {
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    List<Path> templates;
    try (Stream<Path> s = Files.list(Path.of(args[1]))) {
      templates = s.sorted().toList();
    }
    long first = Long.parseLong(args[2]);
    long count = Long.parseLong(args[3]);
    boolean force = Boolean.parseBoolean(args[4]);
    System.out.println("ready");
    System.out.flush();
    for (long g = first; count == 0 || g < first + count; g++) {
      long t0 = System.nanoTime();
      Path t = templates.get((int) (g % templates.size()));
      for (String name : ModelWriterProcess.NAMES) {
        Path model = t.resolve(name).toRealPath();
        AtomicDirectory.write(out.resolve(name), force, d -> copyTree(model, d));
        for (String ext : List.of(".keras", ".png")) {
          AtomicFiles.write(
              out.resolve(name + ext), force, o -> Files.copy(t.resolve(name + ext), o));
        }
      }
      System.out.println("generation " + g + " " + (System.nanoTime() - t0) / 1_000_000);
      System.out.flush();
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
  }
}
