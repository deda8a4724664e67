package io.github.activationlab.bench;

import io.github.activationlab.nn.Fit;
import io.github.activationlab.nn.Sequential;
import io.github.activationlab.savedmodel.ExportDirectory;
import io.github.activationlab.savedmodel.ModelExport;
import io.github.activationlab.savedmodel.Predictor;
import io.github.activationlab.savedmodel.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Row 4 and 5c: the exported XOR MLP served in-process through {@link Predictor}: latency, rows per
 * second from one and two threads, and resident memory over 100,000 calls.
 */
final class ServingBench {
  private ServingBench() {}

  /** 4. Serving: the exported XOR MLP, latency, throughput, and RSS over 100,000 calls. */
  static void serving(Map<String, Double> r, int repeats) throws Exception {
    Path dir = Files.createTempDirectory("bench-model");
    try {
      try (Sequential m = Bench.xorMlp(42)) {
        var init = m.getWeights();
        var h = m.fit(Bench.X, Bench.XOR, Fit.epochs(1000));
        ModelExport.export(
            m,
            new RunRecord(
                "xor-mlp",
                m,
                Fit.epochs(1000),
                Bench.X,
                Bench.XOR,
                init,
                m.getWeights(),
                h,
                Bench.X,
                m.predict(Bench.X)),
            dir.resolve("xor-mlp"),
            true);
      }
      try (Predictor p = Predictor.load(dir.resolve("xor-mlp"))) {
        double[][] one = {{0.3, 0.7}};
        r.put(
            "serve_latency_1row_us",
            Bench.medianMs(
                repeats,
                () -> {
                  for (int i = 0; i < 1000; i++) p.predict(one);
                }));
        for (int rows : new int[] {1, 64, 10000}) {
          double[][] batch = new double[rows][];
          for (int i = 0; i < rows; i++)
            batch[i] = new double[] {(i % 100) / 100.0, (i % 37) / 37.0};
          for (int threads : new int[] {1, 2}) {
            r.put("serve_rows_per_s_b" + rows + "_t" + threads, throughput(p, batch, threads));
          }
        }
        // warm up first (JIT, allocator pools), then measure 100,000 calls; bench.sh runs this JVM
        // alone (no launcher child) with a fixed, pre-touched heap, so that heap growth does not
        // pose as native growth
        for (int i = 0; i < 10_000; i++) p.predict(one);
        System.gc();
        double before = Bench.rssMb();
        for (int i = 0; i < 100_000; i++) p.predict(one);
        System.gc();
        r.put("rss_before_100k_mb", before);
        r.put("rss_after_100k_mb", Bench.rssMb());
      }
    } finally {
      ExportDirectory.deleteTree(dir);
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
        fs.add(
            pool.submit(
                () -> {
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
}
