package io.github.activationlab.experiment;

import io.github.activationlab.activation.Activations;
import io.github.activationlab.activation.ElementWise;
import io.github.activationlab.nn.SeedSweep;
import io.github.activationlab.notebook.NotebookModels;
import io.github.activationlab.notebook.NotebookModels.Spec;
import io.github.activationlab.sweep.SeedRange;
import io.github.activationlab.sweep.SweepResults;
import io.github.activationlab.sweep.SweepResults.ActivationResult;
import io.github.activationlab.sweep.SweepResults.Sweep;
import io.github.activationlab.tf.DTypes;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.tensorflow.types.family.TFloating;

/**
 * The machinery of seed sweeps ({@link SeedLottery} is the notebook's section, {@code sweep} the
 * command): it trains a model for many seeds with each activation in turn ({@link SeedSweep}: all
 * seeds of one activation in one XLA op, in chunks) and reports, per activation, how often it is
 * solved (with a 95% Wilson interval), the distribution of the final loss, dead units and collapsed
 * outputs ({@link SweepResults}).
 *
 * <p>What varies and what does not is core's {@link SeedRange} (which the Spark job's tasks use
 * too): the activation replaces that of every hidden {@code Dense} layer (a single-layer model's
 * one layer), PReLU layers are kept, the seeds {@code first .. first + N - 1} vary the initial
 * weights and the shuffles, and the data are the same for every seed ({@link SeedRange#DATA_SEED}).
 * So are the activation rules and the chunk ({@link SeedRange#layout}); this class adds the command
 * line's checks, the threads and the progress lines.
 */
public final class Sweeps {
  private Sweeps() {}

  /**
   * A validated sweep: the model, the activations in the order given, seeds {@code firstSeed ..
   * firstSeed + seeds - 1}, the training settings, {@code threads} (several activations: that many
   * side by side, each one chunk at a time; one activation: that many of its chunks side by side)
   * and the seeds per chunk (the same for every activation: they change no shape; the memory budget
   * is shared by the threads).
   */
  public record Plan(
      Spec model,
      List<ElementWise> activations,
      long firstSeed,
      int seeds,
      int epochs,
      double learningRate,
      Class<? extends TFloating> dtype,
      int threads,
      int chunk) {

    public String dtypeName() {
      return DTypes.name(dtype);
    }
  }

  /**
   * Threads by default: one per core, at most two. Each chunk runs single-threaded (TF's session
   * has one intra-op and one inter-op thread), so on this project's 2-core machines two chunks (or
   * two activations) at a time use both cores.
   */
  public static int defaultThreads() {
    return Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
  }

  /**
   * Checks every argument and that the sweep fits in memory, without touching TensorFlow; the first
   * problem is an {@link IllegalArgumentException} of one line.
   *
   * @param activations Keras names, or {@code ["all"]}; null or empty: the model's own
   * @param epochs null: the model's
   * @param learningRate null: the model's
   * @param dtype "float32" (null: the same) or "float64"
   * @param threads activations swept side by side (at most one per activation), or one activation's
   *     chunks side by side ({@link SeedRange#layout})
   */
  public static Plan plan(
      String model,
      List<String> activations,
      long firstSeed,
      int seeds,
      Integer epochs,
      Double learningRate,
      String dtype,
      int threads) {
    Spec spec = NotebookModels.get(model);
    if (seeds <= 0) throw new IllegalArgumentException("--seeds must be positive, got " + seeds);
    int ep = epochs == null ? spec.epochs() : epochs;
    if (ep <= 0) throw new IllegalArgumentException("--epochs must be positive, got " + ep);
    double lr = learningRate == null ? spec.learningRate() : learningRate;
    if (!(lr > 0) || !Double.isFinite(lr)) {
      throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
    }
    Class<? extends TFloating> type;
    try {
      type = DTypes.of(dtype == null ? "float32" : dtype);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown --dtype '" + dtype + "'; valid: float32, float64");
    }
    if (threads <= 0)
      throw new IllegalArgumentException("--threads must be positive, got " + threads);
    List<ElementWise> acts =
        SeedRange.activations(model, activations).stream()
            .map(a -> (ElementWise) Activations.get(a))
            .toList();
    long heap = Runtime.getRuntime().maxMemory();
    long javaBytes = javaBytes(seeds, acts.size());
    if (javaBytes > heap / 2) {
      throw new IllegalArgumentException(
          String.format(
              "%d seeds x %d activation(s) need about %.1f GB of Java heap for their per-seed"
                  + " results, more than half of the %.1f GB heap (-Xmx)",
              seeds, acts.size(), javaBytes / 1e9, heap / 1e9));
    }
    var setup = new SeedRange.Setup(model, acts.get(0).name(), ep, lr, DTypes.name(type));
    SeedRange.Layout layout = SeedRange.layout(setup, seeds, acts.size(), threads);
    return new Plan(spec, acts, firstSeed, seeds, ep, lr, type, layout.threads(), layout.chunk());
  }

  /**
   * Java memory the results take: per seed and activation its final loss (kept), and while a result
   * is summarised a sorted copy and the JSON text (bounded generously).
   */
  static long javaBytes(int seeds, int activations) {
    return (long) seeds * (8L * activations + 64);
  }

  /** What SeedSweep trains for one activation of a plan: {@link SeedRange.Setup#spec()}. */
  static SeedSweep.Spec sweepSpec(Plan p, ElementWise a) {
    return new SeedRange.Setup(
            p.model().name(), a.name(), p.epochs(), p.learningRate(), p.dtypeName())
        .spec();
  }

  /**
   * Runs a plan: for each activation one {@link SeedSweep} (graph, XLA compile, the seeds in
   * chunks), its outcomes summed up as they come; {@code plan.threads()} activations at a time, the
   * results in the order given. {@code progress} (nullable) hears one line per chunk. Each
   * activation's seconds are its own wall time, graph build and compile included (with threads they
   * overlap: their sum exceeds the total).
   */
  public static Sweep run(Plan p, PrintStream progress) {
    NotebookModels.Data data = p.model().data(SeedRange.DATA_SEED);
    long t0 = System.nanoTime();
    List<ActivationResult> results = new ArrayList<>();
    if (p.threads() == 1 || p.activations().size() == 1) {
      for (ElementWise a : p.activations()) results.add(sweep(p, a, data, progress));
    } else {
      ExecutorService pool =
          Executors.newFixedThreadPool(
              p.threads(),
              r -> {
                Thread t = new Thread(r, "seed-sweep");
                t.setDaemon(true);
                return t;
              });
      try {
        List<Future<ActivationResult>> futures = new ArrayList<>();
        for (ElementWise a : p.activations()) {
          futures.add(pool.submit(() -> sweep(p, a, data, progress)));
        }
        for (Future<ActivationResult> f : futures) results.add(f.get());
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) throw r;
        if (e.getCause() instanceof Error err) throw err;
        throw new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } finally {
        pool.shutdownNow();
      }
    }
    return new Sweep(
        p.model().name(),
        p.epochs(),
        p.learningRate(),
        p.firstSeed(),
        p.seeds(),
        SeedRange.DATA_SEED,
        p.dtypeName(),
        p.model().regression(),
        p.chunk(),
        p.threads(),
        List.copyOf(results),
        (System.nanoTime() - t0) / 1e9);
  }

  /** One activation's sweep, chunk by chunk. */
  private static ActivationResult sweep(
      Plan p, ElementWise a, NotebookModels.Data data, PrintStream progress) {
    long ta = System.nanoTime();
    int chunks = (p.seeds() + p.chunk() - 1) / p.chunk();
    var tally =
        new SweepResults.Tally(
            p.model().regression(), SeedRange.hiddenUnits(p.model().name()), p.seeds());
    // one activation: its chunks side by side; several: they are (run() calls this per thread)
    int threads = p.activations().size() > 1 ? 1 : p.threads();
    int[] chunk = {0};
    try (SeedSweep sweep = new SeedSweep(sweepSpec(p, a), data.x().length, p.chunk())) {
      // the outcomes of a group of chunks at a time: a tally, not a list of every seed's weights
      int group = p.chunk() * threads;
      for (int from = 0; from < p.seeds(); from += group) {
        int start = from;
        int count = Math.min(group, p.seeds() - start);
        var outcomes =
            sweep.run(
                data.x(),
                data.y(),
                data.truth(),
                p.firstSeed() + start,
                count,
                threads,
                done -> {
                  chunk[0]++;
                  if (progress != null) {
                    progress.printf(
                        "sweep %s %s: chunk %d/%d, %d/%d seeds, %.1f s%n",
                        p.model().name(),
                        a.name(),
                        chunk[0],
                        chunks,
                        start + done,
                        p.seeds(),
                        (System.nanoTime() - ta) / 1e9);
                  }
                });
        outcomes.forEach(tally::add);
      }
    }
    return tally.result(a.name(), (System.nanoTime() - ta) / 1e9);
  }

  /** The header lines of a sweep's table: the model, what varies, the rules. */
  public static void printHeader(Plan p, PrintStream out) {
    Spec m = p.model();
    out.printf(
        "# %s: %s; %d seeds (%d..%d), %d epochs, Adam(%s), batch %d, %s%n",
        m.name(),
        SeedRange.describe(m.name()),
        p.seeds(),
        p.firstSeed(),
        p.firstSeed() + p.seeds() - 1,
        p.epochs(),
        p.learningRate(),
        m.batchSize(),
        p.dtypeName());
    out.printf(
        "# data: the same for every seed (data seed %d); the seeds vary initial weights"
            + " and shuffles%n",
        SeedRange.DATA_SEED);
    out.printf(
        "# solved: %s; collapsed: %s; loss: the last epoch's %s as Keras's History reports"
            + " it; dead: dead hidden units / all hidden units%n",
        SweepResults.solvedRule(m.regression()), SweepResults.COLLAPSED_RULE, m.loss().kerasName);
  }

  /** CPU time of the whole process so far (all threads, TensorFlow's included), or 0. */
  static long cpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }
}
