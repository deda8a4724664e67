package io.github.activationlab.spark;

import io.github.activationlab.savedmodel.LoadedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded model per executor JVM, whatever the number of its tasks: loaded lazily by the first
 * task that needs it (TensorFlowOnSpark's pattern: a SavedModel per executor, reused across
 * partitions), shared by the tasks that run at once ({@link LoadedModel} is thread-safe), and
 * closed when the JVM shuts down (a shutdown hook, registered with the first load). A task never
 * closes it: the next task of the same JVM takes it as it is.
 */
final class ModelCache {
  private ModelCache() {}

  private static final Map<String, LoadedModel> MODELS = new HashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();
  private static boolean hooked;

  /**
   * The model at {@code path} ({@link LoadedModel#open}), loaded once per JVM.
   *
   * @param path the model as the user gave it (its text appears in the header line)
   * @param dir the directory to resolve a relative {@code path} against (the driver's working
   *     directory), or null
   */
  static synchronized LoadedModel get(String path, String dir) {
    LoadedModel m = MODELS.get(path);
    if (m != null) return m;
    Path p = Path.of(path);
    Path at =
        dir == null || p.isAbsolute() || Path.of("").toAbsolutePath().toString().equals(dir)
            ? p
            : Path.of(dir).resolve(p);
    try {
      m = at == p ? LoadedModel.open(p) : new Relabelled(LoadedModel.open(at), path, at);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    MODELS.put(path, m);
    LOADS.incrementAndGet();
    if (!hooked) {
      Runtime.getRuntime().addShutdownHook(new Thread(ModelCache::closeAll, "close-models"));
      hooked = true;
    }
    return m;
  }

  /** Models loaded in this JVM so far (tests and the job's summary line read it). */
  static int loads() {
    return LOADS.get();
  }

  /** Closes every model (the shutdown hook; tests). The next {@link #get} loads again. */
  static synchronized void closeAll() {
    MODELS.values().forEach(LoadedModel::close);
    MODELS.clear();
  }

  /**
   * A model loaded from an absolute path on an executor whose working directory is not the
   * driver's, described with the path as the user gave it — so that the header line is the one the
   * command line prints.
   */
  private record Relabelled(LoadedModel m, String given, Path at) implements LoadedModel {
    public double[][] predict(double[][] rows) {
      return m.predict(rows);
    }

    public io.github.activationlab.savedmodel.Predictor.Outputs predict(
        double[] flat, int rows, int width, double[] reuse) {
      return m.predict(flat, rows, width, reuse);
    }

    public long inputWidth() {
      return m.inputWidth();
    }

    public String columnsError(long row, int columns, long width) {
      return m.columnsError(row, columns, width);
    }

    public String describe() {
      String d = m.describe();
      String abs = at.toString();
      return d.startsWith(abs) ? given + d.substring(abs.length()) : d;
    }

    public void close() {
      m.close();
    }
  }
}
