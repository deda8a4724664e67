package io.github.activationlab.examples;

import io.github.activationlab.nn.Fit;
import io.github.activationlab.nn.Sequential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model written by Keras loaded in Java with its weights, loss and Adam's state, used to
 * predict, trained on from Keras's step 100 and saved for Keras to open again — the README's "Keras
 * files" snippet. {@code data/xor.keras} is that section's Python snippet run as written with Keras
 * 3.15 ({@code data/make_xor_keras.py}): Dense(2, tanh) -> Dense(1, sigmoid), binary cross-entropy,
 * Adam(0.05), 100 epochs. In Keras this seed ends at tanh's saddle, undecided (0.5) on two of the
 * four inputs; 200 more epochs in Java push the decided two further and stay at the saddle, as
 * Keras's own 200 would (the cross-check's row 6 compares Java's continued training with
 * Keras's).
 *
 * <p>Expected output:
 *
 * <pre>
 * xor.keras: sequential, 2 -> 1, loss binary_crossentropy, Adam(lr 0.05) at step 100
 * Keras's predictions, in Java: [0.007, 0.994, 0.497, 0.501]
 * xor-more.keras: Adam at step 300, predictions [0.002, 0.999, 0.499, 0.500]
 * </pre>
 */
public final class KerasFile {
  private KerasFile() {}

  /** What the example computed. */
  public record Result(
      double[][] kerasPredictions, long stepsBefore, double[][] predictionsAfter, long stepsAfter) {}

  public static Result runExample(Path dir, Path kerasFile) throws IOException {
    double[][] x = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
    double[][] y = {{0}, {1}, {1}, {0}};
    Files.copy(kerasFile, dir.resolve("xor.keras"));

    // what Keras wrote
    double[][] before;
    long stepsBefore;
    try (Sequential m = Sequential.load(dir.resolve("xor.keras"))) {
      stepsBefore = m.optimizerState().iterations();
      System.out.printf(
          "xor.keras: %s, %d -> %d, loss %s, Adam(lr %s) at step %d%n",
          m.name(),
          m.inputDim(),
          m.outputDim(),
          m.loss().kerasName,
          (float) m.optimizer().learningRate(),
          stepsBefore);
      before = m.predict(x);
      System.out.println("Keras's predictions, in Java: " + Examples.column(before));
    }

    // the README's snippet
    try (Sequential m = Sequential.load(dir.resolve("xor.keras"))) {   // weights, loss, Adam and its m, v
      m.fit(x, y, Fit.epochs(200));                                      // Adam goes on from step 100
      m.save(dir.resolve("xor-more.keras"));                             // keras.saving.load_model opens it
    }

    try (Sequential m = Sequential.load(dir.resolve("xor-more.keras"))) {
      long stepsAfter = m.optimizerState().iterations();
      double[][] after = m.predict(x);
      System.out.printf(
          "xor-more.keras: Adam at step %d, predictions %s%n", stepsAfter, Examples.column(after));
      return new Result(before, stepsBefore, after, stepsAfter);
    }
  }

  public static void main(String[] args) throws IOException {
    runExample(Files.createTempDirectory("keras-file"), Examples.data("xor.keras"));
  }
}
