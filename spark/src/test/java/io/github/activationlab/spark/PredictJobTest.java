package io.github.activationlab.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.activationlab.nn.Adam;
import io.github.activationlab.nn.Dense;
import io.github.activationlab.nn.Fit;
import io.github.activationlab.nn.History;
import io.github.activationlab.nn.Loss;
import io.github.activationlab.nn.Sequential;
import io.github.activationlab.perceptron.Gates;
import io.github.activationlab.savedmodel.LoadedModel;
import io.github.activationlab.savedmodel.ModelExport;
import io.github.activationlab.savedmodel.PredictFormat;
import io.github.activationlab.savedmodel.Predictor;
import io.github.activationlab.savedmodel.RunRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code predict} on Spark ({@code local[2]}, one session for the class; task retries allowed)
 * gives exactly the bytes of the command line's {@code predict}: inputs that span partitions (CSV
 * and Parquet), a retried task, bad rows named by their number in the whole input, no output after
 * a failure, one model per JVM.
 *
 * <p>The command line's output is computed here as its {@code predict --output} computes it (app's
 * {@code PredictCommand.stream}, which this module cannot call): core's {@link LoadedModel} on the
 * rows in batches of {@value PredictFormat#BATCH} from the first, core's {@link PredictFormat} for
 * the text. scripts/bench_spark.sh compares the real command line with the job on 10M rows.
 */
@Timeout(300)
class PredictJobTest {
  static SparkSession spark;
  static Path dir;
  static Path model;
  static Path keras;
  static Path csv;
  static List<String> lines = new ArrayList<>();
  static final AtomicInteger failedTasks = new AtomicInteger();

  @TempDir static Path tmp;

  @BeforeAll
  static void start() throws IOException {
    spark =
        SparkSession.builder()
            .master("local[2,4]") // two threads; a task may run up to 4 times
            .appName("PredictJobTest")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    spark
        .sparkContext()
        .addSparkListener(
            new SparkListener() {
              @Override
              public void onTaskEnd(SparkListenerTaskEnd e) {
                if (!e.taskInfo().successful()) failedTasks.incrementAndGet();
              }
            });
    dir = tmp;
    try (var m =
        Sequential.of(2, Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid"))
            .compile(Loss.MSE, Adam.learningRate(0.01), 42)) {
      double[][] y = Gates.column(Gates.XOR);
      var init = m.getWeights();
      Fit fit = Fit.epochs(200);
      History h = m.fit(Gates.X, y, fit);
      model = dir.resolve("xor-mlp");
      ModelExport.export(
          m,
          new RunRecord(
              "xor-mlp", m, fit, Gates.X, y, init, m.getWeights(), h, Gates.X, m.predict(Gates.X)),
          model,
          false);
      keras = dir.resolve("xor-mlp.keras");
      m.save(keras);
    }
    // 10,000 data rows with comments, blank lines and all three line ends
    Random r = new Random(7);
    StringBuilder b = new StringBuilder("# x1,x2\n");
    for (int i = 0; i < 10_000; i++) {
      String line = String.format("%.6f,%.6f", r.nextDouble() * 4 - 2, r.nextDouble() * 4 - 2);
      lines.add(line);
      b.append(line).append(i % 3 == 0 ? "\r\n" : i % 3 == 1 ? "\n" : "\r");
      if (i % 1000 == 999) b.append("\n# a comment\n   \n");
    }
    csv = Files.writeString(dir.resolve("in.csv"), b);
  }

  @AfterAll
  static void stop() {
    if (spark != null) spark.stop();
  }

  /** What the command line's {@code predict --output} writes for these data rows. */
  static byte[] cli(Path modelPath, List<String> rows) throws IOException {
    String eol = System.lineSeparator();
    StringBuilder b = new StringBuilder();
    try (LoadedModel m = LoadedModel.open(modelPath)) {
      b.append(PredictFormat.header(m, eol));
      int w = (int) m.inputWidth();
      double[] cells = new double[w];
      for (int from = 0; from < rows.size(); from += PredictFormat.BATCH) {
        int n = Math.min(PredictFormat.BATCH, rows.size() - from);
        double[] batch = new double[n * w];
        for (int i = 0; i < n; i++) {
          PredictFormat.parseRow(rows.get(from + i), from + i + 1, cells);
          System.arraycopy(cells, 0, batch, i * w, w);
        }
        Predictor.Outputs o = m.predict(batch, n, w, null);
        for (int i = 0; i < n; i++) {
          PredictFormat.appendRow(b, batch, i * w, w, o.values(), i * o.width(), o.width(), eol);
        }
      }
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  static PredictJob.Summary predict(Path model, Path input, Path out, Integer partitions)
      throws IOException {
    return PredictJob.run(spark, model, null, input.toString(), out, false, partitions, System.out);
  }

  @Test
  void csvOverPartitionsIsTheCommandLinesOutputByteForByte() throws IOException {
    Path out = dir.resolve("csv.out");
    PredictJob.Summary s = predict(model, csv, out, 7);
    assertEquals(10_000, s.rows());
    assertTrue(s.partitions() >= 7, "partitions: " + s.partitions());
    assertTrue(s.cutBatches() > 0, "some batch crosses a partition edge");
    assertArrayEquals(cli(model, lines), Files.readAllBytes(out));
  }

  /** A directory of CSV files, read in name order; a Hadoop URI (file://...) for a path. */
  @Test
  void csvDirectoryAsAHadoopUri() throws IOException {
    Path d = Files.createDirectories(dir.resolve("csv-dir"));
    Files.write(d.resolve("part-0.csv"), lines.subList(0, 3000));
    Files.write(d.resolve("part-1.csv"), lines.subList(3000, 3100));
    Files.write(d.resolve("part-2.csv"), lines.subList(3100, 10_000));
    Files.writeString(d.resolve("_SUCCESS"), "");
    Path out = dir.resolve("dir.out");
    PredictJob.Summary s =
        PredictJob.run(spark, model, null, d.toUri().toString(), out, false, 2, System.out);
    assertTrue(s.partitions() >= 3, "partitions: " + s.partitions());
    assertArrayEquals(cli(model, lines), Files.readAllBytes(out));
  }

  @Test
  void kerasFileAndStdoutToo() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream stdout = new PrintStream(buf, true, StandardCharsets.UTF_8);
    PredictJob.run(spark, keras, null, csv.toString(), null, false, 3, stdout);
    assertArrayEquals(cli(keras, lines), buf.toByteArray());
  }

  @Test
  void inlineRows() throws IOException {
    Path out = dir.resolve("inline.out");
    List<String> rows = List.of("0,0", "1,0", "0,1", "1,1");
    PredictJob.run(spark, model, rows, null, out, false, 3, System.out);
    assertArrayEquals(cli(model, rows), Files.readAllBytes(out));
  }

  /**
   * A Parquet dataset of five files of different sizes (Spark would pack the small ones together,
   * largest first): read in input order, file by file, row by row.
   */
  @Test
  void parquetDatasetInInputOrder() throws IOException {
    StructType schema =
        new StructType().add("x1", DataTypes.DoubleType).add("x2", DataTypes.FloatType);
    List<Row> rows = new ArrayList<>();
    List<String> text = new ArrayList<>();
    Random r = new Random(3);
    for (int i = 0; i < 9000; i++) {
      double a = r.nextDouble();
      float c = (float) r.nextDouble();
      rows.add(RowFactory.create(a, c));
      text.add(a + "," + c);
    }
    Path pq = Files.createDirectories(dir.resolve("in.parquet"));
    // five files of growing size, named in input order: part-0.parquet .. part-4.parquet
    int[] cuts = {0, 300, 1000, 2500, 5000, 9000};
    for (int k = 0; k < 5; k++) {
      Path one = dir.resolve("one-" + k);
      spark
          .createDataFrame(rows.subList(cuts[k], cuts[k + 1]), schema)
          .coalesce(1)
          .write()
          .parquet(one.toString());
      try (Stream<Path> files = Files.list(one)) {
        Path part = files.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
        Files.move(part, pq.resolve("part-" + k + ".parquet"));
      }
    }
    Path out = dir.resolve("parquet.out");
    PredictJob.Summary s = predict(model, pq, out, null);
    assertEquals(5, s.partitions());
    assertArrayEquals(cli(model, text), Files.readAllBytes(out));
  }

  @Test
  void aRetriedTaskGivesTheSameBytes() throws IOException {
    Path out = dir.resolve("retried.out");
    int before = failedTasks.get();
    spark.conf().set(PredictJob.FAIL_FIRST_ATTEMPT, "2");
    try {
      predict(model, csv, out, 5);
    } finally {
      spark.conf().unset(PredictJob.FAIL_FIRST_ATTEMPT);
    }
    assertTrue(failedTasks.get() > before, "the hook failed a task");
    assertArrayEquals(cli(model, lines), Files.readAllBytes(out));
  }

  @Test
  void oneModelPerJvmWhateverThePartitions() throws IOException {
    ModelCache.closeAll();
    int before = ModelCache.loads();
    PredictJob.Summary s = predict(model, csv, dir.resolve("once.out"), 9);
    assertEquals(before + 1, ModelCache.loads(), "one load in this JVM for 9 partitions");
    assertEquals(1, s.jvms());
  }

  /** The first bad row of the whole input is named, whichever task failed first; no output. */
  @Test
  void badRowsAreNamedByTheirNumberInTheWholeInput() throws IOException {
    List<String> bad = new ArrayList<>(lines);
    bad.set(6000, "0.5,abc"); // data row 6001
    bad.set(8999, "NaN,1"); // data row 9000, a later partition
    Path in = Files.write(dir.resolve("bad.csv"), bad);
    Path out = dir.resolve("bad.out");
    var e = assertThrows(IllegalArgumentException.class, () -> predict(model, in, out, 6));
    assertEquals("input row 6001: 'abc' is not a number", e.getMessage());
    assertFalse(Files.exists(out));
    bad = new ArrayList<>(lines);
    bad.set(4100, "1e39,0");
    bad.set(200, "1,2,3");
    Path in2 = Files.write(dir.resolve("bad2.csv"), bad);
    e = assertThrows(IllegalArgumentException.class, () -> predict(model, in2, out, 6));
    assertEquals("input row 201 has 3 columns; the model's input 'x' takes 2", e.getMessage());
    bad.set(200, "1,2");
    Path in3 = Files.write(dir.resolve("bad3.csv"), bad);
    e = assertThrows(IllegalArgumentException.class, () -> predict(model, in3, out, 6));
    assertEquals("input row 4101: '1e39' is not a finite float32 value", e.getMessage());
    assertEquals(List.of(), leftovers(out));
  }

  @Test
  void anEmptyInputIsAnError() throws IOException {
    Path in = Files.writeString(dir.resolve("empty.csv"), "# nothing\n\n");
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> predict(model, in, dir.resolve("e.out"), null));
    assertEquals("no input rows", e.getMessage());
  }

  /** The command line's errors: one line, exit 1, nothing at --output. */
  @Test
  void badInputIsOneLineAndExitOne() throws IOException {
    Path out = dir.resolve("cli.out");
    String[] r =
        run("predict", "--model", dir.resolve("missing").toString(), "--input-file", csv + "");
    assertEquals("1", r[0]);
    assertTrue(
        r[1].matches(
            "error: cannot load the model on executor driver \\(\\d+@.*\\): no such model"
                + " directory: .*missing\n"),
        r[1]);
    Path zip = Files.write(dir.resolve("model.bin"), new byte[] {'P', 'K', 3, 4, 0, 0, 1});
    r = run("predict", "--model", model + "", "--input-file", zip + "", "--output", out + "");
    assertEquals("1", r[0]);
    assertEquals(
        "error: " + zip + " is neither CSV (UTF-8 text) nor Parquet: predict reads those two\n",
        r[1]);
    Files.writeString(out, "old");
    r = run("predict", "--model", model + "", "--input-file", csv + "", "--output", out + "");
    assertEquals("1", r[0]);
    assertEquals("error: " + out + " exists (use --force to overwrite)\n", r[1]);
    assertEquals("old", Files.readString(out));
    Files.delete(out);
    List<String> bad = new ArrayList<>(lines);
    bad.set(5000, "x");
    Path in = Files.write(dir.resolve("cli-bad.csv"), bad);
    r = run("predict", "--model", model + "", "--input-file", in + "", "--output", out + "");
    assertEquals("1", r[0]);
    assertEquals("error: input row 5001: 'x' is not a number\n", r[1]);
    assertEquals(List.of(), leftovers(out));
  }

  /** Runs the command line; its exit code and stderr. */
  static String[] run(String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      int code = SparkJobs.run(args);
      return new String[] {String.valueOf(code), buf.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setErr(err);
    }
  }

  /** The output and any temporary sibling of it. */
  static List<Path> leftovers(Path out) throws IOException {
    String name = out.getFileName().toString();
    try (Stream<Path> s = Files.list(out.getParent())) {
      return s.filter(p -> p.getFileName().toString().contains(name)).toList();
    }
  }
}
