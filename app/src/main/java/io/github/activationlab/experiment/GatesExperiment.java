package io.github.activationlab.experiment;

import io.github.activationlab.nn.Sequential;
import io.github.activationlab.notebook.NotebookModels;
import io.github.activationlab.notebook.NotebookModels.Spec;
import io.github.activationlab.perceptron.Gates;
import io.github.activationlab.plot.Charts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/**
 * The notebook's Keras gate models ({@link NotebookModels#GATES}), each {@code compile(loss='mse',
 * optimizer=Adam(0.01), metrics=['accuracy'])} and {@code fit(X, y, epochs=1000)}:
 *
 * <pre>
 * or-linear, and-linear     Dense(1, activation='linear')
 * or-sigmoid, and-sigmoid,
 * xor-sigmoid               Dense(1, activation='sigmoid')       -- XOR fails: not separable
 * xor-mlp                   Dense(2, 'sigmoid') -> Dense(1, 'sigmoid')
 * </pre>
 *
 * Charts: gates-linear.png, gates-sigmoid.png, xor-mlp.png: per model, the notebook's 2D scatter
 * (True / False at 0.5) and a heat map of the predicted value with the 0.5 contour.
 */
public final class GatesExperiment {
  private GatesExperiment() {}

  /** What the runs gave, by model name: final loss and accuracy at 0.5. */
  public record Result(double loss, double accuracy, double[][] predictions) {}

  /** One model's run: its result, its two chart panels, what it printed and wrote. */
  private record Trained(
      Spec spec, Result result, List<Object> panels, String printed, List<Path> written) {}

  /**
   * Trains, exports and charts the six models. They are independent: drawn in the notebook's order
   * (so that their names are those of a sequential run), then compiled, fitted, exported and drawn
   * on one thread per core; what each printed is printed once it and the models before it are done,
   * in the notebook's order, and the files are listed in that order too. The results do not depend
   * on the threads: each model has its own session, seed and shuffles.
   */
  public static Map<String, Result> run(Context ctx) throws IOException {
    Charts.warmUpInBackground(); // while TensorFlow loads for the first compile
    List<Spec> specs = NotebookModels.GATES;
    List<Sequential> named = new ArrayList<>();
    for (Spec spec : specs) named.add(spec.sequential());
    Map<String, Result> results = new LinkedHashMap<>();
    Map<String, List<Object>> charts = new LinkedHashMap<>();
    InOrder.run(
        specs.size(),
        i -> trainAndDraw(ctx, specs.get(i), named.get(i)),
        t -> {
          ctx.out.print(t.printed());
          t.written().forEach(ctx::wrote);
          results.put(t.spec().name(), t.result());
          charts.computeIfAbsent(chart(t.spec()), c -> new ArrayList<>()).addAll(t.panels());
        });
    Result single = results.get("xor-sigmoid");
    Result two = results.get("xor-mlp");
    if (two.accuracy() < 1) {
      ctx.out.println(
          "NOTE: with this seed the XOR MLP sits on a plateau (Keras does the same for"
              + " about half the seeds: loss ~0.127 or ~0.168). Try another --seed.");
    }
    ctx.out.printf(
        "XOR: one sigmoid layer loss %.4f (accuracy %.2f) vs Dense(2)->Dense(1) loss"
            + " %.4f (accuracy %.2f)%n",
        single.loss(), single.accuracy(), two.loss(), two.accuracy());
    List<Map.Entry<String, List<Object>>> todo = new ArrayList<>(charts.entrySet());
    List<Path> saved =
        InOrder.run(
            todo.size(),
            i ->
                Charts.save(
                    Charts.grid(todo.get(i).getValue(), 2),
                    ctx.graphs.resolve(todo.get(i).getKey())));
    saved.forEach(ctx::wrote);
    return results;
  }

  private static String chart(Spec spec) {
    return spec.name().endsWith("-linear")
        ? "gates-linear.png"
        : spec.name().equals("xor-mlp") ? "xor-mlp.png" : "gates-sigmoid.png";
  }

  /** One model, on a thread of the pool: compiled, trained, exported, its two panels drawn. */
  private static Trained trainAndDraw(Context ctx, Spec spec, Sequential named) throws IOException {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
    Context mine = ctx.printingTo(out);
    double[] labels = NotebookModels.column(spec.data(ctx.seed).y());
    try (Sequential model = spec.compile(named, ctx.seed)) {
      Result r = train(mine, spec, model);
      List<Object> panels = new ArrayList<>();
      maps(panels, spec.name(), r, NotebookModels.column(model.predict(Gates.grid())), labels);
      panels.replaceAll(p -> BitmapEncoder.getBufferedImage((XYChart) p));
      out.flush();
      return new Trained(spec, r, panels, text.toString(StandardCharsets.UTF_8), mine.written);
    }
  }

  /**
   * A model's two maps over the 101 x 101 grid: the notebook's 2D scatter (True / False at 0.5)
   * and, instead of its 3D scatter, the predicted value as a heat map with the 0.5 contour.
   */
  private static void maps(
      List<Object> panels, String name, Result r, double[] predicted, double[] labels) {
    double[][] grid = Gates.grid();
    // the titles' accuracy counts undecided predictions (0.5 +- 1e-6, rounding noise) as misses,
    // so that a chart does not change from machine to machine
    double accuracy = Charts.decidedAccuracy(NotebookModels.column(r.predictions()), labels);
    panels.add(
        Charts.classMap(
            String.format("predict %s (acc %.2f)", name, accuracy),
            grid,
            predicted,
            0.5,
            Gates.X,
            labels));
    panels.add(
        Charts.decisionMap(
            String.format("%s: predicted value (loss %.4f)", name, r.loss()),
            grid,
            predicted,
            0.5,
            Gates.X,
            labels));
  }

  private static Result train(Context ctx, Spec spec, Sequential model) throws IOException {
    ctx.out.println();
    ctx.out.println("# " + spec.name());
    var data = spec.data(ctx.seed);
    Runs.trainAndExport(
        ctx, spec.name(), model, data.x(), data.y(), spec.fit(ctx.epochs, ctx.seed), probe());
    double[] eval = model.evaluate(data.x(), data.y());
    double[][] p = model.predict(data.x());
    long undecided = java.util.Arrays.stream(p).filter(r -> Charts.side(r[0], 0.5) == 0).count();
    ctx.out.printf(
        "predictions on (0,0),(1,0),(0,1),(1,1): %s; accuracy at 0.5: %.2f%s%n",
        Runs.fmt(p),
        eval[1],
        undecided == 0
            ? ""
            : String.format(
                " (%d of %d predictions within" + " %.0e of 0.5: rounding noise, not classes)",
                undecided, p.length, Charts.UNDECIDED));
    return new Result(eval[0], eval[1], p);
  }

  /** The probe recorded in run.json: an 11 x 11 grid over [0,1]^2 (the 4 corners included). */
  static double[][] probe() {
    double[][] g = new double[121][];
    int k = 0;
    for (int i = 0; i <= 10; i++) {
      for (int j = 0; j <= 10; j++) g[k++] = new double[] {i / 10.0, j / 10.0};
    }
    return g;
  }
}
