package io.github.activationlab.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import io.github.activationlab.nn.Adam;
import io.github.activationlab.nn.Dense;
import io.github.activationlab.nn.Fit;
import io.github.activationlab.nn.Loss;
import io.github.activationlab.nn.Sequential;
import io.github.activationlab.perceptron.Gates;
import io.github.activationlab.savedmodel.ModelExport;
import io.github.activationlab.savedmodel.RunRecord;
import io.github.activationlab.sweep.SweepJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar as a cluster runs it: {@code spark-submit} (Spark's own {@code SparkSubmit}, on a
 * Spark installation's class path: Spark's jars only) with master {@code local-cluster[2,1,1024]} —
 * a standalone master and worker in the submitting JVM, two executors in JVMs of their own, started
 * by the worker from {@code $SPARK_HOME/jars} — the job jar spark/target/activation-lab- spark.jar,
 * and TensorFlow's native jar shipped with {@code --jars}, as the README says.
 *
 * <p>Asserts: no class of the job jar is also one of Spark's (no clash: protobuf relocated, Spark's
 * slf4j, commons-lang3, commons-logging and lz4 used); {@code predict} writes the command line's
 * bytes with one model load in each of the two executor JVMs; {@code sweep} gives the
 * single-machine results bit for bit. Run by failsafe after {@code package}.
 */
@Timeout(600)
class SparkSubmitIT {
  @TempDir static Path tmp;
  static Path sparkHome;
  static Path jobJar;
  static Path nativeJar;
  static List<Path> sparkJars = new ArrayList<>();

  @BeforeAll
  static void installation() throws IOException {
    jobJar = Path.of(System.getProperty("activationlab.jobJar"));
    nativeJar = Path.of(System.getProperty("activationlab.nativeJar"));
    for (String list : System.getProperty("activationlab.sparkClasspath").split(",")) {
      for (String j : Files.readString(Path.of(list)).strip().split(":")) sparkJars.add(Path.of(j));
    }
    for (Path p : List.of(jobJar, nativeJar)) assertTrue(Files.isRegularFile(p), "missing " + p);
    // a Spark installation: $SPARK_HOME/jars holds Spark's jars, nothing of ours
    sparkHome = tmp.resolve("spark-home");
    Path jars = Files.createDirectories(sparkHome.resolve("jars"));
    for (Path j : sparkJars) Files.createSymbolicLink(jars.resolve(j.getFileName()), j);
  }

  /** Runs spark-submit with the job jar and the native jar; its exit code, stdout and stderr. */
  static String[] submit(String... jobArgs) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-Xmx1g", "-cp", sparkHome.resolve("jars") + "/*"));
    cmd.add("org.apache.spark.deploy.SparkSubmit");
    cmd.addAll(List.of("--master", "local-cluster[2,1,1024]"));
    cmd.addAll(List.of("--class", SparkJobs.class.getName()));
    cmd.addAll(List.of("--jars", nativeJar.toString()));
    cmd.addAll(List.of("--conf", "spark.ui.enabled=false"));
    cmd.addAll(List.of("--conf", "spark.worker.dir=" + tmp.resolve("work")));
    cmd.add(jobJar.toString());
    cmd.addAll(List.of(jobArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13"); // the worker's launcher asks
    pb.environment().put("SPARK_WORKER_DIR", tmp.resolve("work").toString());
    Path out = tmp.resolve("submit.out");
    Path err = tmp.resolve("submit.err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("spark-submit did not end in 300 s: " + Files.readString(err));
    }
    return new String[] {
      String.valueOf(p.exitValue()), Files.readString(out), Files.readString(err)
    };
  }

  static Set<String> classes(Path jar) throws IOException {
    Set<String> out = new HashSet<>();
    try (ZipFile z = new ZipFile(jar.toFile())) {
      z.stream()
          .map(e -> e.getName())
          .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
          .forEach(out::add);
    }
    return out;
  }

  @Test
  void theJobJarHoldsNoClassOfSpark() throws IOException {
    Set<String> ours = classes(jobJar);
    assertTrue(ours.contains("io/github/activationlab/spark/SparkJobs.class"));
    assertTrue(
        ours.stream().anyMatch(c -> c.startsWith("io/github/activationlab/shaded/protobuf/")),
        "protobuf relocated");
    assertTrue(ours.stream().noneMatch(c -> c.startsWith("com/google/protobuf/")));
    List<String> clashes = new ArrayList<>();
    for (Path j : sparkJars) {
      for (String c : classes(j))
        if (ours.contains(c)) clashes.add(c + " (" + j.getFileName() + ")");
    }
    assertEquals(List.of(), clashes);
  }

  @Test
  void predictOnTwoExecutorJvmsIsTheCommandLinesOutput() throws Exception {
    Path model = tmp.resolve("xor-mlp");
    try (var m =
        Sequential.of(2, Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid"))
            .compile(Loss.MSE, Adam.learningRate(0.01), 42)) {
      double[][] y = Gates.column(Gates.XOR);
      var init = m.getWeights();
      Fit fit = Fit.epochs(100);
      var h = m.fit(Gates.X, y, fit);
      ModelExport.export(
          m,
          new RunRecord(
              "xor-mlp", m, fit, Gates.X, y, init, m.getWeights(), h, Gates.X, m.predict(Gates.X)),
          model,
          false);
    }
    List<String> rows = new ArrayList<>();
    Random r = new Random(11);
    for (int i = 0; i < 10_000; i++) rows.add(r.nextFloat() + "," + r.nextFloat());
    Path csv = Files.write(tmp.resolve("in.csv"), rows);
    Path out = tmp.resolve("out.txt");
    String[] res =
        submit(
            "predict",
            "--model",
            model.toString(),
            "--input-file",
            csv.toString(),
            "--output",
            out.toString(),
            "--partitions",
            "4");
    assertEquals("0", res[0], res[2]);
    assertEquals("wrote " + out + " (10000 rows)\n", res[1]);
    assertTrue(
        res[2].contains("on 2 executor JVMs, the model loaded once in each"),
        "stderr: " + res[2].lines().filter(l -> l.startsWith("spark:")).toList());
    assertArrayEquals(PredictJobTest.cli(model, rows), Files.readAllBytes(out));
  }

  @Test
  void sweepOnExecutorsIsTheSingleMachinesBitForBit() throws Exception {
    Path json = tmp.resolve("sweep.json");
    String[] res =
        submit(
            "sweep",
            "--model",
            "xor-mlp",
            "--seeds",
            "60",
            "--epochs",
            "100",
            "--activation",
            "relu,elu",
            "--threads",
            "2",
            "--json",
            json.toString(),
            "--graphs",
            tmp.resolve("graphs").toString());
    assertEquals("0", res[0], res[2]);
    SweepJob.Plan p =
        SweepJob.plan("xor-mlp", List.of("relu", "elu"), 42, 60, 100, null, "float32", 2, null);
    var reference = SweepJobTest.singleMachineSweep(p);
    var got = JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8));
    var want = SweepJson.json(reference);
    for (int a = 0; a < 2; a++) {
      assertEquals(
          want.getAsJsonArray("results").get(a).getAsJsonObject().get("final_losses"),
          got.getAsJsonObject()
              .getAsJsonArray("results")
              .get(a)
              .getAsJsonObject()
              .get("final_losses"));
    }
    try (Stream<Path> s = Files.list(tmp.resolve("graphs"))) {
      assertEquals(List.of("sweep-xor-mlp.png"), s.map(f -> f.getFileName().toString()).toList());
    }
  }
}
