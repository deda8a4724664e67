package io.github.activationlab.experiment;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The whole notebook, in its order — activations (table, gallery, SavedModel), the perceptron, the
 * Keras gate models, the ReLU fits of x^2, how reliable each activation is over many seeds ({@link
 * SeedLottery}) — then a summary of what was written where and how long it took.
 */
public final class Notebook {
  private Notebook() {}

  public static void run(Context ctx) throws IOException {
    long start = System.nanoTime();
    ctx.out.println("Ready to activate?");
    section(ctx, "Activation functions (TensorFlow ops, float32; f' by autodiff)");
    new ActivationsExperiment(null, ctx).run();
    section(ctx, "The perceptron (plain Java, binary step)");
    PerceptronExperiment.run(ctx);
    section(ctx, "Logic gates with Keras-style models (mse, Adam 0.01)");
    GatesExperiment.run(ctx);
    section(ctx, "Can ReLU get non-linear features? (x^2 + noise)");
    ReluFitExperiment.run(ctx);
    section(ctx, "How reliable is each activation? (many seeds of xor-mlp and relu-serial)");
    SeedLottery.run(ctx);
    ctx.out.println();
    ctx.out.printf(
        "== Summary: %d files and models in %.1f s ==%n",
        ctx.written.size(), (System.nanoTime() - start) / 1e9);
    Path cwd = Path.of("").toAbsolutePath();
    for (Path p : ctx.written) {
      Path abs = p.toAbsolutePath();
      ctx.out.println("  " + (abs.startsWith(cwd) ? cwd.relativize(abs) : abs));
    }
  }

  private static void section(Context ctx, String title) {
    ctx.out.println();
    ctx.out.println("== " + title + " ==");
  }
}
