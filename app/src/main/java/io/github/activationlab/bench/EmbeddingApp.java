package io.github.activationlab.bench;

import io.github.activationlab.nn.Adam;
import io.github.activationlab.nn.Dense;
import io.github.activationlab.nn.Fit;
import io.github.activationlab.nn.Loss;
import io.github.activationlab.nn.Sequential;
import io.github.activationlab.tf.NativeRuntime;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An application that embeds the library, as a user writes one (its own {@code main}, the core
 * library's public API, no CLI): the XOR MLP compiled and fitted (1000 epochs, XLA). It prints the
 * measurements {@code bench --json} makes for the CLI, as JSON on stdout: {@code
 * process_first_fit_ms} (from the JVM's start to the end of its first fit: TensorFlow's load and
 * settings included), {@code xor_first_fit_ms} (a new model's compile + first fit, once the process
 * is warm: median of 3), {@code xor_fit_xla_us_step} (warm, the bench's rule) and what {@link
 * NativeRuntime} did. Its stderr is TensorFlow's, for bench.sh to count native log lines.
 *
 * <p>{@code java -cp app/target/activation-lab.jar [-Dactivationlab.native.defaults=false]
 * io.github.activationlab.bench.EmbeddingApp [REPEATS]}
 */
public final class EmbeddingApp {
  private EmbeddingApp() {}

  /**
   * Runs the measurements.
   *
   * @param args optionally the timed runs per warm value (default 5)
   */
  public static void main(String[] args) {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    long start = ManagementFactory.getRuntimeMXBean().getStartTime();
    Map<String, Object> r = new LinkedHashMap<>();
    Fit xor = Fit.epochs(1000);
    try (Sequential m = model(7)) {
      m.fit(Bench.X, Bench.XOR, xor);
    }
    r.put("process_first_fit_ms", (double) (System.currentTimeMillis() - start));
    r.put("xor_first_fit_ms", Bench.firstFitMs(3, () -> model(42), Bench.X, Bench.XOR, xor));
    try (Sequential m = model(42)) {
      r.put("xor_fit_xla_us_step", Bench.medianMs(repeats, () -> m.fit(Bench.X, Bench.XOR, xor)));
    }
    NativeRuntime.Status s = NativeRuntime.status();
    r.put("native_applied", s.applied());
    r.put("native_quiet", s.quiet());
    r.put("native_environment", s.environment().toString());
    System.out.println(new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(r));
  }

  private static Sequential model(long seed) {
    return Sequential.of(2, Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid"))
        .compile(Loss.MSE, Adam.learningRate(0.01), seed);
  }
}
