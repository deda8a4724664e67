package io.github.activationlab.experiment;

import io.github.activationlab.nn.Sequential;
import io.github.activationlab.notebook.NotebookModels;
import io.github.activationlab.notebook.NotebookModels.Spec;
import io.github.activationlab.plot.Charts;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "Can ReLU get non-linear features?": q_X = -10 + i/100 (i = 0..2000), q_y = x^2 + 10 N(0,1)
 * (seeded), fitted by ({@link NotebookModels#RELU_FITS})
 *
 * <pre>
 * relu-parallel   Dense(6, 'relu') -> Dense(1)                     19 params
 * relu-serial     Dense(2, 'relu') x3 -> Dense(1)                  19 params
 * </pre>
 *
 * each with mse, Adam(0.005), batch_size 32, 100 epochs. Reports the MSE against the noiseless x^2.
 * Chart: relu-fit.png.
 */
public final class ReluFitExperiment {
  private ReluFitExperiment() {}

  public record Result(double loss, double mseVsTruth) {}

  public static Map<String, Result> run(Context ctx) throws IOException {
    Map<String, Result> results = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    List<double[]> fits = new ArrayList<>();
    NotebookModels.Data data = null;
    for (Spec spec : NotebookModels.RELU_FITS) {
      data = spec.data(ctx.seed);
      try (Sequential model = spec.build(ctx.seed)) {
        ctx.out.println();
        ctx.out.println("# " + spec.name());
        var t =
            Runs.trainAndExport(
                ctx,
                spec.name(),
                model,
                data.x(),
                data.y(),
                spec.fit(ctx.epochs, ctx.seed),
                data.x());
        double[] pred = NotebookModels.column(t.probeY());
        double mse = mse(pred, NotebookModels.column(data.truth()));
        ctx.out.printf(
            "MSE against the noiseless x^2: %.1f (the noise alone gives ~100 against"
                + " the data)%n",
            mse);
        results.put(spec.name(), new Result(t.history().finalLoss(), mse));
        names.add(String.format("%s (MSE vs x^2: %.1f)", spec.name(), mse));
        fits.add(pred);
      }
    }
    Result p = results.get("relu-parallel");
    Result s = results.get("relu-serial");
    ctx.out.printf(
        "%s fits x^2 better here (MSE %.1f vs %.1f). Over seeds this varies: in Keras"
            + " the serial net often ends with every ReLU dead (a constant output).%n",
        p.mseVsTruth() <= s.mseVsTruth() ? "relu-parallel" : "relu-serial",
        p.mseVsTruth(),
        s.mseVsTruth());
    ctx.wrote(
        Charts.save(
            Charts.regression(
                "ReLU networks fitting x^2 (2001 points, Adam 0.005, batch 32)",
                NotebookModels.column(data.x()),
                NotebookModels.column(data.y()),
                NotebookModels.column(data.truth()),
                names,
                fits),
            ctx.graphs.resolve("relu-fit.png")));
    return results;
  }

  /** Mean squared difference. */
  static double mse(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]) / a.length;
    return s;
  }
}
