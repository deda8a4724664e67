package io.github.activationlab.bench;

import com.google.gson.GsonBuilder;
import io.github.activationlab.activation.ActivationGraph;
import io.github.activationlab.activation.Activations;
import io.github.activationlab.nn.Adam;
import io.github.activationlab.nn.Dense;
import io.github.activationlab.nn.Fit;
import io.github.activationlab.nn.Loss;
import io.github.activationlab.nn.Sequential;
import io.github.activationlab.savedmodel.ModelExport;
import io.github.activationlab.savedmodel.Predictor;
import io.github.activationlab.savedmodel.RunRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The Java half of {@code scripts/bench.sh}: training, activations on large arrays, serving and
 * memory, each the median of timed runs after a warm-up, written as JSON (metric -> value) for
 * the side-by-side report. Units: us per step, ms, rows per second, MB.
 */
public final class Bench {
  private Bench() {}

  /** Median of {@code n} timings (ms) of {@code run}, after one untimed warm-up. */
  static double medianMs(int n, Runnable run) {
    run.run();
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      run.run();
      t[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(t);
    return t[n / 2];
  }

  public static Map<String, Double> run(int repeats, PrintStream log) throws Exception {
    Map<String, Double> r = new LinkedHashMap<>();
    r.put("rss_start_mb", rssMb());
    // 1. the XOR MLP, 1000 epochs, full batch
    double[][] x = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
    double[][] y = {{0}, {1}, {1}, {0}};
    try (Sequential m = Sequential.of(2, Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid"))
        .compile(Loss.MSE, Adam.learningRate(0.01), 42)) {
      r.put("xor_fused_xla_us_step", medianMs(repeats, () -> m.fit(x, y, Fit.epochs(1000).xla(true))) * 1000 / 1000);
      r.put("xor_fused_us_step", medianMs(repeats, () -> m.fit(x, y, Fit.epochs(1000).xla(false))));
      r.put("xor_per_step_us_step", medianMs(Math.min(repeats, 3), () -> m.fit(x, y, Fit.epochs(1000).fused(false))));
      r.put("xor_fused_xla_10k_us_step", medianMs(repeats, () -> m.fit(x, y, Fit.epochs(10000).xla(true))) / 10);
    }
    r.put("xor_plain_java_us_step", medianMs(repeats, () -> PlainXorMlp.train(100000)) * 1000 / 100000);
    log.println("bench: training (XOR) done");
    // 2. the ReLU fit
    double[][] q = new double[2001][1];
    double[][] qy = new double[2001][1];
    java.util.Random rnd = new java.util.Random(0);
    for (int i = 0; i < q.length; i++) {
      q[i][0] = -10 + i / 100.0;
      qy[i][0] = q[i][0] * q[i][0] + 10 * rnd.nextGaussian();
    }
    try (Sequential m = Sequential.of(1, Dense.of(6, "relu"), Dense.of(1)).compile(Loss.MSE, Adam.learningRate(0.005), 42)) {
      r.put("relu_fit_fused_xla_ms", medianMs(repeats, () -> m.fit(q, qy, Fit.epochs(100))));
      r.put("relu_fit_per_step_ms", medianMs(Math.min(repeats, 3), () -> m.fit(q, qy, Fit.epochs(100).fused(false))));
    }
    log.println("bench: training (ReLU fit) done");
    // 3. activations on 1,000,000 values and on a 1024 x 1024 image, end to end
    for (String name : List.of("relu", "sigmoid", "tanh", "elu")) {
      for (int n : new int[] {1_000_000, 1024 * 1024}) {
        r.put("act_" + name + "_" + (n == 1_000_000 ? "1m" : "img") + "_ms", activationMs(name, n, repeats));
      }
    }
    log.println("bench: activations done");
    // 4. serving: the exported XOR MLP
    Path dir = Files.createTempDirectory("bench-model");
    try {
      try (Sequential m = Sequential.of(2, Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid"))
          .compile(Loss.MSE, Adam.learningRate(0.01), 42)) {
        var init = m.getWeights();
        var h = m.fit(x, y, Fit.epochs(1000));
        ModelExport.export(m, new RunRecord("xor-mlp", m, Fit.epochs(1000), x, y, init, m.getWeights(), h, x,
            m.predict(x)), dir.resolve("xor-mlp"), true);
      }
      try (Predictor p = Predictor.load(dir.resolve("xor-mlp"))) {
        double[][] one = {{0.3, 0.7}};
        r.put("serve_latency_1row_us", medianMs(repeats, () -> {
          for (int i = 0; i < 1000; i++) p.predict(one);
        }));
        for (int rows : new int[] {1, 64, 10000}) {
          double[][] batch = new double[rows][];
          for (int i = 0; i < rows; i++) batch[i] = new double[] {(i % 100) / 100.0, (i % 37) / 37.0};
          for (int threads : new int[] {1, 2}) {
            r.put("serve_rows_per_s_b" + rows + "_t" + threads, throughput(p, batch, threads));
          }
        }
        // warm up first (JIT, allocator pools), then measure 100,000 calls; bench.sh runs this JVM
        // with a fixed, pre-touched heap so that heap growth does not pose as native growth
        for (int i = 0; i < 10_000; i++) p.predict(one);
        System.gc();
        double before = rssMb();
        for (int i = 0; i < 100_000; i++) p.predict(one);
        System.gc();
        r.put("rss_before_100k_mb", before);
        r.put("rss_after_100k_mb", rssMb());
      }
    } finally {
      io.github.activationlab.savedmodel.ExportDirectory.deleteTree(dir);
    }
    log.println("bench: serving done");
    return r;
  }

  /** ms for: float[] -> tensor (bulk copy) -> activation -> tensor -> float[]. */
  static double activationMs(String name, int n, int repeats) {
    float[] in = new float[n];
    java.util.Random rnd = new java.util.Random(1);
    for (int i = 0; i < n; i++) in[i] = (float) (rnd.nextGaussian() * 3);
    float[] out = new float[n];
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> xp = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      var yOp = Activations.get(name).call(tf, xp);
      return medianMs(repeats, () -> {
        try (TFloat32 t = TFloat32.tensorOf(Shape.of(n), DataBuffers.of(in, true, false));
            Result res = s.runner().feed(xp, t).fetch(yOp).run()) {
          ((TFloat32) res.get(0)).asRawTensor().data().asFloats().read(out);
        }
      });
    }
  }

  /** Rows per second from {@code threads} threads calling the same Predictor for ~1 s. */
  static double throughput(Predictor p, double[][] batch, int threads) throws Exception {
    for (int i = 0; i < 20; i++) p.predict(batch);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long end = System.nanoTime() + 1_000_000_000L;
      long t0 = System.nanoTime();
      List<Future<Long>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(pool.submit(() -> {
          long rows = 0;
          while (System.nanoTime() < end) {
            p.predict(batch);
            rows += batch.length;
          }
          return rows;
        }));
      }
      long rows = 0;
      for (Future<Long> f : fs) rows += f.get();
      return rows / ((System.nanoTime() - t0) / 1e9);
    } finally {
      pool.shutdown();
    }
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
    Files.writeString(file, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
        .create().toJson(r) + "\n");
  }

}
