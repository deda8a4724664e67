package io.github.activationlab.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The hidden siblings that {@link AtomicFiles} and {@link AtomicDirectory} write before they move a
 * result into place, named after the process that owns them, so that whoever writes next can tell
 * litter from work in progress.
 *
 * <p>A name is {@code .<target>.<kind>-<pid>-<start>-<unique>} beside {@code <target>}: {@code pid}
 * and {@code start} (the process's start time, epoch milliseconds in base 36) identify the writer
 * even after its pid is reused; {@code unique} tells apart the temporaries of one process. Kinds:
 *
 * <ul>
 *   <li>{@code tmp} — being filled (a file or a directory): unfinished, never a result;
 *   <li>{@code v} — a complete directory version, the target of the {@code <target>} link (or one
 *       that has been replaced, or one being published);
 *   <li>{@code ln} — a symbolic link to the {@code v} its writer is publishing: made before the
 *       version is complete, renamed onto {@code <target>} ({@code --force}) or removed once {@code
 *       <target>} links to the version;
 *   <li>{@code old} — a legacy real directory moved aside while it is replaced by a link.
 * </ul>
 *
 * <p>{@link #clean} removes, in one directory, what no writer needs: a {@code v} that {@code
 * <target>} does not link to, unless its writer still runs and still has an {@code ln} to it (it is
 * being published; the {@code ln} is checked before {@code <target>}, and goes only after {@code
 * <target>} links to the version, so a version is never seen in neither); and the {@code tmp},
 * {@code ln} and {@code old} of writers that are gone (no process with that pid and start time) —
 * an {@code old} is put back first when {@code <target>} is missing (its writer died between moving
 * it aside and linking the new version). A live writer's {@code tmp}, {@code ln} and {@code old}
 * are never touched; this process knows its own (a set of those in use). Names start with a dot, so
 * {@code predict} never takes one for a model version.
 */
public final class Temporaries {
  private Temporaries() {}

  static final String TMP = "tmp";
  static final String VERSION = "v";
  static final String LINK = "ln";
  static final String OLD = "old";

  /** {@code .<target>.<kind>-<pid>-<start>-<unique>}. */
  private static final Pattern NAME =
      Pattern.compile("\\.(.+)\\.(tmp|v|ln|old)-(\\d+)-([0-9a-z]+)-([0-9a-z]+)");

  /** Start times read from /proc can differ by a clock tick or a boot-time rounding. */
  private static final long START_TOLERANCE_MILLIS = 2000;

  static final long PID = ProcessHandle.current().pid();
  static final long START =
      ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  private static final AtomicLong COUNTER = new AtomicLong();

  /** This process's temporaries that are still in use (being written, or being committed). */
  private static final Set<Path> IN_USE = ConcurrentHashMap.newKeySet();

  /** A temporary's name, parsed. */
  record Name(String target, String kind, long pid, long start) {}

  /** A new, unused name of {@code kind} beside {@code target} (absolute, normalized). */
  static Path sibling(Path target, String kind) {
    String unique =
        Long.toString(COUNTER.incrementAndGet(), 36)
            + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
    return target.resolveSibling(
        "."
            + target.getFileName()
            + "."
            + kind
            + "-"
            + PID
            + "-"
            + Long.toString(START, 36)
            + "-"
            + unique);
  }

  /** Marks {@code p} as this process's work in progress: {@link #clean} leaves it alone. */
  static void inUse(Path p) {
    IN_USE.add(p);
  }

  /** {@code p} is no longer in use by this process: litter if it is still there later. */
  static void done(Path p) {
    IN_USE.remove(p);
  }

  /** The parsed name, if {@code p}'s file name is one of ours. */
  static Optional<Name> parse(Path p) {
    Path file = p.getFileName();
    if (file == null) return Optional.empty();
    Matcher m = NAME.matcher(file.toString());
    if (!m.matches()) return Optional.empty();
    try {
      return Optional.of(
          new Name(
              m.group(1), m.group(2), Long.parseLong(m.group(3)), Long.parseLong(m.group(4), 36)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * If {@code p} names an unfinished temporary (a {@code tmp}), the one line to say so: which
   * target it is for, and whether its writer still runs: a reader given such a path says so instead
   * of failing on a half-written file.
   *
   * @param p any path
   * @return the message, or empty when {@code p} is not an unfinished temporary
   */
  public static Optional<String> unfinished(Path p) {
    return parse(p)
        .filter(n -> n.kind().equals(TMP))
        .map(
            n ->
                p
                    + " is an unfinished temporary of "
                    + p.resolveSibling(n.target())
                    + " ("
                    + (ownerAlive(n)
                        ? "still being written by process " + n.pid()
                        : "left by process "
                            + n.pid()
                            + ", which is gone; the next write there removes it")
                    + "); use "
                    + p.resolveSibling(n.target()));
  }

  /** Whether the process that wrote {@code n} still runs (this process counts as running). */
  static boolean ownerAlive(Name n) {
    if (n.pid() == PID && n.start() == START) return true;
    Optional<ProcessHandle> h = ProcessHandle.of(n.pid());
    if (h.isEmpty() || !h.get().isAlive()) return false;
    Optional<Instant> started = h.get().info().startInstant();
    if (started.isEmpty() || n.start() == 0) return true; // cannot tell: assume it is the writer
    return Math.abs(started.get().toEpochMilli() - n.start()) <= START_TOLERANCE_MILLIS;
  }

  /**
   * Removes the litter of crashed writers in {@code dir} (see the class comment). Best effort: an
   * entry that cannot be removed stays for the next time; it never throws.
   *
   * @param dir the directory whose entries are checked (not its subdirectories)
   */
  public static void clean(Path dir) {
    dir = dir.toAbsolutePath().normalize(); // as the names in IN_USE
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".*")) {
      s.forEach(entries::add);
    } catch (IOException | UncheckedIOException e) {
      return;
    }
    for (Path p : entries) {
      Optional<Name> parsed = parse(p);
      if (parsed.isEmpty()) continue;
      Name n = parsed.get();
      boolean mine = n.pid() == PID && n.start() == START;
      boolean live = mine ? IN_USE.contains(p) : ownerAlive(n);
      Path target = p.resolveSibling(n.target());
      try {
        if (n.kind().equals(VERSION)) {
          // a live writer marks the version it is publishing with a link to it (first this, then
          // the target: the mark goes only once the target links to the version)
          if (live && (mine || markedForPublishing(dir, n, p))) continue;
          if (!linksTo(target, p)) deleteTree(p); // replaced, or never published
          continue;
        }
        if (live) continue; // its work in progress
        // the writer is gone (or it is us, done with it)
        switch (n.kind()) {
          case OLD -> {
            if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
              try {
                Files.move(p, target, StandardCopyOption.ATOMIC_MOVE); // put the old one back
                Fsync.directory(dir);
                continue;
              } catch (IOException e) {
                // someone wrote the target meanwhile: the old version is superseded
              }
            }
            deleteTree(p);
          }
          default -> deleteTree(p);
        }
      } catch (IOException | UncheckedIOException e) {
        // in use by someone we cannot see, or removed by a concurrent cleaner: leave it
      }
    }
  }

  /** Whether a {@code ln} link of {@code version}'s writer, in {@code dir}, points to it. */
  private static boolean markedForPublishing(Path dir, Name version, Path p) {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, ".*")) {
      for (Path q : s) {
        Optional<Name> n = parse(q);
        if (n.isPresent()
            && n.get().kind().equals(LINK)
            && n.get().target().equals(version.target())
            && n.get().pid() == version.pid()
            && linksTo(q, p)) {
          return true;
        }
      }
    } catch (IOException | UncheckedIOException e) {
      return true; // cannot tell: keep it
    }
    return false;
  }

  /** Whether {@code link} is a symbolic link to {@code dir} (a sibling). */
  static boolean linksTo(Path link, Path dir) {
    try {
      if (!Files.isSymbolicLink(link)) return false;
      Path to = Files.readSymbolicLink(link);
      Path resolved = to.isAbsolute() ? to : link.resolveSibling(to);
      return resolved.normalize().equals(dir.normalize());
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Deletes a file, a symbolic link (not what it points to) or a directory tree; no error if it is
   * gone, or goes while this runs (a concurrent cleaner).
   *
   * @param p the file, link or directory
   * @throws IOException if an entry cannot be deleted
   */
  public static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
    List<Path> all;
    try (Stream<Path> walk = Files.walk(p)) {
      all = walk.sorted(Comparator.reverseOrder()).toList();
    } catch (NoSuchFileException e) {
      return;
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof NoSuchFileException) return;
      throw e.getCause();
    }
    for (Path q : all) Files.deleteIfExists(q);
  }

  /**
   * A test hook: with the system property {@code activationlab.crashAt} naming this point, the
   * process halts here at once (as {@code kill -9} would: no finally block, no shutdown hook), with
   * exit code 99 and one line on stderr.
   */
  static void crashPoint(String name) {
    if (name.equals(System.getProperty("activationlab.crashAt"))) {
      System.err.println("activationlab: halting at crash point " + name);
      System.err.flush();
      Runtime.getRuntime().halt(99);
    }
  }
}
