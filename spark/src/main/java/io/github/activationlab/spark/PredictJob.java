package io.github.activationlab.spark;

import io.github.activationlab.files.AtomicFiles;
import io.github.activationlab.savedmodel.PredictFormat;
import io.github.activationlab.spark.PredictTask.BadRow;
import io.github.activationlab.spark.PredictTask.Batch;
import io.github.activationlab.spark.PredictTask.Block;
import io.github.activationlab.spark.PredictTask.Fragment;
import io.github.activationlab.spark.PredictTask.Meta;
import io.github.activationlab.spark.PredictTask.ModelUnavailable;
import io.github.activationlab.spark.PredictTask.Place;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
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

  /** Where the rows come from: the same partitions, read three ways. */
  interface Source {
    /** Each partition's place in the input and its data rows. */
    JavaRDD<Place> count();

    /** Each partition predicted ({@link PredictTask#predict}), given where its rows begin. */
    JavaRDD<Block> predict(PredictTask task, long[] offsets, long total);

    /** Each partition's first bad row, as (partition, message). */
    JavaRDD<Tuple2<Integer, String>> check(PredictTask task, long[] offsets);

    /** The first data row's column count (the width for a model that names none), or -1. */
    long firstColumns();
  }

  /** The kinds of input file {@code predict} reads. */
  enum Kind {
    CSV,
    PARQUET
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
      Path inputFile,
      Path output,
      boolean force,
      Integer partitions,
      PrintStream stdout)
      throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Source source =
        inline != null
            ? inline(jsc, inline, partitions)
            : kind(inputFile) == Kind.CSV
                ? csv(jsc, inputFile, partitions)
                : parquet(spark, inputFile, partitions);
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

  /** The column count of a data row's text ({@link PredictFormat#parseRow}'s count). */
  static long columns(String line) {
    return PredictFormat.parseRow(line, 1, new double[0]);
  }

  // ---------------------------------------------------------------- sources

  /** A source from any RDD whose partitions are in input order, their place given by a function. */
  private static <T> Source source(
      JavaRDD<T> items,
      PredictTask.Reader<T> reader,
      long firstColumns,
      Function2<Integer, Iterator<T>, Iterator<Place>> count) {
    return new Source() {
      public JavaRDD<Place> count() {
        return items.mapPartitionsWithIndex(count, true);
      }

      public JavaRDD<Block> predict(PredictTask task, long[] offsets, long total) {
        return items.mapPartitionsWithIndex(
            (i, it) -> task.predict(i, offsets[i], total, it, reader), true);
      }

      public JavaRDD<Tuple2<Integer, String>> check(PredictTask task, long[] offsets) {
        return items.mapPartitionsWithIndex(
            (i, it) -> {
              Iterator<String> m = task.check(offsets[i], it, reader);
              return m.hasNext()
                  ? List.of(new Tuple2<>(i, m.next())).iterator()
                  : Collections.<Tuple2<Integer, String>>emptyIterator();
            },
            true);
      }

      public long firstColumns() {
        return firstColumns;
      }
    };
  }

  /** Rows given on the command line ({@code --input "0,1;1,1"}): every one is a data row. */
  static Source inline(JavaSparkContext jsc, List<String> lines, Integer partitions) {
    JavaRDD<String> rdd =
        jsc.parallelize(lines, partitions != null ? partitions : jsc.defaultParallelism());
    var reader = PredictTask.csv(false);
    return source(
        rdd, reader, columns(lines.get(0)), (i, it) -> PredictTask.count(i, "", i, it, reader));
  }

  /** CSV text: Hadoop's splits of the file (or of each file of a directory), lines as the CLI's. */
  static Source csv(JavaSparkContext jsc, Path file, Integer partitions) throws IOException {
    Configuration conf = new Configuration(jsc.hadoopConfiguration());
    if (partitions != null) {
      long bytes = size(file);
      conf.setLong(
          "mapreduce.input.fileinputformat.split.maxsize",
          Math.max(1, (bytes + partitions - 1) / partitions));
    }
    @SuppressWarnings("unchecked")
    JavaNewHadoopRDD<LongWritable, Text> rdd =
        (JavaNewHadoopRDD<LongWritable, Text>)
            jsc.newAPIHadoopFile(
                file.toAbsolutePath().toUri().toString(),
                TextInputFormat.class,
                LongWritable.class,
                Text.class,
                conf);
    JavaRDD<Text> lines = rdd.values(); // Hadoop reuses each Text: read at once, never kept
    var reader = PredictTask.text();
    List<String> first =
        lines
            .filter(t -> PredictFormat.isDataLine(t.getBytes(), 0, t.getLength()))
            .map(Text::toString)
            .take(1);
    // the count needs each split's file and start: the same partitions, read with their splits
    JavaRDD<Place> places =
        rdd.mapPartitionsWithInputSplit(
            (split, it) -> {
              FileSplit s = (FileSplit) split;
              return PredictTask.count(
                  TaskContext.getPartitionId(),
                  s.getPath().toString(),
                  s.getStart(),
                  values(it),
                  reader);
            },
            true);
    Source base = source(lines, reader, first.isEmpty() ? -1 : columns(first.get(0)), null);
    return new Source() {
      public JavaRDD<Place> count() {
        return places;
      }

      public JavaRDD<Block> predict(PredictTask task, long[] offsets, long total) {
        return base.predict(task, offsets, total);
      }

      public JavaRDD<Tuple2<Integer, String>> check(PredictTask task, long[] offsets) {
        return base.check(task, offsets);
      }

      public long firstColumns() {
        return base.firstColumns();
      }
    };
  }

  /** Hadoop's lines (each Text reused for the next). */
  private static Iterator<Text> values(Iterator<Tuple2<LongWritable, Text>> it) {
    return new Iterator<>() {
      public boolean hasNext() {
        return it.hasNext();
      }

      public Text next() {
        return it.next()._2();
      }
    };
  }

  /**
   * Parquet: every column a number (cast to double), read one file range per partition so that a
   * partition is a contiguous run of one file's rows, its place given by its first row's {@code
   * _metadata.file_path} and {@code _metadata.row_index}.
   */
  static Source parquet(SparkSession spark, Path file, Integer partitions) throws IOException {
    long perPartition =
        partitions != null ? Math.max(1, (size(file) + partitions - 1) / partitions) : 128L << 20;
    spark.conf().set("spark.sql.files.maxPartitionBytes", String.valueOf(perPartition));
    // a file's open cost as large as a partition: Spark then never packs two files into one
    spark.conf().set("spark.sql.files.openCostInBytes", String.valueOf(perPartition));
    Dataset<Row> df = spark.read().parquet(file.toAbsolutePath().toUri().toString());
    List<String> names = new ArrayList<>();
    List<Column> cols = new ArrayList<>();
    cols.add(functions.col("_metadata.file_path"));
    cols.add(functions.col("_metadata.row_index"));
    for (StructField f : df.schema().fields()) {
      if (!(f.dataType() instanceof NumericType)) {
        throw new IllegalArgumentException(
            file
                + ": column '"
                + f.name()
                + "' is "
                + f.dataType().simpleString()
                + "; predict takes numeric columns");
      }
      names.add(f.name());
      cols.add(functions.col("`" + f.name().replace("`", "``") + "`").cast("double"));
    }
    if (names.isEmpty()) throw new IllegalArgumentException(file + ": no columns");
    JavaRDD<Row> rows = df.select(cols.toArray(Column[]::new)).javaRDD();
    var reader = PredictTask.parquet(names.toArray(String[]::new));
    return source(
        rows,
        reader,
        names.size(),
        (i, it) -> PredictTask.count(i, "", Long.MAX_VALUE, it, reader));
  }

  // ---------------------------------------------------------------- the input's kind

  /**
   * CSV or Parquet, by content: a Parquet file starts with {@code PAR1}; a CSV file is UTF-8 text
   * (its first 64 KiB decode, no NUL byte). A directory holds files of one kind (hidden files and
   * {@code _SUCCESS} markers aside).
   *
   * @throws IllegalArgumentException for anything else, in one line
   */
  static Kind kind(Path input) throws IOException {
    if (!Files.exists(input)) throw new NoSuchFileException(input.toString());
    if (Files.isRegularFile(input)) {
      Kind k = fileKind(input);
      if (k == null) {
        throw new IllegalArgumentException(
            input + " is neither CSV (UTF-8 text) nor Parquet: predict reads those two");
      }
      return k;
    }
    List<Path> files = dataFiles(input);
    if (files.isEmpty()) throw new IllegalArgumentException(input + ": no input files in it");
    Kind kind = null;
    for (Path f : files) {
      Kind k = fileKind(f);
      if (k == null || (kind != null && k != kind)) {
        throw new IllegalArgumentException(
            input
                + " holds "
                + f.getFileName()
                + ", which is "
                + (k == null ? "neither CSV (UTF-8 text) nor Parquet" : k + " among " + kind)
                + ": predict reads a directory of CSV files or of Parquet files");
      }
      kind = k;
    }
    return kind;
  }

  private static List<Path> dataFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(
              p -> {
                String n = p.getFileName().toString();
                return !n.startsWith(".") && !n.startsWith("_");
              })
          .sorted()
          .toList();
    }
  }

  private static Kind fileKind(Path f) throws IOException {
    byte[] head = new byte[1 << 16];
    int n;
    try (InputStream in = Files.newInputStream(f)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n >= 4 && head[0] == 'P' && head[1] == 'A' && head[2] == 'R' && head[3] == '1') {
      return Kind.PARQUET;
    }
    for (int i = 0; i < n; i++) if (head[i] == 0) return null;
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    // a multi-byte character cut at the end of the sample is not an error
    int end = n;
    for (int k = 0; k < 3 && end > 0 && (head[end - 1] & 0xC0) == 0x80; k++) end--;
    if (end > 0 && (head[end - 1] & 0xC0) == 0xC0) end--;
    try {
      decoder.decode(ByteBuffer.wrap(head, 0, n == head.length ? end : n));
    } catch (CharacterCodingException e) {
      return null;
    }
    return Kind.CSV;
  }

  private static long size(Path p) throws IOException {
    if (Files.isRegularFile(p)) return Files.size(p);
    long total = 0;
    for (Path f : dataFiles(p)) total += Files.size(f);
    return total;
  }
}
