package io.github.activationlab.experiment;

import io.github.activationlab.nn.Fit;
import io.github.activationlab.nn.History;
import io.github.activationlab.nn.Sequential;
import io.github.activationlab.notebook.NotebookModels;
import io.github.activationlab.savedmodel.ModelExport;
import io.github.activationlab.savedmodel.RunRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The machinery under the experiments: train a model, export it with its run.json. */
public final class Runs {
  private Runs() {}

  record Trained(History history, double[][] probeY) {}

  /**
   * Prints the summary, fits, exports {@code models/<name>/} (SavedModel and run.json) and {@code
   * models/<name>.keras} (the trainable model with Adam's state), returns the history.
   */
  static Trained trainAndExport(
      Context ctx,
      String name,
      Sequential model,
      double[][] x,
      double[][] y,
      Fit fit,
      double[][] probe)
      throws IOException {
    ctx.out.print(model.summary());
    List<double[]> initial = model.getWeights();
    long t0 = System.nanoTime();
    History h = model.fit(x, y, fit);
    double ms = (System.nanoTime() - t0) / 1e6;
    double[][] probeY = model.predict(probe);
    ctx.out.printf(
        "%s: %d epochs in %.0f ms, final loss %.4f%n", name, fit.epochs(), ms, h.finalLoss());
    ctx.wrote(
        ModelExport.export(
                model,
                new RunRecord(
                    name, model, fit, x, y, initial, model.getWeights(), h, probe, probeY),
                ctx.models.resolve(name),
                ctx.force)
            .getParent());
    Path keras = ctx.models.resolve(name + ".keras");
    model.save(keras, ctx.force);
    ctx.wrote(keras);
    return new Trained(h, probeY);
  }

  /**
   * Trains every model of {@link NotebookModels#all()} (the notebook's and the extras) and exports
   * each with its run.json, quietly and without charts; returns the names.
   */
  public static List<String> exportAll(Context ctx) throws IOException {
    Context quiet =
        new Context(
            new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
            ctx.models,
            ctx.graphs,
            ctx.force,
            ctx.seed,
            ctx.epochs,
            null);
    for (NotebookModels.Spec spec : NotebookModels.all()) {
      var data = spec.data(ctx.seed);
      try (Sequential model = spec.build(ctx.seed)) {
        trainAndExport(
            quiet,
            spec.name(),
            model,
            data.x(),
            data.y(),
            spec.fit(ctx.epochs, ctx.seed),
            spec.regression() ? data.x() : GatesExperiment.probe());
      }
      ctx.wrote(ctx.models.resolve(spec.name()));
    }
    return NotebookModels.names(NotebookModels.all());
  }

  static String fmt(double[][] rows) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < rows.length; i++)
      b.append(i > 0 ? ", " : "").append(String.format("%.3f", rows[i][0]));
    return b.toString();
  }
}
