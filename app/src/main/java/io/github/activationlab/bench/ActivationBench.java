package io.github.activationlab.bench;

import io.github.activationlab.activation.Activations;
import io.github.activationlab.activation.CompiledActivation;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Bench section 3: activations end to end on float[] — the plain TF graph (one TF kernel per op)
 * and {@link CompiledActivation} (the same graph compiled by XLA), warm and first call.
 */
final class ActivationBench {
  private ActivationBench() {}

  /** Timed runs of the activation rows: at least this many (each a few ms). */
  static final int ACTIVATION_REPEATS = 21;

  /**
   * 3. Activations on 1,000,000 values and on a 1024 x 1024 image, end to end; the median of at
   * least {@link #ACTIVATION_REPEATS} runs (with TF_ENABLE_ONEDNN_OPTS=0 some calls stall on
   * allocating the 4 MB tensors; a median of few runs would be a lottery).
   */
  static void activations(Map<String, Double> r, int runs, int fresh, PrintStream log) {
    int repeats = Math.max(runs, ACTIVATION_REPEATS);
    for (String name : List.of("relu", "sigmoid", "tanh", "elu")) {
      for (int n : new int[] {1_000_000, 1024 * 1024}) {
        String tag = "act_" + name + "_" + (n == 1_000_000 ? "1m" : "img");
        float[] in = activationInput(n);
        r.put(tag + "_graph_ms", graphActivationMs(name, in, repeats));
        if (n == 1_000_000) r.put(tag + "_xla_first_ms", xlaActivationFirstMs(name, in, fresh));
        r.put(tag + "_xla_ms", xlaActivationMs(name, in, repeats));
      }
    }
    log.println("bench: activations done");
  }

  /** The activations' input: n Gaussian values, sd 3 (the same in every row). */
  static float[] activationInput(int n) {
    float[] in = new float[n];
    Random rnd = new Random(1);
    for (int i = 0; i < n; i++) in[i] = (float) (rnd.nextGaussian() * 3);
    return in;
  }

  /**
   * ms for: float[] -> tensor (bulk copy) -> the activation's plain TF graph (TF's kernels, one per
   * op) -> tensor -> float[].
   */
  static double graphActivationMs(String name, float[] in, int repeats) {
    int n = in.length;
    float[] out = new float[n];
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> xp = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      var yOp = Activations.get(name).call(tf, xp);
      return Bench.medianMs(
          repeats,
          () -> {
            try (TFloat32 t = TFloat32.tensorOf(Shape.of(n), DataBuffers.of(in, true, false));
                Result res = s.runner().feed(xp, t).fetch(yOp).run()) {
              ((TFloat32) res.get(0)).asRawTensor().data().asFloats().read(out);
            }
          });
    }
  }

  /** ms for the same, through {@link CompiledActivation} (the graph compiled by XLA). */
  static double xlaActivationMs(String name, float[] in, int repeats) {
    float[] out = new float[in.length];
    try (CompiledActivation a = CompiledActivation.of(name)) {
      return Bench.medianMs(repeats, () -> a.apply(in, out));
    }
  }

  /** ms of a fresh {@link CompiledActivation}: build, XLA compile, first call (median of n). */
  static double xlaActivationFirstMs(String name, float[] in, int n) {
    float[] out = new float[in.length];
    return Bench.medianColdMs(
        n,
        () -> {
          try (CompiledActivation a = CompiledActivation.of(name)) {
            a.apply(in, out);
          }
        });
  }
}
