package io.github.activationlab.examples;

import io.github.activationlab.nn.Adam;
import io.github.activationlab.nn.Dense;
import io.github.activationlab.nn.Fit;
import io.github.activationlab.nn.History;
import io.github.activationlab.nn.Loss;
import io.github.activationlab.nn.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The notebook's XOR MLP — Dense(2, sigmoid) -> Dense(1, sigmoid), mse, Adam(0.01), 1000 epochs —
 * written as the README shows it (the network, its training configuration, the fit, the save), then
 * reloaded from its {@code .keras} file and trained on: Adam continues from step 1000.
 *
 * <p>Expected output (seed 42):
 *
 * <pre>
 * Model: "sequential"
 * ... (Keras's summary: two Dense layers, 9 params)
 * final loss 0.0034, predictions [[0.058...], [0.943...], [0.943...], [0.062...]]
 * reloaded xor.keras: Adam at step 1000, loss 0.0034; 200 more epochs: step 1200, loss 0.0021
 * </pre>
 */
public final class XorMlp {
  private XorMlp() {}

  /** What the reloaded file holds and gives. */
  public record Result(long stepsSaved, double[][] predictions, long stepsAfter, double lossAfter) {}

  public static Result runExample(Path dir) throws IOException {
    // the data: the XOR gate
    double[][] x = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
    double[][] y = {{0}, {1}, {1}, {0}};

    // the network, its training configuration, the fit and the save: the README's snippet
    try (var xor = Sequential.of(2, Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid"))
            .compile(Loss.MSE, Adam.learningRate(0.01), /* seed */ 42)) {
      System.out.print(xor.summary());                 // Keras's layout, 9 params
      History h = xor.fit(x, y, Fit.epochs(1000));     // batch_size 32, shuffle, as Keras
      double[][] p = xor.predict(x);
      xor.save(dir.resolve("xor.keras"));              // a Keras 3 file, Adam's state included
      System.out.printf("final loss %.4f, predictions %s%n", h.finalLoss(), Arrays.deepToString(p));
    }

    // the file holds the weights, the loss and Adam's state: training goes on where it stopped
    try (Sequential m = Sequential.load(dir.resolve("xor.keras"))) {
      long saved = m.optimizerState().iterations();
      double[][] p = m.predict(x);
      double loss = m.evaluate(x, y)[0];
      History more = m.fit(x, y, Fit.epochs(200));
      long after = m.optimizerState().iterations();
      System.out.printf(
          "reloaded xor.keras: Adam at step %d, loss %.4f; 200 more epochs: step %d, loss %.4f%n",
          saved, loss, after, more.finalLoss());
      return new Result(saved, p, after, more.finalLoss());
    }
  }

  public static void main(String[] args) throws IOException {
    runExample(Files.createTempDirectory("xor-mlp"));
  }
}
