package io.github.activationlab.bench;

import io.github.activationlab.experiment.InOrder;
import io.github.activationlab.nn.Fit;
import io.github.activationlab.nn.Sequential;
import io.github.activationlab.notebook.NotebookModels;
import io.github.activationlab.savedmodel.ModelExport;
import io.github.activationlab.savedmodel.RunRecord;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Row 6a's Java side: the notebook's six gate models fitted and exported, as a Keras script would
 * do it ({@code bench --gates-export DIR}), with where the time went.
 */
public final class GatesExport {
  private GatesExport() {}

  /**
   * The six gate models of the notebook (or-linear .. xor-mlp), each compiled, fitted as the
   * notebook does (1000 epochs, Adam 0.01, batch 32, mse) and exported as a SavedModel (with its
   * run.json) to {@code out/<name>/1/}: the work of a Python script doing the six Keras fits and
   * {@code model.export()}, without the {@code gates} command's charts and .keras files. The models
   * are independent, so they are compiled, fitted and exported on one thread per core (their layers
   * named first, in the notebook's order, so that the names are those of a sequential run).
   *
   * @param out the directory of the exports
   * @param seed the notebook's seed
   * @throws IOException if an export cannot be written
   */
  public static void write(Path out, long seed) throws IOException {
    write(out, seed, null);
  }

  /**
   * {@link #write(Path, long)}, and where the time went into {@code times} (null: nowhere), in ms:
   * {@code jvm_to_bench_ms} (the JVM's start, the CLI's), {@code native_load_ms} (TensorFlow's load
   * with the library's settings and XLA's warm-up), per model {@code <name>_compile_ms}, {@code
   * _fit_ms} (the loop's graph, XLA's compile, the run) and {@code _export_ms}, and {@code
   * total_ms} (the JVM's start to the end).
   *
   * @param out the directory of the exports
   * @param seed the notebook's seed
   * @param times where the phases' times go, or null
   * @throws IOException if an export cannot be written
   */
  public static void write(Path out, long seed, Map<String, Double> times) throws IOException {
    Map<String, Double> t = times != null ? times : new java.util.concurrent.ConcurrentHashMap<>();
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    t.put("jvm_to_bench_ms", (double) (System.currentTimeMillis() - jvmStart));
    long l0 = System.nanoTime();
    io.github.activationlab.tf.NativeRuntime.load();
    t.put("native_load_ms", (System.nanoTime() - l0) / 1e6);
    List<NotebookModels.Spec> specs = NotebookModels.GATES;
    List<Sequential> named = new ArrayList<>();
    for (NotebookModels.Spec spec : specs) {
      named.add(spec.sequential());
    }
    InOrder.run(specs.size(), i -> fitAndExport(specs.get(i), named.get(i), out, seed, t));
    t.put("threads", (double) InOrder.threads(specs.size()));
    t.put("total_ms", (double) (System.currentTimeMillis() - jvmStart));
  }

  private static Void fitAndExport(
      NotebookModels.Spec spec, Sequential named, Path out, long seed, Map<String, Double> t)
      throws IOException {
    var data = spec.data(seed);
    Fit fit = spec.fit(null, seed);
    long t0 = System.nanoTime();
    try (Sequential m = spec.compile(named, seed)) {
      long t1 = System.nanoTime();
      t.put(spec.name() + "_compile_ms", (t1 - t0) / 1e6);
      var initial = m.getWeights();
      var h = m.fit(data.x(), data.y(), fit);
      long t2 = System.nanoTime();
      t.put(spec.name() + "_fit_ms", (t2 - t1) / 1e6);
      ModelExport.export(
          m,
          new RunRecord(
              spec.name(),
              m,
              fit,
              data.x(),
              data.y(),
              initial,
              m.getWeights(),
              h,
              data.x(),
              m.predict(data.x())),
          out.resolve(spec.name()),
          true);
      t.put(spec.name() + "_export_ms", (System.nanoTime() - t2) / 1e6);
    }
    return null;
  }
}
