package io.github.activationlab.experiment;

import io.github.activationlab.perceptron.Gates;
import io.github.activationlab.perceptron.Perceptron;
import io.github.activationlab.perceptron.TfPerceptron;
import io.github.activationlab.plot.Charts;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The notebook's perceptron section: the hand-written perceptron (binary step, perceptron rule,
 * learning rate 0.01, 1000 epochs) on OR and AND; it fails on XOR, and succeeds on XOR given the
 * x1*x2 feature. The same rule as TF ops gives the same weights. Chart: perceptron-gates.png.
 */
public final class PerceptronExperiment {
  private PerceptronExperiment() {}

  public static void run(Context ctx) throws IOException {
    int epochs = ctx.epochs(1000);
    double[][] grid = Gates.grid();
    List<Object> panels = new ArrayList<>();
    for (var gate :
        List.of(
            new Object[] {"OR", Gates.OR},
            new Object[] {"AND", Gates.AND},
            new Object[] {"XOR", Gates.XOR})) {
      String name = (String) gate[0];
      double[] labels = (double[]) gate[1];
      Perceptron p = new Perceptron(2, ctx.seed);
      ctx.out.printf("# %s gate %s%n", name, Arrays.toString(labels));
      p.train(Gates.X, labels, epochs, ctx.out);
      ctx.out.printf("(array(%s), array([%s]))%n", Arrays.toString(p.weights()), p.bias());
      panels.add(
          Charts.decisionMap(
              "perceptron: " + name + " (accuracy " + p.accuracy(Gates.X, labels) + ")",
              grid,
              p.predict(grid),
              0.5,
              Gates.X,
              labels));
    }
    ctx.out.println("XOR is not linearly separable: one perceptron cannot reach accuracy 1.0.");

    Perceptron xor3 = new Perceptron(3, ctx.seed);
    ctx.out.println("# XOR gate with the x1*x2 feature (the notebook's \"quadratic polynomial\")");
    xor3.train(Gates.X_WITH_PRODUCT, Gates.XOR, epochs, ctx.out);
    ctx.out.printf("(array(%s), array([%s]))%n", Arrays.toString(xor3.weights()), xor3.bias());
    double[][] grid3 =
        Arrays.stream(grid)
            .map(g -> new double[] {g[0], g[1], g[0] * g[1]})
            .toArray(double[][]::new);
    panels.add(
        Charts.decisionMap(
            "perceptron: XOR with x1*x2 (accuracy "
                + xor3.accuracy(Gates.X_WITH_PRODUCT, Gates.XOR)
                + ")",
            grid,
            xor3.predict(grid3),
            0.5,
            Gates.X,
            Gates.XOR));

    // the reference check: the same rule as TensorFlow ops, from the same start
    Perceptron start = new Perceptron(2, ctx.seed);
    Perceptron java = new Perceptron(2, ctx.seed);
    java.train(Gates.X, Gates.OR, epochs, null);
    double[] tf =
        TfPerceptron.train(start.weights(), start.bias(), 0.01, Gates.X, Gates.OR, epochs);
    boolean same = Arrays.equals(java.weights(), Arrays.copyOf(tf, 2)) && java.bias() == tf[2];
    ctx.out.println(
        "TF-ops perceptron (OR, same start): "
            + (same ? "identical weights" : "DIFFERENT weights " + Arrays.toString(tf)));
    if (!same)
      throw new IllegalStateException("the TF perceptron differs from the plain-Java reference");
    ctx.wrote(Charts.save(Charts.grid(panels, 2), ctx.graphs.resolve("perceptron-gates.png")));
  }
}
