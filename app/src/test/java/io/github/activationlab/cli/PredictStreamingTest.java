package io.github.activationlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.activationlab.savedmodel.PredictFormat;
import io.github.activationlab.savedmodel.Predictor;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code predict --input-file} streams: memory bounded whatever the size, the same output as the
 * whole-file path had, one line naming a bad row, and {@code --output} written atomically.
 */
class PredictStreamingTest {
  static final String KERAS = QuietCliTest.KERAS; // input 'features' float32 [-1, 2]
  static final long ROWS = Long.getLong("activationlab.streamRows", 2_000_000);
  static final long MAX_RSS_MB = 400;

  @TempDir Path tmp;

  /** A CSV of {@code rows} rows "x1,x2" (6 decimals, like the 36 MB for 2M rows). */
  static Path csv(Path file, long rows) throws IOException {
    Random r = new Random(1);
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      w.write("# x1,x2\n");
      char[] line = "0.000000,0.000000\n".toCharArray();
      for (long i = 0; i < rows; i++) {
        for (int k : new int[] {2, 11}) {
          int v = r.nextInt(1_000_000);
          for (int d = 5; d >= 0; d--, v /= 10) line[k + d] = (char) ('0' + v % 10);
        }
        w.write(line);
      }
    }
    return file;
  }

  static long vmHwmKb(long pid) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("\\D", ""));
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return 0;
  }

  @Test
  @Timeout(600)
  void aHugeFileIsPredictedInBoundedMemory() throws Exception {
    Path in = csv(tmp.resolve("big.csv"), ROWS);
    Path out = tmp.resolve("out.txt");
    long t0 = System.nanoTime();
    // the real CLI, as a user starts it: one JVM
    Process p =
        QuietCliTest.cli(
                Map.of(),
                "predict",
                "--model",
                KERAS,
                "--input-file",
                in.toString(),
                "--output",
                out.toString())
            .start();
    long peak = 0;
    try {
      p.getOutputStream().close();
      var stdout = CompletableFuture.supplyAsync(() -> QuietCliTest.read(p.getInputStream()));
      var stderr = CompletableFuture.supplyAsync(() -> QuietCliTest.read(p.getErrorStream()));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(500);
      while (p.isAlive() && System.nanoTime() < deadline) {
        peak = Math.max(peak, vmHwmKb(p.pid()));
        Thread.sleep(20);
      }
      assertTrue(p.waitFor(10, TimeUnit.SECONDS), "predict did not finish");
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertEquals(0, p.exitValue(), stderr.get());
      assertEquals("wrote " + out + " (" + ROWS + " rows)" + System.lineSeparator(), stdout.get());
      System.out.printf(
          "predict --input-file, %,d rows: peak RSS %d MB, %.1f s (JVM start included: %,.0f"
              + " rows/s)%n",
          ROWS, peak / 1024, seconds, ROWS / seconds);
      assertTrue(peak > 0, "the JVM was not seen");
      assertTrue(peak / 1024 < MAX_RSS_MB, "peak RSS " + peak / 1024 + " MB");
    } finally {
      QuietCliTest.kill(p);
    }
    // every row, in order, in DESIGN.md's format
    try (BufferedReader r = Files.newBufferedReader(out);
        BufferedReader c = Files.newBufferedReader(in)) {
      assertTrue(
          r.readLine().startsWith("# " + KERAS + "/1: features float32 [-1, 2] -> output_0"));
      c.readLine();
      long n = 0;
      for (String l; (l = r.readLine()) != null; n++) {
        String[] x = c.readLine().split(",");
        String expect =
            (float) Double.parseDouble(x[0]) + "," + (float) Double.parseDouble(x[1]) + " -> ";
        if (!l.startsWith(expect))
          throw new AssertionError("row " + (n + 1) + ": " + l + " vs " + expect);
      }
      assertEquals(ROWS, n);
    }
  }

  /** The format of the whole-file path: inputs as floats, " -> ", outputs as floats. */
  static String line(double[] x, double[] y) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < x.length; i++) b.append(i > 0 ? "," : "").append((float) x[i]);
    b.append(" -> ");
    for (int i = 0; i < y.length; i++) b.append(i > 0 ? "," : "").append((float) y[i]);
    return b.toString();
  }

  @Test
  void streamingGivesWhatTheWholeFilePathGave() throws Exception {
    // three batches and a bit, with every number form Double.parseDouble takes (finite in float32:
    // non-finite values are refused, see the bad rows), comments, blank
    // lines, spaces, and \r\n, \r and \n line ends
    String[] forms = {
      "0.5",
      "1e-3",
      "+.25",
      " 0.75 ",
      "-0",
      "0x1p-2",
      "1f",
      "2.5D",
      "7",
      "3.",
      "1E2",
      "-1.5e+1",
      "0.1000000000000000055511151231257827",
      "12345678901234567890",
      "3.4028235e38",
      "4.9e-324",
      "  -0.0  "
    };
    Random r = new Random(5);
    List<double[]> rows = new ArrayList<>();
    StringBuilder text = new StringBuilder("# x1, x2\n\n");
    String[] eols = {"\n", "\r\n", "\r"};
    for (int i = 0; i < 3 * PredictCommand.BATCH + 123; i++) {
      String a = i % 7 == 0 ? forms[(i / 7) % forms.length] : Double.toString(r.nextGaussian());
      String b =
          i % 11 == 0 ? forms[(i / 11 + 3) % forms.length] : String.format("%.4f", r.nextDouble());
      text.append(a).append(i % 5 == 0 ? " , " : ",").append(b).append(eols[i % 3]);
      if (i % 1000 == 0)
        text.append("# a comment").append(eols[(i + 1) % 3]).append("   \t").append(eols[i % 3]);
      rows.add(new double[] {Double.parseDouble(a.trim()), Double.parseDouble(b.trim())});
    }
    Path in = tmp.resolve("forms.csv");
    Files.writeString(in, text);
    double[][] x = rows.toArray(new double[0][]);
    double[][] y;
    try (Predictor p = Predictor.load(Path.of(KERAS))) {
      y = p.predict(x);
    }
    MainTest.Run run = MainTest.run("predict", "--model", KERAS, "--input-file", in.toString());
    assertEquals(0, run.code(), run.err());
    List<String> got = run.out().lines().toList();
    assertEquals(x.length + 1, got.size());
    assertTrue(got.get(0).startsWith("# "), got.get(0));
    for (int i = 0; i < x.length; i++)
      assertEquals(line(x[i], y[i]), got.get(i + 1), "row " + (i + 1));
  }

  @Test
  void theFastNumberParserIsDoubleParseDouble() {
    Random r = new Random(11);
    List<String> samples =
        new ArrayList<>(
            List.of(
                "0",
                "-0",
                "+0",
                "0.0",
                ".5",
                "5.",
                "-.5e-3",
                "00012.500",
                "9007199254740992",
                "9007199254740993",
                "123456789012345678",
                "1234567890123456789",
                "0.000000000000000000000001",
                "1e22",
                "1e23",
                "1e-22",
                "1e-23",
                "4.35",
                "0.1",
                "0.3",
                "2.2250738585072014E-308",
                "1e",
                "e5",
                ".",
                "-",
                "1.2.3",
                "1e+",
                "1e0005"));
    for (int i = 0; i < 200_000; i++) {
      switch (i % 4) {
        case 0 -> samples.add(Double.toString(r.nextGaussian() * Math.pow(10, r.nextInt(30) - 15)));
        case 1 ->
            samples.add(String.format("%." + r.nextInt(12) + "f", r.nextDouble() * 1000 - 500));
        case 2 -> samples.add(Long.toString(r.nextLong() >> r.nextInt(63)));
        default ->
            samples.add(
                (r.nextBoolean() ? "-" : "")
                    + r.nextInt(100000)
                    + "."
                    + r.nextInt(1000000)
                    + "e"
                    + (r.nextInt(50) - 25));
      }
    }
    int fast = 0;
    for (String s : samples) {
      byte[] b = s.getBytes(StandardCharsets.US_ASCII);
      double v = PredictFormat.number(b, 0, b.length);
      if (Double.isNaN(v)) continue; // not fast: parseDouble itself is used
      fast++;
      assertEquals(
          Double.doubleToRawLongBits(Double.parseDouble(s)), Double.doubleToRawLongBits(v), s);
    }
    assertTrue(fast > samples.size() / 2, fast + " of " + samples.size() + " took the fast path");
  }

  /** A file of {@code rows} good rows with {@code bad} as data row {@code at} (1-based). */
  Path withBadRow(int rows, int at, String bad) throws IOException {
    StringBuilder b = new StringBuilder("# header\n\n");
    for (int i = 1; i <= rows; i++) {
      if (i % 100 == 0) b.append("# not a row\n\n");
      b.append(i == at ? bad : (i % 10) / 10.0 + "," + (i % 7) / 7.0).append('\n');
    }
    Path f = tmp.resolve("bad-" + at + ".csv");
    Files.writeString(f, b);
    return f;
  }

  @Test
  void aBadRowIsOneLineNamingItAndLeavesNoPartialOutput() throws Exception {
    int rows = 2 * PredictCommand.BATCH + 500;
    Path out = tmp.resolve("o").resolve("out.txt");
    Object[][] cases = {
      {5000, "0.5,abc", "error: input row 5000: 'abc' is not a number"},
      {
        PredictCommand.BATCH + 1,
        "NaN,1",
        "error: input row " + (PredictCommand.BATCH + 1) + ": 'NaN' is not a finite float32 value"
      },
      {7, "1e999,0", "error: input row 7: '1e999' is not a finite float32 value"},
      {8, "-1e999,1e999", "error: input row 8: '-1e999' is not a finite float32 value"},
      {9, "0,1e39", "error: input row 9: '1e39' is not a finite float32 value"},
      {10, "-Infinity,0", "error: input row 10: '-Infinity' is not a finite float32 value"},
      {
        rows,
        "1,2,3",
        "error: input row " + rows + " has 3 columns; the model's input 'features' takes 2"
      },
      {100, "1", "error: input row 100 has 1 columns; the model's input 'features' takes 2"},
    };
    for (Object[] c : cases) {
      Path in = withBadRow(rows, (int) c[0], (String) c[1]);
      MainTest.Run toFile =
          MainTest.run(
              "predict",
              "--model",
              KERAS,
              "--input-file",
              in.toString(),
              "--output",
              out.toString());
      assertEquals(1, toFile.code());
      assertEquals(c[2] + System.lineSeparator(), toFile.err());
      assertEquals("", toFile.out());
      try (Stream<Path> left = Files.list(out.getParent())) {
        assertEquals(List.of(), left.toList(), "no partial output, no temporary");
      }
      MainTest.Run toStdout =
          MainTest.run("predict", "--model", KERAS, "--input-file", in.toString());
      assertEquals(c[2] + System.lineSeparator(), toStdout.err());
      int at = (int) c[0];
      // stdout has the batches before the failing one (none if it is in the first batch)
      long printed = (at - 1) / PredictCommand.BATCH * (long) PredictCommand.BATCH;
      assertEquals(printed == 0 ? 0 : printed + 1, toStdout.out().lines().count(), "row " + at);
    }
  }

  @Test
  void theLargestFiniteFloat32IsAnInput() throws Exception {
    MainTest.Run r =
        MainTest.run("predict", "--model", KERAS, "--input", "3.4028235e38,-3.4028235e38;0,1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("3.4028235E38,-3.4028235E38 -> "), r.out());
  }

  @Test
  void outputIsRefusedIfItExistsAndReplacedWithForce() throws Exception {
    Path out = tmp.resolve("out.txt");
    Files.writeString(out, "mine\n");
    MainTest.Run refused =
        MainTest.run("predict", "--model", KERAS, "--input", "0,1", "--output", out.toString());
    assertEquals(1, refused.code());
    assertEquals("error: " + out + " exists (use --force to overwrite)", refused.err().strip());
    assertEquals("mine\n", Files.readString(out));
    MainTest.Run forced =
        MainTest.run(
            "predict",
            "--model",
            KERAS,
            "--input",
            "0,1;1,1",
            "--output",
            out.toString(),
            "--force");
    assertEquals(0, forced.code(), forced.err());
    assertEquals("wrote " + out + " (2 rows)", forced.out().strip());
    List<String> lines = Files.readAllLines(out);
    assertEquals(3, lines.size());
    assertTrue(lines.get(1).startsWith("0.0,1.0 -> 0.94"), lines.toString());
    MainTest.Run none =
        MainTest.run(
            "predict",
            "--model",
            KERAS,
            "--input-file",
            Files.writeString(tmp.resolve("empty.csv"), "# nothing\n\n").toString(),
            "--output",
            tmp.resolve("none.txt").toString());
    assertEquals("error: no input rows", none.err().strip());
    assertFalse(Files.exists(tmp.resolve("none.txt")));
  }

  @Test
  void aModelPathThatIsAnUnfinishedTemporaryIsSaidToBeOne() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path t = tmp.resolve(".xor-mlp.tmp-" + gone.pid() + "-0-a");
    Files.createDirectories(t.resolve("1"));
    MainTest.Run r = MainTest.run("predict", "--model", t.toString(), "--input", "0,1");
    assertEquals(1, r.code());
    assertTrue(
        r.err()
            .startsWith(
                "error: "
                    + t
                    + " is an unfinished temporary of "
                    + tmp.resolve("xor-mlp")
                    + " (left by process "
                    + gone.pid()
                    + ", which is gone"),
        r.err());
    Path k = tmp.resolve(".xor-mlp.keras.tmp-" + ProcessHandle.current().pid() + "-0-b");
    Files.writeString(k, "PK half");
    MainTest.Run rk = MainTest.run("predict", "--model", k.toString(), "--input", "0,1");
    assertTrue(
        rk.err()
            .startsWith(
                "error: "
                    + k
                    + " is an unfinished temporary of "
                    + tmp.resolve("xor-mlp.keras")
                    + " (still being written by process "),
        rk.err());
    assertEquals(1, rk.err().strip().lines().count());
  }
}
