package io.github.activationlab.spark;

import io.github.activationlab.files.AtomicFiles;
import io.github.activationlab.spark.Inputs.Source;
import io.github.activationlab.spark.PredictTask.BadRow;
import io.github.activationlab.spark.PredictTask.Batch;
import io.github.activationlab.spark.PredictTask.Block;
import io.github.activationlab.spark.PredictTask.Fragment;
import io.github.activationlab.spark.PredictTask.Meta;
import io.github.activationlab.spark.PredictTask.ModelUnavailable;
import io.github.activationlab.spark.PredictTask.Place;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The driver's half of {@code predict}: it reads the input as partitions in input order, has each
 * task predict its partition ({@link PredictTask}), keeps the results where they were computed
 * (persisted: memory, then local disk), and writes them out partition by partition in input order —
 * the header line, then every row's line: exactly the bytes of the command line's {@code predict}.
 *
 * <p>Input order: a CSV file (or a directory of them) is read as Hadoop splits, each remembered by
 * its file and first byte; a Parquet file or dataset as one file range per partition (Spark's
 * packing of small files into one partition is turned off), each remembered by its file and first
 * row ({@code _metadata.row_index}). The partitions are written in that order, without a shuffle.
 *
 * <p>A bad row fails its task; the driver then checks every partition (no prediction) to name the
 * first bad row of the whole input by its number, as the command line does. Nothing is written
 * before every partition has succeeded, so a failed job leaves no {@code --output}.
 */
final class PredictJob {
  private PredictJob() {}

  /** What a run did: rows, partitions, the executor JVMs and the models they loaded. */
  record Summary(
      long rows,
      int partitions,
      int jvms,
      int maxLoadsPerJvm,
      int cutBatches,
      double countSeconds,
      double predictSeconds,
      double writeSeconds) {
    String describe() {
      return String.format(
          "spark: %d row%s in %d partition%s (%d batch%s cut by their edges, predicted whole) on %d"
              + " executor JVM%s, %s; %.1f s counting rows, %.1f s predicting, %.1f s writing",
          rows,
          rows == 1 ? "" : "s",
          partitions,
          partitions == 1 ? "" : "s",
          cutBatches,
          cutBatches == 1 ? "" : "es",
          jvms,
          jvms == 1 ? "" : "s",
          maxLoadsPerJvm == 1
              ? "the model loaded once in each"
              : "up to " + maxLoadsPerJvm + " model loads in one",
          countSeconds,
          predictSeconds,
          writeSeconds);
    }
  }

  /** The Spark configuration key of the test hook that fails a partition's first attempt. */
  static final String FAIL_FIRST_ATTEMPT = "spark.activationlab.test.failFirstAttempt";

  /**
   * Runs the job; {@code output} null prints to {@code stdout}.
   *
   * @param partitions how many partitions to cut the input into (at least), or null for Spark's
   */
  static Summary run(
      SparkSession spark,
      Path model,
      List<String> inline,
      String inputFile,
      Path output,
      boolean force,
      Integer partitions,
      PrintStream stdout)
      throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Source source =
        inline != null
            ? Inputs.inline(jsc, inline, partitions)
            : Inputs.kind(jsc.hadoopConfiguration(), inputFile) == Inputs.Kind.CSV
                ? Inputs.csv(jsc, inputFile, partitions)
                : Inputs.parquet(spark, inputFile, partitions);
    int fail = Integer.parseInt(spark.conf().get(FAIL_FIRST_ATTEMPT, "-1"));
    String dir = Path.of("").toAbsolutePath().toString();
    PredictTask task =
        new PredictTask(model.toString(), dir, source.firstColumns(), System.lineSeparator(), fail);

    // 1. where each partition's rows begin in the whole input
    long t0 = System.nanoTime();
    List<Place> places = new ArrayList<>(source.count().collect());
    Collections.sort(places);
    long[] offsets = new long[places.size()];
    long total = 0;
    for (Place p : places) {
      offsets[p.partition()] = total;
      total += p.rows();
    }
    long t1 = System.nanoTime();
    // 2. the whole batches, where they lie (kept there), and the fragments of the cut ones
    JavaRDD<Block> blocks =
        source.predict(task, offsets, total).persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      Map<Integer, Meta> metas = new HashMap<>();
      try {
        for (Meta m : blocks.mapPartitions(PredictTask::lastMeta).collect()) {
          metas.put(m.partition(), m);
        }
      } catch (Exception e) { // SparkException is a checked exception Java does not see
        throw explain(e, source, task, offsets, places);
      }
      if (total == 0) throw new IllegalArgumentException("no input rows");
      // 3. the batches cut by partition edges, put together and predicted whole
      Map<Long, byte[]> cut = predictCut(jsc, task, metas.values());
      long t2 = System.nanoTime();
      String header = metas.get(places.get(0).partition()).header();
      IOConsumer<OutputStream> write =
          out -> {
            for (Place p : places) {
              if (p.rows() == 0) continue;
              for (Block b : blocks.collectPartitions(new int[] {p.partition()})[0]) {
                out.write(b.text());
              }
              Fragment tail = metas.get(p.partition()).tail();
              if (tail != null) out.write(cut.get(tail.batch()));
            }
          };
      if (output == null) {
        stdout.print(header);
        OutputStream out = new BufferedOutputStream(stdout, 1 << 16);
        write.accept(out);
        out.flush();
      } else {
        AtomicFiles.write(
            output,
            force,
            out -> {
              out.write(header.getBytes(StandardCharsets.UTF_8));
              write.accept(out);
            });
      }
      long jvms = metas.values().stream().map(Meta::jvm).distinct().count();
      int loads = metas.values().stream().mapToInt(Meta::loads).max().orElse(0);
      return new Summary(
          total,
          places.size(),
          (int) jvms,
          loads,
          cut.size(),
          (t1 - t0) / 1e9,
          (t2 - t1) / 1e9,
          (System.nanoTime() - t2) / 1e9);
    } finally {
      blocks.unpersist(false);
    }
  }

  /** Writes to a stream (may throw IOException). */
  interface IOConsumer<T> {
    void accept(T t) throws IOException;
  }

  /** The batches cut by partition edges, put together from their fragments and predicted. */
  private static Map<Long, byte[]> predictCut(
      JavaSparkContext jsc, PredictTask task, Collection<Meta> metas) {
    Map<Long, List<Fragment>> parts = new TreeMap<>();
    for (Meta m : metas) {
      for (Fragment f : new Fragment[] {m.head(), m.tail()}) {
        if (f != null) parts.computeIfAbsent(f.batch(), k -> new ArrayList<>()).add(f);
      }
    }
    if (parts.isEmpty()) return Map.of();
    List<Batch> batches = new ArrayList<>();
    for (var e : parts.entrySet()) {
      List<Fragment> fs = e.getValue();
      fs.sort(Comparator.comparingLong(Fragment::first));
      int rows = fs.stream().mapToInt(Fragment::rows).sum();
      int width = fs.get(0).width();
      double[] values = new double[rows * width];
      int at = 0;
      for (Fragment f : fs) {
        System.arraycopy(f.values(), 0, values, at, f.rows() * width);
        at += f.rows() * width;
      }
      batches.add(new Batch(e.getKey(), rows, width, values));
    }
    int slices = Math.min(batches.size(), jsc.defaultParallelism());
    return new HashMap<>(
        jsc.parallelize(batches, slices)
            .mapToPair(b -> new Tuple2<>(b.batch(), task.predict(b)))
            .collectAsMap());
  }

  /**
   * The one-line error of a failed job: the first bad row of the whole input (found by checking
   * every partition: which task failed first is chance), or the model that an executor could not
   * load.
   */
  static RuntimeException explain(
      Exception e, Source source, PredictTask task, long[] offsets, List<Place> places) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ModelUnavailable) return new IllegalArgumentException(t.getMessage(), e);
      if (t instanceof BadRow) {
        Map<Integer, String> bad = new HashMap<>();
        for (Tuple2<Integer, String> b : source.check(task, offsets).collect()) {
          bad.put(b._1(), b._2());
        }
        for (Place p : places) {
          if (bad.containsKey(p.partition())) {
            return new IllegalArgumentException(bad.get(p.partition()), e);
          }
        }
        return new IllegalArgumentException(t.getMessage(), e);
      }
    }
    return PredictJob.<RuntimeException>sneaky(e);
  }

  /** Rethrows a checked exception (Spark's) unchanged, as Spark's Scala code does. */
  @SuppressWarnings("unchecked")
  static <E extends Exception> E sneaky(Exception e) throws E {
    throw (E) e;
  }
}
