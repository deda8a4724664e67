package io.github.activationlab.experiment;

import io.github.activationlab.plot.SweepCharts;
import io.github.activationlab.sweep.SweepResults;
import io.github.activationlab.sweep.SweepResults.Sweep;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "How reliable is each activation?": the notebook draws its conclusions from one run each, and
 * they hang on the seed (in Keras the XOR MLP solves XOR for 5 of 10 seeds; relu-serial ends with
 * every ReLU dead for 5 of 10). Here xor-mlp and relu-serial are trained for hundreds of seeds with
 * each of the notebook's trainable activations ({@link Sweeps}: all seeds of an activation in one
 * XLA op), and each activation gets its solved rate with a 95% interval, its final-loss
 * distribution, dead units and collapsed outputs. Charts: sweep-xor-mlp.png, sweep-relu-serial.png.
 */
public final class SeedLottery {
  private SeedLottery() {}

  /** The notebook's element-wise activations that gradient descent can train (not binary_step). */
  public static final List<String> NOTEBOOK_TRAINABLE =
      List.of("linear", "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu");

  /**
   * The models of the notebook's section and their seeds. A relu-serial seed costs about ten times
   * an xor-mlp seed (6300 steps of 32 samples through three hidden layers against 1000 steps of 4
   * through one), so it gets fewer seeds, to keep the main job short.
   */
  public static final Map<String, Integer> NOTEBOOK_SEEDS =
      orderedMap("xor-mlp", 300, "relu-serial", 100);

  /** The models of the notebook's section. */
  public static final List<String> NOTEBOOK_MODELS = List.copyOf(NOTEBOOK_SEEDS.keySet());

  private static Map<String, Integer> orderedMap(String k1, int v1, String k2, int v2) {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return Collections.unmodifiableMap(m);
  }

  /**
   * The notebook's section: many seeds ({@link #NOTEBOOK_SEEDS}) of xor-mlp and relu-serial with
   * each of the notebook's trainable element-wise activations; tables, and one chart per model.
   */
  public static void run(Context ctx) throws IOException {
    run(ctx, NOTEBOOK_SEEDS, NOTEBOOK_TRAINABLE);
  }

  /** The section for these models (and their seeds) and activations. */
  static void run(Context ctx, Map<String, Integer> models, List<String> activations)
      throws IOException {
    long t0 = System.nanoTime();
    long cpu0 = Sweeps.cpuNanos();
    ctx.out.println(
        "One run per model says little: the same model solves its task for some seeds and not for"
            + " others. Many seeds of each, all seeds of an activation trained in one XLA op:");
    for (var m : models.entrySet()) {
      Sweeps.Plan p =
          Sweeps.plan(
              m.getKey(),
              activations,
              ctx.seed,
              m.getValue(),
              ctx.epochs,
              null,
              null,
              Sweeps.defaultThreads());
      Sweep s = Sweeps.run(p, null);
      ctx.out.println();
      Sweeps.printHeader(p, ctx.out);
      SweepResults.printTable(s, ctx.out);
      ctx.out.println(SweepResults.throughput(s));
      ctx.wrote(SweepCharts.save(s, ctx.graphs));
    }
    ctx.out.printf(
        "(this section: %.1f s wall, %.1f s CPU)%n",
        (System.nanoTime() - t0) / 1e9, (Sweeps.cpuNanos() - cpu0) / 1e9);
  }
}
