package io.github.activationlab.experiment;

import io.github.activationlab.nn.Adam;
import io.github.activationlab.nn.Dense;
import io.github.activationlab.nn.Fit;
import io.github.activationlab.nn.Loss;
import io.github.activationlab.nn.Sequential;
import io.github.activationlab.plot.Charts;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * "Can ReLU get non-linear features?": q_X = -10 + i/100 (i = 0..2000), q_y = x^2 + 10 N(0,1)
 * (seeded), fitted by
 *
 * <pre>
 * relu-parallel   Dense(6, 'relu') -> Dense(1)                     19 params
 * relu-serial     Dense(2, 'relu') x3 -> Dense(1)                  19 params
 * </pre>
 *
 * each with mse, Adam(0.005), batch_size 32, 100 epochs. Reports the MSE against the noiseless
 * x^2. Chart: relu-fit.png.
 */
public final class ReluFitExperiment {
  private ReluFitExperiment() {}

  public record Result(double loss, double mseVsTruth) {}

  public static Map<String, Result> run(Context ctx) throws IOException {
    int n = 2001;
    double[][] q = new double[n][1];
    double[][] qy = new double[n][1];
    double[] xs = new double[n];
    double[] noisy = new double[n];
    double[] truth = new double[n];
    Random rnd = new Random(ctx.seed);
    for (int i = 0; i < n; i++) {
      xs[i] = q[i][0] = -10 + i / 100.0;
      truth[i] = xs[i] * xs[i];
      noisy[i] = qy[i][0] = truth[i] + 10 * rnd.nextGaussian();
    }
    Fit fit = Fit.epochs(ctx.epochs(100)).batchSize(32).seed(ctx.seed);
    Map<String, Result> results = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    List<double[]> fits = new ArrayList<>();
    Map<String, Sequential> models = new LinkedHashMap<>();
    models.put("relu-parallel", Sequential.of(1, Dense.of(6, "relu"), Dense.of(1)));
    models.put("relu-serial", Sequential.of(1, Dense.of(2, "relu"), Dense.of(2, "relu"), Dense.of(2, "relu"), Dense.of(1)));
    for (var e : models.entrySet()) {
      try (Sequential model = e.getValue().compile(Loss.MSE, Adam.learningRate(0.005), ctx.seed)) {
        ctx.out.println();
        ctx.out.println("# " + e.getKey());
        var t = Runs.trainAndExport(ctx, e.getKey(), model, q, qy, fit, q);
        double mse = 0;
        double[] pred = new double[n];
        for (int i = 0; i < n; i++) {
          pred[i] = t.probeY()[i][0];
          mse += (pred[i] - truth[i]) * (pred[i] - truth[i]) / n;
        }
        ctx.out.printf("MSE against the noiseless x^2: %.1f (the noise alone gives ~100 against the data)%n", mse);
        results.put(e.getKey(), new Result(t.history().finalLoss(), mse));
        names.add(String.format("%s (MSE vs x^2: %.1f)", e.getKey(), mse));
        fits.add(pred);
      }
    }
    Result p = results.get("relu-parallel");
    Result s = results.get("relu-serial");
    ctx.out.printf("%s fits x^2 better here (MSE %.1f vs %.1f). Over seeds this varies: in Keras the serial"
        + " net often ends with every ReLU dead (a constant output).%n",
        p.mseVsTruth() <= s.mseVsTruth() ? "relu-parallel" : "relu-serial", p.mseVsTruth(), s.mseVsTruth());
    ctx.wrote(Charts.save(Charts.regression("ReLU networks fitting x^2 (2001 points, Adam 0.005, batch 32)",
        xs, noisy, truth, names, fits), ctx.graphs.resolve("relu-fit.png")));
    return results;
  }
}
