package io.github.activationlab.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.types.family.TFloating;

/**
 * A Keras-like {@code Sequential} model: a chain of layers on one input ({@link Architecture}:
 * layers and their named weights), with everything a {@link Model} does — compile, fit, predict,
 * evaluate, weights and optimizer state in Keras's order, {@code summary()}, Keras 3 {@code .keras}
 * files both ways ({@link #save}, {@link #load}).
 *
 * <pre>{@code
 * double[][] x = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
 * double[][] y = {{0}, {1}, {1}, {0}};
 * try (var xor = Sequential.of(2, Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid"))
 *     .compile(Loss.MSE, Adam.learningRate(0.01), 42)) {
 *   History h = xor.fit(x, y, Fit.epochs(1000)); // batch size 32, shuffled, as Keras
 *   double[][] p = xor.predict(x);
 *   xor.save(Path.of("xor.keras"));
 * }
 * try (var again = Sequential.load(Path.of("xor.keras"))) { ... } // weights and Adam's state
 * }</pre>
 *
 * <p>A Sequential holds a TensorFlow graph and session from {@link #compile} on: close it. {@link
 * #predict} is safe from any number of threads at once; the other methods are for one thread at a
 * time.
 */
public final class Sequential extends Model {

  Sequential(String name, Architecture arch) {
    super(name, arch);
  }

  /**
   * Keras's {@code Sequential([Input(shape=(inputDim,)), *layers])}, named as Keras names new
   * models in a session ({@code sequential}, {@code sequential_1}, ...). Not compiled yet.
   *
   * @param inputDim the number of input columns (positive)
   * @param layers the layers, in order (at least one)
   * @return the model, to be compiled and closed
   * @throws IllegalArgumentException for no layer, a non-positive input width, or a layer that
   *     cannot follow the one before it
   */
  public static Sequential of(int inputDim, Layer... layers) {
    return new Sequential(
        Architecture.uniqueName("sequential"), Architecture.of(inputDim, List.of(layers)));
  }

  /**
   * Keras's {@code Sequential([Input(shape=inputShape), *layers])} on samples of any shape (e.g.
   * {@code [4, 4]} followed by a {@link Flatten}). Not compiled yet.
   *
   * @param inputShape the shape of one sample
   * @param layers the layers, in order (at least one)
   * @return the model, to be compiled and closed
   */
  public static Sequential of(long[] inputShape, Layer... layers) {
    List<Layer> l = List.of(layers);
    return new Sequential(
        Architecture.uniqueName("sequential"),
        Architecture.sequential(inputShape, l, Architecture.names(l)));
  }

  /**
   * A model of this architecture, with the layer names it gives (e.g. read from a Keras file). Not
   * compiled yet.
   *
   * @param name the model's name (Keras's {@code Sequential(name=...)})
   * @param arch the structure (a Sequential chain)
   * @return the model, to be compiled and closed
   * @throws IllegalArgumentException for a Functional structure
   */
  public static Sequential of(String name, Architecture arch) {
    if (!arch.isSequential()) throw new IllegalArgumentException("not a Sequential structure");
    return new Sequential(name, arch);
  }

  @Override
  public Sequential dtype(Class<? extends TFloating> dtype) {
    super.dtype(dtype);
    return this;
  }

  @Override
  public Sequential compile(Loss loss, Optimizer optimizer, long seed, String... metrics) {
    super.compile(loss, optimizer, seed, metrics);
    return this;
  }

  /**
   * A compiled Sequential model from a Keras 3 {@code .keras} file: see {@link Model#load}.
   *
   * @param file the {@code .keras} file
   * @return the compiled model, to be closed
   * @throws IOException if the file cannot be read, or is not a well-formed Keras 3 archive
   * @throws IllegalArgumentException for a model this library cannot build (the message names it),
   *     or a Functional model (use {@link Model#load})
   */
  public static Sequential load(Path file) throws IOException {
    Model m = Model.load(file);
    if (m instanceof Sequential s) return s;
    m.close();
    throw new IllegalArgumentException(
        file + ": a Functional model; load it with Model.load (or Functional.load)");
  }
}
