package io.github.activationlab.spark;

import io.github.activationlab.savedmodel.PredictFormat;
import io.github.activationlab.spark.PredictTask.Block;
import io.github.activationlab.spark.PredictTask.Place;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
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
import scala.Tuple2;

/**
 * {@code predict}'s inputs: what an input is (CSV or Parquet, by content), and its rows as Spark
 * partitions in input order ({@link Source}), read three ways (count, predict, check). An input is
 * any path Hadoop reads — a local file or directory, {@code hdfs://}, {@code s3a://} with the
 * cluster's Hadoop configuration — resolved as Spark resolves paths (a path without a scheme: the
 * default file system, the local one unless {@code fs.defaultFS} says otherwise).
 */
final class Inputs {
  private Inputs() {}

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

  /** The column count of a data row's text ({@link PredictFormat#parseRow}'s count). */
  static long columns(String line) {
    return PredictFormat.parseRow(line, 1, new double[0]);
  }

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
  static Source csv(JavaSparkContext jsc, String file, Integer partitions) throws IOException {
    Configuration conf = new Configuration(jsc.hadoopConfiguration());
    if (partitions != null) {
      long bytes = size(conf, file);
      conf.setLong(
          "mapreduce.input.fileinputformat.split.maxsize",
          Math.max(1, (bytes + partitions - 1) / partitions));
    }
    @SuppressWarnings("unchecked")
    JavaNewHadoopRDD<LongWritable, Text> rdd =
        (JavaNewHadoopRDD<LongWritable, Text>)
            jsc.newAPIHadoopFile(
                qualified(conf, file).toString(),
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
  static Source parquet(SparkSession spark, String file, Integer partitions) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    long perPartition =
        partitions != null
            ? Math.max(1, (size(conf, file) + partitions - 1) / partitions)
            : 128L << 20;
    spark.conf().set("spark.sql.files.maxPartitionBytes", String.valueOf(perPartition));
    // a file's open cost as large as a partition: Spark then never packs two files into one
    spark.conf().set("spark.sql.files.openCostInBytes", String.valueOf(perPartition));
    Dataset<Row> df = spark.read().parquet(qualified(conf, file).toString());
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

  /** The input as a fully qualified Hadoop path ({@code file:/abs/in.csv}, {@code hdfs://...}). */
  static Path qualified(Configuration conf, String input) throws IOException {
    Path p = new Path(input);
    return p.getFileSystem(conf).makeQualified(p);
  }

  /**
   * CSV or Parquet, by content: a Parquet file starts with {@code PAR1}; a CSV file is UTF-8 text
   * (its first 64 KiB decode, no NUL byte). A directory holds files of one kind (hidden files and
   * {@code _SUCCESS} markers aside, as Spark and Hadoop skip them).
   *
   * @throws NoSuchFileException if there is nothing at {@code input}
   * @throws IllegalArgumentException for anything else, in one line
   */
  static Kind kind(Configuration conf, String input) throws IOException {
    Path p = qualified(conf, input);
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p)) throw new NoSuchFileException(input);
    if (fs.getFileStatus(p).isFile()) {
      Kind k = fileKind(fs, p);
      if (k == null) {
        throw new IllegalArgumentException(
            input + " is neither CSV (UTF-8 text) nor Parquet: predict reads those two");
      }
      return k;
    }
    List<Path> files = dataFiles(fs, p);
    if (files.isEmpty()) throw new IllegalArgumentException(input + ": no input files in it");
    Kind kind = null;
    for (Path f : files) {
      Kind k = fileKind(fs, f);
      if (k == null || (kind != null && k != kind)) {
        throw new IllegalArgumentException(
            input
                + " holds "
                + f.getName()
                + ", which is "
                + (k == null ? "neither CSV (UTF-8 text) nor Parquet" : k + " among " + kind)
                + ": predict reads a directory of CSV files or of Parquet files");
      }
      kind = k;
    }
    return kind;
  }

  private static List<Path> dataFiles(FileSystem fs, Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    for (FileStatus f : fs.listStatus(dir)) {
      String n = f.getPath().getName();
      if (f.isFile() && !n.startsWith(".") && !n.startsWith("_")) out.add(f.getPath());
    }
    out.sort(Comparator.comparing(Path::toString));
    return out;
  }

  private static Kind fileKind(FileSystem fs, Path f) throws IOException {
    byte[] head = new byte[1 << 16];
    int n;
    try (InputStream in = fs.open(f)) {
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
    if (n == head.length) {
      for (int k = 0; k < 3 && end > 0 && (head[end - 1] & 0xC0) == 0x80; k++) end--;
      if (end > 0 && (head[end - 1] & 0xC0) == 0xC0) end--;
    }
    try {
      decoder.decode(ByteBuffer.wrap(head, 0, end));
    } catch (CharacterCodingException e) {
      return null;
    }
    return Kind.CSV;
  }

  /** The input's bytes (a directory's files together). */
  private static long size(Configuration conf, String input) throws IOException {
    Path p = qualified(conf, input);
    return p.getFileSystem(conf).getContentSummary(p).getLength();
  }
}
