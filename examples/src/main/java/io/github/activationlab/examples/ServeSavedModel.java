package io.github.activationlab.examples;

import io.github.activationlab.savedmodel.Predictor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A SavedModel served through {@link Predictor}: {@code data/keras-xor-savedmodel} is Keras's
 * {@code model.export()} of an XOR MLP (TensorFlow Serving's layout: a numbered version directory),
 * loaded once and shared by several threads, as a server would.
 *
 * <p>Expected output:
 *
 * <pre>
 * keras-xor-savedmodel/1: features float32 [-1, 2] -> output_0
 * predictions: [0.052, 0.953, 0.947, 0.069]
 * 4 threads x 1000 predictions: all equal to the first
 * </pre>
 */
public final class ServeSavedModel {
  private ServeSavedModel() {}

  public static double[][] runExample(Path savedModel, int requests) throws Exception {
    double[][] x = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
    try (Predictor model = Predictor.load(savedModel)) {
      System.out.println(savedModel.getFileName() + "/1: " + model.describe());
      double[][] first = model.predict(x);
      System.out.println("predictions: " + Examples.column(first));
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        Future<?>[] clients = new Future<?>[4];
        for (int t = 0; t < clients.length; t++) {
          clients[t] =
              pool.submit(
                  () -> {
                    for (int i = 0; i < requests; i++) {
                      if (!java.util.Arrays.deepEquals(model.predict(x), first)) {
                        throw new IllegalStateException("a concurrent prediction differed");
                      }
                    }
                    return null;
                  });
        }
        for (Future<?> c : clients) c.get();
      } finally {
        pool.shutdown();
      }
      System.out.printf("4 threads x %d predictions: all equal to the first%n", requests);
      return first;
    }
  }

  public static void main(String[] args) throws Exception {
    runExample(Examples.data("keras-xor-savedmodel"), 1000);
  }
}
