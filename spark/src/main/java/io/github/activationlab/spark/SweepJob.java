package io.github.activationlab.spark;

import io.github.activationlab.nn.SeedSweep;
import io.github.activationlab.notebook.NotebookModels;
import io.github.activationlab.sweep.SeedRange;
import io.github.activationlab.sweep.SweepResults;
import io.github.activationlab.sweep.SweepResults.ActivationResult;
import io.github.activationlab.sweep.SweepResults.Sweep;
import io.github.activationlab.tf.DTypes;
import java.io.PrintStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code sweep} on Spark: the seeds of each activation cut into contiguous ranges, one task per
 * range ({@link SeedRange#run}: the single-machine sweep's training of those seeds), the per-seed
 * results gathered on the driver in seed order into the single-machine sweep's summary ({@link
 * SweepResults.Tally}): the same Sweep JSON and chart.
 *
 * <p>By default a range is a run of whole single-machine chunks ({@link SeedRange#layout}: its
 * cache and memory budget, {@code --threads}), trained chunk by chunk with the chunk's width on one
 * {@link SeedSweep} (one graph build and XLA compile per task, not per chunk): every seed's result
 * is the single-machine one, bit for bit. Each activation gets about two ranges per task slot
 * shared among the activations ({@link Plan#forSlots}), so that every slot is busy and a slow task
 * does not hold up the end. {@code --partitions N} cuts each activation's seeds into N ranges
 * instead (more tasks than chunks: more executors busy); a range narrower than a chunk is trained
 * with its own width, which XLA compiles anew, and its results may differ from the single-machine
 * ones in float32 rounding.
 */
final class SweepJob {
  private SweepJob() {}

  /** A validated sweep: what each task trains, the ranges, their width. */
  record Plan(
      String model,
      List<String> activations,
      long firstSeed,
      int seeds,
      int epochs,
      double learningRate,
      String dtype,
      int chunk,
      int rangeSize,
      int width,
      int partitions)
      implements Serializable {

    SeedRange.Setup setup(int activation) {
      return new SeedRange.Setup(model, activations.get(activation), epochs, learningRate, dtype);
    }

    /**
     * The plan for a cluster of {@code slots} task slots: with the default ranges ({@code
     * partitions == 0}), each activation's chunks grouped into {@code ceil(2 * slots /
     * activations)} ranges of whole chunks (at most one per chunk, at least one); with {@code
     * --partitions}, unchanged. A task pays one graph build and XLA compile (about 0.5 s) whatever
     * its seeds, so ranges of one chunk each (~0.05 s of training for xor-mlp) would spend most of
     * a sweep compiling.
     *
     * @param slots the cluster's task slots (Spark's default parallelism)
     * @return the plan with its range size
     */
    Plan forSlots(int slots) {
      if (partitions != 0) return this;
      int chunks = (seeds + chunk - 1) / chunk;
      int perActivation = Math.max(1, -Math.floorDiv(-2 * Math.max(1, slots), activations.size()));
      int chunksPerRange = -Math.floorDiv(-chunks, Math.min(chunks, perActivation));
      return new Plan(
          model,
          activations,
          firstSeed,
          seeds,
          epochs,
          learningRate,
          dtype,
          chunk,
          chunksPerRange * chunk,
          width,
          partitions);
    }

    /** The tasks: each activation's seeds in ranges of {@code rangeSize}, in order. */
    List<Range> ranges() {
      List<Range> out = new ArrayList<>();
      for (int a = 0; a < activations.size(); a++) {
        for (int start = 0; start < seeds; start += rangeSize) {
          out.add(new Range(a, firstSeed + start, Math.min(rangeSize, seeds - start)));
        }
      }
      return out;
    }
  }

  /** One task's seeds: {@code count} seeds from {@code first}, of activation {@code activation}. */
  record Range(int activation, long first, int count) implements Serializable {}

  /**
   * One task's results, per seed in seed order: what the summary needs of each {@link
   * SeedSweep.Outcome} (its weights stay on the executor), the task's seconds and its JVM.
   */
  record RangeResult(
      Range range,
      double[] loss,
      double[] maxAbsError,
      double[] mseVsTruth,
      boolean[] collapsed,
      int[] deadUnits,
      double seconds,
      String jvm)
      implements Serializable {

    /** Seed i of the range as an outcome the summary takes (no weights, no evaluation loss). */
    SeedSweep.Outcome outcome(int i) {
      int layers = deadUnits.length / loss.length;
      int[] dead = new int[layers];
      System.arraycopy(deadUnits, i * layers, dead, 0, layers);
      return new SeedSweep.Outcome(
          range.first() + i,
          loss[i],
          Double.NaN,
          maxAbsError[i],
          mseVsTruth[i],
          Double.NaN,
          collapsed[i],
          dead,
          new double[0]);
    }
  }

  /**
   * Checks every argument before Spark does any work; the first problem is an {@link
   * IllegalArgumentException} of one line (the command line's messages).
   *
   * @param partitions ranges per activation, or null for the single-machine chunks
   */
  static Plan plan(
      String model,
      List<String> activations,
      long firstSeed,
      int seeds,
      Integer epochs,
      Double learningRate,
      String dtype,
      int threads,
      Integer partitions) {
    NotebookModels.Spec spec = NotebookModels.get(model);
    if (seeds <= 0) throw new IllegalArgumentException("--seeds must be positive, got " + seeds);
    int ep = epochs == null ? spec.epochs() : epochs;
    if (ep <= 0) throw new IllegalArgumentException("--epochs must be positive, got " + ep);
    double lr = learningRate == null ? spec.learningRate() : learningRate;
    if (!(lr > 0) || !Double.isFinite(lr)) {
      throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
    }
    String type = dtype == null ? "float32" : dtype;
    try {
      DTypes.of(type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown --dtype '" + type + "'; valid: float32, float64");
    }
    if (threads <= 0) {
      throw new IllegalArgumentException("--threads must be positive, got " + threads);
    }
    if (partitions != null && partitions <= 0) {
      throw new IllegalArgumentException("--partitions must be positive, got " + partitions);
    }
    List<String> acts = SeedRange.activations(model, activations);
    var setup = new SeedRange.Setup(model, acts.get(0), ep, lr, type);
    int chunk = SeedRange.layout(setup, seeds, acts.size(), threads).chunk();
    int size = partitions == null ? chunk : (seeds + partitions - 1) / partitions;
    int slices = partitions == null ? 0 : partitions * acts.size();
    return new Plan(
        model, acts, firstSeed, seeds, ep, lr, type, chunk, size, Math.min(chunk, size), slices);
  }

  /** The header lines of the table: the model, what varies, the rules (the CLI's). */
  static void printHeader(Plan p, PrintStream out) {
    NotebookModels.Spec m = NotebookModels.get(p.model());
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
        p.dtype());
    out.printf(
        "# data: the same for every seed (data seed %d); the seeds vary initial weights"
            + " and shuffles%n",
        SeedRange.DATA_SEED);
    out.printf(
        "# solved: %s; collapsed: %s; loss: the last epoch's %s as Keras's History reports"
            + " it; dead: dead hidden units / all hidden units%n",
        SweepResults.solvedRule(m.regression()), SweepResults.COLLAPSED_RULE, m.loss().kerasName);
  }

  /**
   * What a run did besides its results: the tasks, their seconds each (graph build and XLA compile
   * included), the executor JVMs, and the driver's seconds to gather and summarise the results.
   */
  record Run(
      Sweep sweep, int tasks, int rangeSize, int jvms, double[] taskSeconds, double gatherSeconds) {
    String describe() {
      double[] t = taskSeconds.clone();
      java.util.Arrays.sort(t);
      return String.format(
          "spark: %d tasks of up to %d seeds: %.1f to %.1f s each (median %.1f s, graph build and"
              + " XLA compile included); results summarised on the driver in %.2f s",
          tasks, rangeSize, t[0], t[t.length - 1], t[t.length / 2], gatherSeconds);
    }
  }

  /**
   * Runs a plan: one task per range, the results gathered in seed order per activation. The test
   * hook of {@code predict} ({@link PredictJob#FAIL_FIRST_ATTEMPT}) fails a partition's first
   * attempt here too.
   */
  static Run run(SparkSession spark, Plan plan) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Plan p = plan.forSlots(jsc.defaultParallelism());
    int fail = Integer.parseInt(spark.conf().get(PredictJob.FAIL_FIRST_ATTEMPT, "-1"));
    List<Range> ranges = p.ranges();
    int slices = Math.max(ranges.size(), p.partitions());
    long t0 = System.nanoTime();
    List<RangeResult> results =
        jsc.parallelize(ranges, slices)
            .mapPartitionsWithIndex(
                (i, it) -> {
                  TaskContext t = TaskContext.get();
                  if (i == fail && t != null && t.attemptNumber() == 0) {
                    throw new IllegalStateException(
                        "injected failure of partition " + i + " (test hook)");
                  }
                  List<RangeResult> out = new ArrayList<>();
                  while (it.hasNext()) out.add(train(p, it.next()));
                  return out.iterator();
                },
                true)
            .collect();
    long t1 = System.nanoTime();
    List<ActivationResult> summary = new ArrayList<>();
    int[] units = SeedRange.hiddenUnits(p.model());
    boolean regression = NotebookModels.get(p.model()).regression();
    for (int a = 0; a < p.activations().size(); a++) {
      var tally = new SweepResults.Tally(regression, units, p.seeds());
      double taskSeconds = 0;
      for (RangeResult r : results) {
        if (r.range().activation() != a) continue;
        for (int i = 0; i < r.loss().length; i++) tally.add(r.outcome(i));
        taskSeconds += r.seconds();
      }
      summary.add(tally.result(p.activations().get(a), taskSeconds));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Sweep sweep =
        new Sweep(
            p.model(),
            p.epochs(),
            p.learningRate(),
            p.firstSeed(),
            p.seeds(),
            SeedRange.DATA_SEED,
            p.dtype(),
            regression,
            p.width(),
            jsc.defaultParallelism(),
            List.copyOf(summary),
            seconds);
    int jvms = (int) results.stream().map(RangeResult::jvm).distinct().count();
    double[] taskSeconds = results.stream().mapToDouble(RangeResult::seconds).toArray();
    return new Run(
        sweep, ranges.size(), p.rangeSize(), jvms, taskSeconds, (System.nanoTime() - t1) / 1e9);
  }

  /** A task: trains its range and keeps what the summary needs. */
  static RangeResult train(Plan p, Range r) {
    long t0 = System.nanoTime();
    List<SeedSweep.Outcome> os =
        SeedRange.run(p.setup(r.activation()), r.first(), r.count(), p.width());
    int n = os.size();
    int layers = n == 0 ? 0 : os.get(0).deadUnits().length;
    double[] loss = new double[n];
    double[] maxErr = new double[n];
    double[] mse = new double[n];
    boolean[] collapsed = new boolean[n];
    int[] dead = new int[n * layers];
    for (int i = 0; i < n; i++) {
      SeedSweep.Outcome o = os.get(i);
      if (o.seed() != r.first() + i) {
        throw new IllegalStateException("seed " + o.seed() + " out of order at " + (r.first() + i));
      }
      loss[i] = o.loss();
      maxErr[i] = o.maxAbsError();
      mse[i] = o.mseVsTruth();
      collapsed[i] = o.collapsed();
      System.arraycopy(o.deadUnits(), 0, dead, i * layers, layers);
    }
    return new RangeResult(
        r,
        loss,
        maxErr,
        mse,
        collapsed,
        dead,
        (System.nanoTime() - t0) / 1e9,
        ManagementFactory.getRuntimeMXBean().getName());
  }
}
