package io.github.activationlab.nn;

import io.github.activationlab.files.AtomicFiles;
import io.github.activationlab.internal.keras.KerasFiles;
import io.github.activationlab.internal.tf.Arrays2;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * A Keras-like {@code Sequential} model: its structure ({@link Architecture}: layers and their
 * named weights), {@code compile} (loss, Adam, seed), {@code fit}, {@code predict}, {@code
 * evaluate}, weights and optimizer state in Keras's order, and {@code summary()}.
 *
 * <pre>{@code
 * try (var xor = Sequential.of(2, Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid"))
 *     .compile(Loss.MSE, Adam.learningRate(0.01), 42)) {
 *   History h = xor.fit(x, y, Fit.epochs(1000));
 * }
 * }</pre>
 *
 * <p>As Keras splits it: the model here; the graph it compiles to in {@link ModelGraph}; how {@code
 * fit} runs in {@link Trainer} ({@link Batching}, {@link TrainStep}, {@link FusedFit}, {@link
 * Adam}); the printout in {@link Summary}. Every native object is closed by {@link #close()}.
 */
public final class Sequential implements AutoCloseable {
  private final String name;
  private final Architecture arch;
  private Class<? extends TFloating> dtype = TFloat32.class;
  private Loss loss;
  private Adam adam;
  private long seed;
  private List<double[]> initialWeights;
  private volatile ModelGraph graph;
  private String notTrainable;

  /** predict holds it shared, close exclusively: close waits for running predictions. */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  private volatile boolean closed;

  private Sequential(String name, Architecture arch) {
    this.name = name;
    this.arch = arch;
  }

  /** {@code Sequential([Input(shape=(inputDim,)), *layers])}. */
  public static Sequential of(int inputDim, Layer... layers) {
    return new Sequential(
        Architecture.uniqueName("sequential"), Architecture.of(inputDim, List.of(layers)));
  }

  /** A model of this architecture (layer names as given, e.g. read from a Keras file). */
  public static Sequential of(String name, Architecture arch) {
    return new Sequential(name, arch);
  }

  /** The dtype of weights and computation (float32 by default; float64 on request). */
  public Sequential dtype(Class<? extends TFloating> dtype) {
    if (graph != null) throw new IllegalStateException("set the dtype before compile");
    this.dtype = dtype;
    return this;
  }

  /**
   * Builds the graph and initialises the weights from {@code seed} (glorot_uniform kernels, zero
   * biases, drawn in plain Java: the same seed gives bit-identical weights in any run).
   */
  public Sequential compile(Loss loss, Adam adam, long seed) {
    if (graph != null) throw new IllegalStateException("already compiled");
    this.loss = loss;
    this.adam = adam;
    this.seed = seed;
    graph = new ModelGraph(arch, dtype, loss, adam);
    try {
      initialWeights = arch.initialWeights(new SplittableRandom(seed));
      graph.setWeights(initialWeights);
      graph.resetOptimizer();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    return this;
  }

  public String name() {
    return name;
  }

  public Architecture architecture() {
    return arch;
  }

  public int inputDim() {
    return arch.inputDim();
  }

  public int outputDim() {
    return arch.outputDim();
  }

  public List<Layer> layers() {
    return arch.layers();
  }

  /** Keras-style layer names ({@code dense}, {@code dense_1}, ...). */
  public List<String> layerNames() {
    return arch.layerNames();
  }

  public Loss loss() {
    return loss;
  }

  public Adam optimizer() {
    return adam;
  }

  public long seed() {
    return seed;
  }

  public Class<? extends TFloating> dtype() {
    return dtype;
  }

  /** The weights the model was compiled with (Keras's order), before any training. */
  public List<double[]> initialWeights() {
    return initialWeights;
  }

  /** Number of parameters. */
  public long countParams() {
    return arch.countParams();
  }

  /** The shapes of {@link #getWeights()}. */
  public List<long[]> weightShapes() {
    return arch.shapes();
  }

  /** The model as Keras 2 printed it in the notebook (Layer (type), Output Shape, Param #). */
  public String summary() {
    return Summary.of(name, arch);
  }

  private ModelGraph compiled() {
    ModelGraph g = graph;
    if (closed) throw new IllegalStateException("closed");
    if (g == null) throw new IllegalStateException("compile the model first");
    return g;
  }

  /** Sets the weights, in Keras's {@code get_weights()} order (kernels row-major [in, out]). */
  public void setWeights(List<double[]> values) {
    compiled().setWeights(values);
  }

  /** The weights, in Keras's {@code get_weights()} order (kernels row-major [in, out]). */
  public List<double[]> getWeights() {
    return compiled().getWeights();
  }

  /** Marks a model loaded for prediction only ({@code why}), or trainable again (null). */
  void notTrainable(String why) {
    this.notTrainable = why;
  }

  /** Why this model cannot be trained (a Keras file's unsupported loss...), or null. */
  public String whyNotTrainable() {
    return notTrainable;
  }

  /**
   * Writes the model as a Keras 3 {@code .keras} file (architecture, weights, compile config,
   * Adam's state) that {@code keras.saving.load_model} opens as a compiled model; see {@link
   * KerasModels}. Written with {@link AtomicFiles#write}: a temporary sibling, fsynced, moved into
   * place in one step, so the file is always absent, old or new; an existing file is refused by
   * that step unless {@code force} (of two concurrent savers without it exactly one wins), and
   * replaced atomically with it. The file's mode follows the umask (644 under 022).
   */
  public void save(Path file, boolean force) throws IOException {
    var keras = KerasModels.toKeras(this);
    AtomicFiles.write(file, force, out -> KerasFiles.write(keras, out));
  }

  /** {@link #save(Path, boolean)}, replacing an existing file. */
  public void save(Path file) throws IOException {
    save(file, true);
  }

  /** A compiled model from a Keras 3 {@code .keras} file, with its optimizer state. */
  public static Sequential load(Path file) throws IOException {
    return KerasModels.load(file);
  }

  /** Adam's state: iterations, and m and v per weight in {@link #getWeights()} order. */
  public Adam.Values optimizerState() {
    return compiled().optimizerState();
  }

  /** Restores Adam's state (e.g. from a Keras file), so training continues where it stopped. */
  public void setOptimizerState(Adam.Values state) {
    compiled().setOptimizerState(state);
  }

  /**
   * y_pred for the rows of {@code input}. Thread-safe: any number of threads may predict with one
   * model at once (each call is its own TensorFlow session run), and {@link #close()} waits for the
   * running calls; after it, predict throws {@link IllegalStateException} ("closed"). (The other
   * methods — fit, setWeights, evaluate... — are for one thread at a time, not concurrent with
   * close.)
   */
  public double[][] predict(double[][] input) {
    lock.readLock().lock();
    try {
      ModelGraph g = compiled();
      try (Tensor xt = matrix(input, inputDim(), "x")) {
        return rows(g.predict(xt), outputDim());
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * y_pred for {@code rows} rows held row-major in the first {@code rows * inputDim()} values of
   * {@code flat}; row-major outputs. No per-row arrays: for streaming many rows.
   */
  public double[] predict(double[] flat, int rows) {
    lock.readLock().lock();
    try {
      ModelGraph g = compiled();
      int n = Math.multiplyExact(rows, inputDim());
      double[] x = flat.length == n ? flat : Arrays.copyOf(flat, n);
      for (int i = 0; i < n; i++) {
        if (Double.isNaN(x[i])) {
          throw new IllegalArgumentException("x row " + (i / inputDim()) + " has NaN");
        }
      }
      try (Tensor xt = Arrays2.tensor(dtype, Shape.of(rows, inputDim()), x)) {
        return g.predict(xt);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** {@code [loss, accuracy]} on the given data, as Keras's {@code evaluate}. */
  public double[] evaluate(double[][] input, double[][] target) {
    ModelGraph g = compiled();
    try (Tensor xt = matrix(input, inputDim(), "x");
        Tensor yt = matrix(target, outputDim(), "y")) {
      return g.evaluate(xt, yt);
    }
  }

  /** d loss / d weights on the given data (Keras's order), by TF autodiff. */
  public List<double[]> gradients(double[][] input, double[][] target) {
    ModelGraph g = compiled();
    try (Tensor xt = matrix(input, inputDim(), "x");
        Tensor yt = matrix(target, outputDim(), "y")) {
      return g.gradients(xt, yt);
    }
  }

  /** Trains as Keras's {@code fit} (see {@link Trainer}). */
  public History fit(double[][] input, double[][] target, Fit fit) {
    ModelGraph g = compiled();
    if (notTrainable != null) throw new IllegalStateException("cannot train " + notTrainable);
    int n = input.length;
    if (n == 0) throw new IllegalArgumentException("no training data");
    if (target.length != n) {
      throw new IllegalArgumentException("x has " + n + " rows but y has " + target.length);
    }
    try (Tensor xt = matrix(input, inputDim(), "x");
        Tensor yt = matrix(target, outputDim(), "y")) {
      return Trainer.fit(g, xt, yt, n, fit);
    }
  }

  private Tensor matrix(double[][] rows, int width, String what) {
    double[] flat = new double[rows.length * width];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != width) {
        throw new IllegalArgumentException(
            what + " row " + i + " has " + rows[i].length + " columns, the model expects " + width);
      }
      for (int j = 0; j < width; j++) {
        if (Double.isNaN(rows[i][j])) {
          throw new IllegalArgumentException(what + " row " + i + " has NaN");
        }
        flat[i * width + j] = rows[i][j];
      }
    }
    return Arrays2.tensor(dtype, Shape.of(rows.length, width), flat);
  }

  static double[][] rows(double[] flat, int width) {
    double[][] out = new double[flat.length / width][];
    for (int i = 0; i < out.length; i++) {
      out[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
    }
    return out;
  }

  /** Frees the native graph and session, after any running {@link #predict} calls end. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      closed = true;
      if (graph != null) graph.close();
      graph = null;
    } finally {
      lock.writeLock().unlock();
    }
  }
}
