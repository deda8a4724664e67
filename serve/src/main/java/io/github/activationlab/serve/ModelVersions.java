package io.github.activationlab.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The versions of one model, live: {@link #poll()} scans the base path and loads, swaps and unloads
 * versions as TensorFlow Serving's file-system source and availability-preserving manager do.
 *
 * <ul>
 *   <li>A version is a directory named by a number ({@code 1}, {@code 00000123}) holding {@code
 *       saved_model.pb} or one {@code .keras} file; hidden entries (temporaries) are not versions.
 *       A base path that is itself a {@code .keras} file is version 1.
 *   <li>A version is <em>complete</em> when its files (names, sizes, modification times) are the
 *       same on two scans in a row: a directory still being written is never loaded.
 *   <li>The policy picks among complete versions that have not failed to load; a version that fails
 *       is logged, marked END with its error, and skipped (retried only when its files change), so
 *       the previous version keeps serving.
 *   <li>New versions are loaded and made available before old ones are taken out; an old one is
 *       closed after the requests running on it finish ({@link Servable#close()} waits), and a
 *       request that meets a closed version looks the model up again: no request fails in a swap.
 * </ul>
 *
 * Lookups ({@link #latest}, {@link #version}) read an immutable map and never block.
 */
final class ModelVersions implements AutoCloseable {
  /** TensorFlow Serving's servable states. */
  enum State {
    START,
    LOADING,
    AVAILABLE,
    UNLOADING,
    END
  }

  /**
   * A version's state for the status endpoint.
   *
   * @param state the state
   * @param error the load error ("" when none)
   */
  record Status(State state, String error) {}

  /** Loads one version (a directory, or a .keras file). */
  interface Loader {
    Servable load(Path path) throws IOException;
  }

  final String name;
  final Path basePath;
  final VersionPolicy policy;
  final Map<String, Long> labels;
  private final Loader loader;
  private final Consumer<String> log;
  private final Events events;

  private volatile NavigableMap<Long, Servable> serving = new TreeMap<>();
  private final ConcurrentSkipListMap<Long, Status> status = new ConcurrentSkipListMap<>();
  private Map<Long, String> lastScan = new HashMap<>(); // version -> files snapshot
  private final Map<Long, String> failed = new HashMap<>(); // version -> snapshot that failed
  private final Map<Long, Path> paths = new HashMap<>();
  private boolean closed;

  /** What happened, for metrics. */
  interface Events {
    void loaded(String model, boolean ok);
  }

  ModelVersions(
      String name,
      Path basePath,
      VersionPolicy policy,
      Map<String, Long> labels,
      Loader loader,
      Consumer<String> log,
      Events events) {
    this.name = name;
    this.basePath = basePath;
    this.policy = policy;
    this.labels = Map.copyOf(labels);
    this.loader = loader;
    this.log = log;
    this.events = events;
  }

  /** The served version with the highest number, or null. */
  Map.Entry<Long, Servable> latest() {
    return serving.lastEntry();
  }

  /** The served version {@code v}, or null. */
  Servable version(long v) {
    return serving.get(v);
  }

  /** Versions known so far, highest first, with their states. */
  NavigableMap<Long, Status> status() {
    return status.descendingMap();
  }

  /** Numbers of the versions being served. */
  NavigableSet<Long> available() {
    return new TreeSet<>(serving.keySet());
  }

  /** One scan of the base path: loads what the policy wants, unloads what it no longer wants. */
  synchronized void poll() {
    if (closed) return;
    Map<Long, Path> found;
    Map<Long, String> scan = new HashMap<>();
    try {
      found = scan(scan);
    } catch (IOException | UncheckedIOException e) {
      log.accept("model " + name + ": cannot read " + basePath + ": " + e.getMessage());
      return;
    }
    NavigableSet<Long> complete = new TreeSet<>();
    for (var e : scan.entrySet()) {
      if (e.getValue().equals(lastScan.get(e.getKey()))) complete.add(e.getKey());
    }
    // a version being served stays a candidate while its directory exists, even if its files
    // change (versions are not reloaded: a new number is a new version)
    for (Long v : serving.keySet()) if (scan.containsKey(v)) complete.add(v);
    lastScan = scan;
    paths.putAll(found);
    failed.keySet().removeIf(v -> !e(failed.get(v), scan.get(v)));
    while (true) {
      NavigableSet<Long> loadable = new TreeSet<>(complete);
      loadable.removeAll(failed.keySet());
      NavigableSet<Long> wanted = policy.select(loadable);
      Long next = wanted.stream().filter(v -> !serving.containsKey(v)).findFirst().orElse(null);
      if (next == null) {
        unloadExcept(wanted);
        return;
      }
      load(next, found.get(next), scan.get(next));
    }
  }

  private static boolean e(String a, String b) {
    return a != null && a.equals(b);
  }

  private void load(long v, Path path, String snapshot) {
    status.put(v, new Status(State.LOADING, ""));
    long t0 = System.nanoTime();
    try {
      Servable s = loader.load(path);
      NavigableMap<Long, Servable> next = new TreeMap<>(serving);
      next.put(v, s);
      serving = next;
      status.put(v, new Status(State.AVAILABLE, ""));
      events.loaded(name, true);
      log.accept(
          String.format(
              "Successfully loaded servable version {name: %s version: %d} from %s in %d ms",
              name, v, s.describe(), (System.nanoTime() - t0) / 1_000_000));
    } catch (Exception | LinkageError e) {
      failed.put(v, snapshot);
      String why = SavedModelServable.firstLine(String.valueOf(e.getMessage()));
      status.put(v, new Status(State.END, why));
      events.loaded(name, false);
      log.accept("Failed to load servable version {name: " + name + " version: " + v + "}: " + why);
    }
  }

  private void unloadExcept(NavigableSet<Long> wanted) {
    List<Long> old = new ArrayList<>();
    for (Long v : serving.keySet()) if (!wanted.contains(v)) old.add(v);
    if (old.isEmpty()) return;
    NavigableMap<Long, Servable> next = new TreeMap<>(serving);
    List<Servable> closing = new ArrayList<>();
    for (Long v : old) {
      closing.add(next.remove(v));
      status.put(v, new Status(State.UNLOADING, ""));
    }
    serving = next; // new lookups no longer see them; running requests finish first:
    for (int i = 0; i < old.size(); i++) {
      closing.get(i).close();
      status.put(old.get(i), new Status(State.END, ""));
      log.accept("Unloaded servable version {name: " + name + " version: " + old.get(i) + "}");
    }
  }

  /** The version paths under the base path, and a snapshot of each one's files. */
  private Map<Long, Path> scan(Map<Long, String> snapshots) throws IOException {
    Map<Long, Path> out = new HashMap<>();
    if (Files.isRegularFile(basePath) && basePath.toString().endsWith(".keras")) {
      out.put(1L, basePath);
      snapshots.put(1L, snapshot(basePath));
      return out;
    }
    if (!Files.isDirectory(basePath)) throw new IOException("no such directory");
    try (Stream<Path> children = Files.list(basePath)) {
      for (Path p : (Iterable<Path>) children::iterator) {
        String n = p.getFileName().toString();
        if (!n.matches("\\d{1,18}") || !Files.isDirectory(p)) continue;
        String snap = snapshot(p);
        if (snap.contains("saved_model.pb") || snap.contains(".keras\t")) {
          long v = Long.parseLong(n);
          out.put(v, p);
          snapshots.put(v, snap);
        }
      }
    }
    return out;
  }

  /** Names, sizes and modification times of every file under {@code p} (following links). */
  static String snapshot(Path p) throws IOException {
    if (Files.isRegularFile(p)) return stamp(p, Files.readAttributes(p, BasicFileAttributes.class));
    StringBuilder b = new StringBuilder();
    try (Stream<Path> files = Files.walk(p, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
      files
          .sorted()
          .forEach(
              f -> {
                try {
                  var a = Files.readAttributes(f, BasicFileAttributes.class);
                  if (a.isRegularFile()) b.append(stamp(p.relativize(f), a)).append('\n');
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
    return b.toString();
  }

  private static String stamp(Path f, BasicFileAttributes a) {
    return f + "\t" + a.size() + "\t" + a.lastModifiedTime().toMillis();
  }

  /** The path a loaded version came from. */
  synchronized Path path(long v) {
    return paths.get(v);
  }

  @Override
  public synchronized void close() {
    closed = true;
    NavigableMap<Long, Servable> s = serving;
    serving = new TreeMap<>();
    for (var e : s.entrySet()) {
      e.getValue().close();
      status.put(e.getKey(), new Status(State.END, ""));
    }
  }
}
