package io.github.activationlab.bench;

import com.google.gson.GsonBuilder;
import io.github.activationlab.nn.Adam;
import io.github.activationlab.nn.Architecture;
import io.github.activationlab.nn.Dense;
import io.github.activationlab.nn.Fit;
import io.github.activationlab.nn.Loss;
import io.github.activationlab.nn.SeedSweep;
import io.github.activationlab.nn.Sequential;
import io.github.activationlab.nn.SweepChunks;
import io.github.activationlab.notebook.NotebookModels;
import io.github.activationlab.perceptron.Gates;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.tensorflow.types.TFloat32;

/**
 * The Java half of {@code scripts/bench.sh}, written as JSON (metric -> value) for the side-by-side
 * report. Units: us per step, ms, s, rows per second, seed-epochs per second, MB.
 *
 * <p>Warmth, as the report names it: <b>warm</b> = the median of timed runs after untimed warm-up
 * runs of the same object (graph built, XLA compiled; {@link #medianMs}); <b>first-run</b> = a
 * freshly built model's (or function's) first run, graph building and XLA compilation included,
 * measured after the process itself has warmed up on another, untimed, fresh model (so one-time
 * process costs — JVM start, loading TensorFlow — are not in it: they are in the cold whole-process
 * rows that {@code bench.sh} times). Each first-run value is the median over fresh models.
 */
public final class Bench {
  private Bench() {}

  static final double[][] X = Gates.X;
  static final double[][] XOR = Gates.column(Gates.XOR);

  /** Untimed warm-up runs: until this much time is spent (at least one run)... */
  static final double WARM_UP_MS = 500;

  /** ...or this many runs. The same rule as bench.py's, so that warm means warm on both sides. */
  static final int WARM_UP_RUNS = 50;

  /**
   * ...and then, the JVM's own part of warmth, until its JIT compilers have been idle through
   * {@link #JIT_QUIET_RUNS} runs in a row and {@link #JIT_QUIET_MS} (at most {@link #JIT_WAIT_MS}
   * more). Python's side has no background compiler to wait for; the JVM's compiles the Java around
   * the TF call on a thread of its own, which on a one-core run (taskset) takes the core from the
   * timed runs: measured (xor-mlp sweep pinned to one core, 2026-12-04), runs of 25-55 ms while
   * C1/C2 still compile (up to ~50 runs, ~2 s, after the first), 15-16 ms once they are idle.
   */
  static final int JIT_QUIET_RUNS = 3;

  /** See {@link #JIT_QUIET_RUNS}. */
  static final double JIT_QUIET_MS = 200;

  /** See {@link #JIT_QUIET_RUNS}. */
  static final double JIT_WAIT_MS = 10_000;

  /**
   * Median of {@code n} timings (ms) of {@code run}, after untimed warm-up runs of the same object
   * ({@link #WARM_UP_MS} or {@link #WARM_UP_RUNS}, whichever comes first, then until the JIT is
   * idle: {@link #JIT_QUIET_RUNS}): the JIT compiles the Java around the TF call (batching,
   * History) as Python's side is past its tracing.
   */
  static double medianMs(int n, Runnable run) {
    long start = System.nanoTime();
    for (int i = 0; i < WARM_UP_RUNS && (System.nanoTime() - start) / 1e6 < WARM_UP_MS; i++) {
      run.run();
    }
    untilJitQuiet(run);
    return medianColdMs(n, run);
  }

  /**
   * Runs {@code run} until the JIT's total compilation time has not moved through {@link
   * #JIT_QUIET_RUNS} runs in a row spanning at least {@link #JIT_QUIET_MS}, or {@link #JIT_WAIT_MS}
   * has passed; returns how many runs that took (0 where the JVM does not report compilation time).
   */
  static int untilJitQuiet(Runnable run) {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) return 0;
    long start = System.nanoTime();
    long quietSince = start;
    long compiled = jit.getTotalCompilationTime();
    int quietRuns = 0;
    int runs = 0;
    while ((System.nanoTime() - start) / 1e6 < JIT_WAIT_MS) {
      if (quietRuns >= JIT_QUIET_RUNS && (System.nanoTime() - quietSince) / 1e6 >= JIT_QUIET_MS) {
        break;
      }
      run.run();
      runs++;
      long now = jit.getTotalCompilationTime();
      if (now != compiled) {
        compiled = now;
        quietRuns = 0;
        quietSince = System.nanoTime();
      } else {
        quietRuns++;
      }
    }
    return runs;
  }

  /** Median of {@code n} timings (ms) of {@code run}, with no warm-up (each run its own). */
  static double medianColdMs(int n, Runnable run) {
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      run.run();
      t[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(t);
    return t[n / 2];
  }

  static Sequential xorMlp(long seed) {
    return Sequential.of(2, Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid"))
        .compile(Loss.MSE, Adam.learningRate(0.01), seed);
  }

  static Sequential reluParallel(long seed) {
    return Sequential.of(1, Dense.of(6, "relu"), Dense.of(1))
        .compile(Loss.MSE, Adam.learningRate(0.005), seed);
  }

  /**
   * ms of a fresh model's first fit: compile (the model's graph) + fit (its loop's graph, XLA
   * compilation, the run). Median of {@code n} fresh models.
   */
  static double firstFitMs(int n, Supplier<Sequential> fresh, double[][] x, double[][] y, Fit fit) {
    return medianColdMs(
        n,
        () -> {
          try (Sequential m = fresh.get()) {
            m.fit(x, y, fit);
          }
        });
  }

  /** The sections of {@link #run}, in order. */
  public static final List<String> SECTIONS =
      List.of("xor", "relu", "activations", "serving", "sweep", "scaling");

  /** What {@code bench --json} measures unless told: every section but the long scaling one. */
  public static final List<String> DEFAULT_SECTIONS = SECTIONS.subList(0, SECTIONS.size() - 1);

  /** Seeds of the {@code scaling} section's warm sweeps (the cost per seed-step as they grow). */
  public static final List<Integer> SCALING_SEEDS = List.of(1_000, 10_000, 100_000, 1_000_000);

  public static Map<String, Double> run(int repeats, PrintStream log) throws Exception {
    return run(repeats, 1000, DEFAULT_SECTIONS, log);
  }

  /**
   * The measurements of the given {@link #SECTIONS}; {@code sweepSeeds}: seeds of the warm
   * seed-sweep rows (1000).
   */
  public static Map<String, Double> run(
      int repeats, int sweepSeeds, List<String> sections, PrintStream log) throws Exception {
    for (String s : sections) {
      if (!SECTIONS.contains(s)) {
        throw new IllegalArgumentException(
            "unknown section '" + s + "'; valid: " + String.join(", ", SECTIONS));
      }
    }
    Map<String, Double> r = new LinkedHashMap<>();
    r.put("rss_start_mb", rssMb());
    int fresh = Math.min(repeats, 3);
    // the process warms up on a fresh model (untimed but for the process's first fit, from the
    // JVM's start: TensorFlow's load and settings, JIT, XLA's first compile; EmbeddingApp the same)
    try (Sequential m = xorMlp(7)) {
      m.fit(X, XOR, Fit.epochs(1000));
    }
    r.put(
        "process_first_fit_ms",
        (double)
            (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()));
    if (sections.contains("xor")) xor(r, repeats, fresh, log);
    if (sections.contains("relu")) relu(r, repeats, fresh, log);
    if (sections.contains("activations")) ActivationBench.activations(r, repeats, fresh, log);
    if (sections.contains("serving")) {
      ServingBench.serving(r, repeats);
      log.println("bench: serving done");
    }
    if (sections.contains("sweep")) {
      sweep(r, repeats, sweepSeeds);
      log.println("bench: seed sweep done");
    }
    if (sections.contains("scaling")) {
      scaling(r, SCALING_SEEDS, log);
      log.println("bench: seed sweep scaling done");
    }
    return r;
  }

  /** 1. The XOR MLP, 1000 epochs: 4 samples, batch 32 -> one shuffled batch of 4 per epoch. */
  static void xor(Map<String, Double> r, int repeats, int fresh, PrintStream log) {
    Fit xor = Fit.epochs(1000);
    r.put("xor_first_fit_ms", firstFitMs(fresh, () -> xorMlp(42), X, XOR, xor));
    try (Sequential m = xorMlp(42)) {
      r.put(
          "xor_fit_xla_us_step",
          medianMs(repeats, () -> m.fit(X, XOR, xor.xla(true))) * 1000 / 1000);
      r.put(
          "xor_fit_xla_10k_us_step",
          medianMs(repeats, () -> m.fit(X, XOR, Fit.epochs(10000).xla(true))) * 1000 / 10000);
      r.put(
          "xor_fit_noxla_us_step",
          medianMs(repeats, () -> m.fit(X, XOR, xor.xla(false))) * 1000 / 1000);
      r.put(
          "xor_per_step_us_step",
          medianMs(Math.min(repeats, 3), () -> m.fit(X, XOR, xor.fused(false))) * 1000 / 1000);
    }
    r.put(
        "xor_plain_java_us_step",
        medianMs(repeats, () -> PlainXorMlp.train(100000)) * 1000 / 100000);
    log.println("bench: training (XOR) done");
  }

  /** 2. The ReLU fit: 2001 samples, batch 32 -> 63 steps per epoch (the last one 17 samples). */
  static void relu(Map<String, Double> r, int repeats, int fresh, PrintStream log) {
    double[][] q = new double[2001][1];
    double[][] qy = new double[2001][1];
    Random rnd = new Random(0);
    for (int i = 0; i < q.length; i++) {
      q[i][0] = -10 + i / 100.0;
      qy[i][0] = q[i][0] * q[i][0] + 10 * rnd.nextGaussian();
    }
    Fit relu = Fit.epochs(100);
    r.put("relu_first_fit_ms", firstFitMs(fresh, () -> reluParallel(42), q, qy, relu));
    try (Sequential m = reluParallel(42)) {
      r.put("relu_fit_xla_ms", medianMs(repeats, () -> m.fit(q, qy, relu.xla(true))));
      r.put(
          "relu_fit_noxla_ms", medianMs(Math.min(repeats, 3), () -> m.fit(q, qy, relu.xla(false))));
      r.put(
          "relu_fit_per_step_ms",
          medianMs(Math.min(repeats, 3), () -> m.fit(q, qy, relu.fused(false))));
    }
    log.println("bench: training (ReLU fit) done");
  }

  /**
   * The seed sweep of xor-mlp (sigmoid, 1000 epochs, Adam 0.01, batch 32), seeds 42 ..: {@link
   * SeedSweep} built once and run {@code 1 + repeats} times (the first run compiles; the warm value
   * is the median of the others); and a loop of ordinary fits, one fresh model per seed, timed over
   * 20 seeds (its rate is what 1000 seeds would take at that rate: extrapolated).
   */
  static void sweep(Map<String, Double> r, int repeats, int seeds) {
    NotebookModels.Spec xor = NotebookModels.get("xor-mlp");
    var data = xor.data(42);
    SeedSweep.Spec spec = sweepSpec(xor);
    int n = data.x().length;
    int threads = Runtime.getRuntime().availableProcessors(); // taskset's cores
    long t0 = System.nanoTime();
    int chunk = SweepChunks.chunkSize(spec, n, seeds, SweepChunks.CHUNK_BYTES / threads, threads);
    try (SeedSweep s = new SeedSweep(spec, n, chunk)) {
      r.put("sweep_build_s", (System.nanoTime() - t0) / 1e9);
      Runnable once = () -> s.run(data.x(), data.y(), data.truth(), 42, seeds, threads, done -> {});
      r.put("sweep_first_run_s", medianColdMs(1, once) / 1e3);
      r.put("sweep_warm_s", medianMs(repeats, once) / 1e3);
    }
    r.put("sweep_seeds", (double) seeds);
    r.put("sweep_threads", (double) threads);
    r.put("sweep_chunk", (double) chunk);
    r.put("sweep_epochs", (double) xor.epochs());
    int loopSeeds = 20;
    long t1 = System.nanoTime();
    for (int k = 0; k < loopSeeds; k++) {
      try (Sequential m = xor.build(42 + k)) {
        m.fit(data.x(), data.y(), xor.fit(null, 42 + k));
      }
    }
    r.put("fit_loop_seeds", (double) loopSeeds);
    r.put("fit_loop_s", (System.nanoTime() - t1) / 1e9);
    // the same loop on ONE compiled model: per seed, that seed's initial weights (what compile
    // draws for it), a fresh Adam state and fit with the seed's shuffles; compiled once, warm
    try (Sequential m = xor.build(42)) {
      Runnable loop =
          () -> {
            for (int k = 0; k < loopSeeds; k++) {
              m.setWeights(m.architecture().initialWeights(new SplittableRandom(42 + k)));
              m.setOptimizerState(freshAdam(m));
              m.fit(data.x(), data.y(), xor.fit(null, 42 + k));
            }
          };
      r.put("fit_loop_reused_s", medianMs(1, loop) / 1e3);
    }
  }

  /**
   * The warm seed sweep of {@link #sweep} at each number of seeds, each with the chunk size {@link
   * SweepChunks#chunkSize} gives it (the cache's, whatever the count): built, one untimed run, then
   * timed (1,000 and 10,000 seeds: the median of 3 runs; more: one). {@code
   * sweep_scaling_<seeds>_ns} is ns per seed-step.
   */
  static void scaling(Map<String, Double> r, List<Integer> counts, PrintStream log) {
    NotebookModels.Spec xor = NotebookModels.get("xor-mlp");
    var data = xor.data(42);
    SeedSweep.Spec spec = sweepSpec(xor);
    int n = data.x().length;
    int threads = Runtime.getRuntime().availableProcessors();
    for (int seeds : counts) {
      int chunk = SweepChunks.chunkSize(spec, n, seeds, SweepChunks.CHUNK_BYTES / threads, threads);
      try (SeedSweep s = new SeedSweep(spec, n, chunk)) {
        Runnable once =
            () -> s.run(data.x(), data.y(), data.truth(), 42, seeds, threads, done -> {});
        once.run();
        double ms = medianColdMs(seeds <= 10_000 ? 3 : 1, once);
        r.put("sweep_scaling_" + seeds + "_ns", ms * 1e6 / ((double) seeds * xor.epochs()));
        r.put("sweep_scaling_" + seeds + "_chunk", (double) chunk);
        log.printf(
            "bench: seed sweep of %d seeds (chunks of %d): %.1f s%n", seeds, chunk, ms / 1e3);
      }
    }
    r.put("sweep_scaling_threads", (double) threads);
  }

  static SeedSweep.Spec sweepSpec(NotebookModels.Spec xor) {
    return new SeedSweep.Spec(
        Architecture.of(xor.inputDim(), xor.layers()),
        TFloat32.class,
        xor.loss(),
        Adam.learningRate(xor.learningRate()),
        xor.epochs(),
        xor.batchSize(),
        true,
        true);
  }

  /** Adam's state before any step: iterations 0, zero moments. */
  static Adam.Values freshAdam(Sequential m) {
    List<double[]> zeros = new ArrayList<>();
    for (double[] w : m.getWeights()) zeros.add(new double[w.length]);
    return new Adam.Values(0, zeros, zeros);
  }

  /** This process's resident set size (Linux /proc), in MB. */
  static double rssMb() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D", "")) / 1024.0;
      }
    } catch (IOException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }

  public static void writeJson(Map<String, Double> r, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(
        file,
        new GsonBuilder()
                .setPrettyPrinting()
                .serializeSpecialFloatingPointValues()
                .create()
                .toJson(r)
            + "\n");
  }
}
