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
 * evaluate}, weights and optimizer state in Keras's order, {@code summary()}, and Keras 3 {@code
 * .keras} files both ways ({@link #save}, {@link #load}).
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
 * <p>Numbers cross the API as {@code double}; the model computes in its dtype (float32 unless
 * {@link #dtype(Class)} asks for float64), so values are rounded to it on the way in. Inputs with
 * NaN are refused ({@link IllegalArgumentException}); infinities pass through.
 *
 * <p>The model holds a TensorFlow graph and session from {@link #compile} on: close it ({@link
 * #close()}, try-with-resources). {@link #predict} is safe from any number of threads at once; the
 * other methods are for one thread at a time.
 *
 * <p>As Keras splits it: the model here; the graph it compiles to in {@code ModelGraph}; how {@code
 * fit} runs in {@code Trainer} ({@link Batching}, {@code TrainStep}, {@code FusedFit}, {@link
 * Adam}); the printout in {@code Summary} (the package-private classes of this package).
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

  /**
   * Keras's {@code Sequential([Input(shape=(inputDim,)), *layers])}, named as Keras names new
   * models in a session ({@code sequential}, {@code sequential_1}, ...). Not compiled yet.
   *
   * @param inputDim the number of input columns (positive)
   * @param layers the layers, in order (at least one)
   * @return the model, to be compiled and closed
   * @throws IllegalArgumentException for no layer or a non-positive input width
   */
  public static Sequential of(int inputDim, Layer... layers) {
    return new Sequential(
        Architecture.uniqueName("sequential"), Architecture.of(inputDim, List.of(layers)));
  }

  /**
   * A model of this architecture, with the layer names it gives (e.g. read from a Keras file). Not
   * compiled yet.
   *
   * @param name the model's name (Keras's {@code Sequential(name=...)})
   * @param arch the structure
   * @return the model, to be compiled and closed
   */
  public static Sequential of(String name, Architecture arch) {
    return new Sequential(name, arch);
  }

  /**
   * Sets the dtype of the weights and the computation (float32 by default).
   *
   * @param dtype {@code TFloat32.class} or {@code TFloat64.class}
   * @return this model
   * @throws IllegalStateException after {@link #compile}
   */
  public Sequential dtype(Class<? extends TFloating> dtype) {
    if (graph != null) throw new IllegalStateException("set the dtype before compile");
    this.dtype = dtype;
    return this;
  }

  /**
   * Builds the graph and initialises the weights from {@code seed} (glorot_uniform kernels, zero
   * biases, drawn in plain Java: the same seed gives bit-identical weights in any run), and a fresh
   * optimizer. Loads TensorFlow first ({@link io.github.activationlab.tf.NativeRuntime}).
   *
   * @param loss the loss {@link #fit} minimises and {@link #evaluate} reports
   * @param adam the optimizer's hyperparameters
   * @param seed the seed of the initial weights (not of the shuffles: see {@link Fit#seed})
   * @return this model
   * @throws IllegalStateException if already compiled
   * @throws io.github.activationlab.tf.MissingNativeLibraryException without TensorFlow's native
   *     library for this platform
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

  /**
   * The model's name.
   *
   * @return e.g. {@code sequential}, {@code sequential_1}
   */
  public String name() {
    return name;
  }

  /**
   * The structure: input width, layers, layer names and the walk over the weights.
   *
   * @return the architecture
   */
  public Architecture architecture() {
    return arch;
  }

  /**
   * The number of input columns.
   *
   * @return the input width
   */
  public int inputDim() {
    return arch.inputDim();
  }

  /**
   * The number of output columns.
   *
   * @return the last layer's units
   */
  public int outputDim() {
    return arch.outputDim();
  }

  /**
   * The layers, in order.
   *
   * @return an unmodifiable list
   */
  public List<Layer> layers() {
    return arch.layers();
  }

  /**
   * Keras-style layer names, one per layer.
   *
   * @return e.g. {@code dense}, {@code dense_1}, {@code p_re_lu}
   */
  public List<String> layerNames() {
    return arch.layerNames();
  }

  /**
   * The loss given to {@link #compile}.
   *
   * @return the loss, or null before compile
   */
  public Loss loss() {
    return loss;
  }

  /**
   * The optimizer's hyperparameters given to {@link #compile}.
   *
   * @return Adam, or null before compile
   */
  public Adam optimizer() {
    return adam;
  }

  /**
   * The seed of the initial weights given to {@link #compile}.
   *
   * @return the seed (0 before compile)
   */
  public long seed() {
    return seed;
  }

  /**
   * The dtype of the weights and the computation.
   *
   * @return {@code TFloat32.class} unless set to {@code TFloat64.class}
   */
  public Class<? extends TFloating> dtype() {
    return dtype;
  }

  /**
   * The weights the model was compiled with, before any training (for run records).
   *
   * @return the initial weights in {@link #getWeights()}'s order and layout, or null before compile
   */
  public List<double[]> initialWeights() {
    return initialWeights;
  }

  /**
   * The number of parameters, as Keras's {@code count_params()}.
   *
   * @return the number of weight values
   */
  public long countParams() {
    return arch.countParams();
  }

  /**
   * The shapes of {@link #getWeights()}.
   *
   * @return {@code [in, units]} for a kernel, {@code [units]} for a bias or a PReLU alpha
   */
  public List<long[]> weightShapes() {
    return arch.shapes();
  }

  /**
   * The model as Keras 2 printed it in the notebook (Layer (type), Output Shape, Param #).
   *
   * @return the table, lines ending in newlines
   */
  public String summary() {
    return Summary.of(name, arch);
  }

  private ModelGraph compiled() {
    ModelGraph g = graph;
    if (closed) throw new IllegalStateException("closed");
    if (g == null) throw new IllegalStateException("compile the model first");
    return g;
  }

  /**
   * Sets the weights, as Keras's {@code set_weights}; the optimizer's state is kept.
   *
   * @param values the weights in {@link #getWeights()}'s order and layout
   * @throws IllegalStateException before compile or after close
   */
  public void setWeights(List<double[]> values) {
    compiled().setWeights(values);
  }

  /**
   * The weights, as Keras's {@code get_weights()}: layer by layer, kernel then bias (a PReLU's
   * alpha), each flat, kernels row-major {@code [in, units]}.
   *
   * @return new arrays, in double whatever the dtype
   * @throws IllegalStateException before compile or after close
   */
  public List<double[]> getWeights() {
    return compiled().getWeights();
  }

  /** Marks a model loaded for prediction only ({@code why}), or trainable again (null). */
  void notTrainable(String why) {
    this.notTrainable = why;
  }

  /**
   * Why this model cannot be trained: a model loaded from a Keras file whose loss or optimizer this
   * library does not implement predicts, but does not fit.
   *
   * @return the reason, or null for a trainable model
   */
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
   *
   * @param file the {@code .keras} file to write
   * @param force whether to replace an existing file
   * @throws java.nio.file.FileAlreadyExistsException if {@code file} exists and {@code force} is
   *     false
   * @throws IOException if the file cannot be written (nothing is left half written)
   * @throws IllegalStateException before compile or after close
   */
  public void save(Path file, boolean force) throws IOException {
    var keras = KerasModels.toKeras(this);
    AtomicFiles.write(file, force, out -> KerasFiles.write(keras, out));
  }

  /**
   * {@link #save(Path, boolean)}, replacing an existing file.
   *
   * @param file the {@code .keras} file to write
   * @throws IOException if the file cannot be written (nothing is left half written)
   */
  public void save(Path file) throws IOException {
    save(file, true);
  }

  /**
   * A compiled model from a Keras 3 {@code .keras} file (ours, or one Keras wrote): architecture,
   * weights, loss and Adam with its state, so that {@link #fit} continues where Keras stopped. A
   * file whose loss or optimizer is not implemented here loads for prediction only ({@link
   * #whyNotTrainable()}).
   *
   * @param file the {@code .keras} file
   * @return the compiled model, to be closed
   * @throws IOException if the file cannot be read, or is not a well-formed Keras 3 archive
   * @throws IllegalArgumentException for a model this library cannot build (a layer, activation or
   *     dtype it lacks; the message names it)
   */
  public static Sequential load(Path file) throws IOException {
    return KerasModels.load(file);
  }

  /**
   * Adam's state, as Keras's {@code optimizer.variables}.
   *
   * @return the step count, and m and v per weight in {@link #getWeights()}'s order and layout
   * @throws IllegalStateException before compile or after close
   */
  public Adam.Values optimizerState() {
    return compiled().optimizerState();
  }

  /**
   * Restores Adam's state (e.g. from a Keras file), so training continues where it stopped.
   *
   * @param state the step count, and m and v shaped as {@link #getWeights()}
   * @throws IllegalStateException before compile or after close
   */
  public void setOptimizerState(Adam.Values state) {
    compiled().setOptimizerState(state);
  }

  /**
   * y_pred for the rows of {@code input}. Thread-safe: any number of threads may predict with one
   * model at once (each call is its own TensorFlow session run), and {@link #close()} waits for the
   * running calls; after it, predict throws {@link IllegalStateException} ("closed"). (The other
   * methods — fit, setWeights, evaluate... — are for one thread at a time, not concurrent with
   * close.)
   *
   * @param input the rows, {@link #inputDim()} values each
   * @return one row of {@link #outputDim()} values per input row
   * @throws IllegalArgumentException for a row of the wrong width, or with NaN
   * @throws IllegalStateException before compile or after close
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
   * {@code flat}; row-major outputs. No per-row arrays: for streaming many rows. Thread-safe as
   * {@link #predict(double[][])}.
   *
   * @param flat the inputs, row-major (values past the first {@code rows * inputDim()} are ignored)
   * @param rows the number of rows
   * @return {@code rows * outputDim()} values, row-major
   * @throws IllegalArgumentException for NaN in an input row
   * @throws IllegalStateException before compile or after close
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

  /**
   * Loss and accuracy on the given data, as Keras's {@code evaluate} (one batch: every row).
   *
   * @param input the rows, {@link #inputDim()} values each
   * @param target the labels, {@link #outputDim()} values per row
   * @return {@code [loss, accuracy]}
   * @throws IllegalArgumentException for a row of the wrong width, or with NaN
   */
  public double[] evaluate(double[][] input, double[][] target) {
    ModelGraph g = compiled();
    try (Tensor xt = matrix(input, inputDim(), "x");
        Tensor yt = matrix(target, outputDim(), "y")) {
      return g.evaluate(xt, yt);
    }
  }

  /**
   * d loss / d weights on the given data (one batch: every row), by TF autodiff.
   *
   * @param input the rows, {@link #inputDim()} values each
   * @param target the labels, {@link #outputDim()} values per row
   * @return one gradient per weight, in {@link #getWeights()}'s order and layout
   * @throws IllegalArgumentException for a row of the wrong width, or with NaN
   */
  public List<double[]> gradients(double[][] input, double[][] target) {
    ModelGraph g = compiled();
    try (Tensor xt = matrix(input, inputDim(), "x");
        Tensor yt = matrix(target, outputDim(), "y")) {
      return g.gradients(xt, yt);
    }
  }

  /**
   * Trains as Keras's {@code fit}: the same batches in the same order as {@link Batching} gives,
   * Adam's update as Keras computes it, and a History of the epochs' losses as Keras reports them
   * (each batch's loss before its step, averaged with the batch sizes as weights). By default every
   * step runs in one XLA-compiled TensorFlow loop ({@link Fit#fused}, {@link Fit#xla}).
   *
   * @param input the rows, {@link #inputDim()} values each
   * @param target the labels, {@link #outputDim()} values per row
   * @param fit epochs, batch size, shuffling and its seed, printing, callback
   * @return the history of the run
   * @throws IllegalArgumentException for no rows, row counts that differ, a row of the wrong width
   *     or with NaN
   * @throws IllegalStateException before compile, after close, or for a model that cannot be
   *     trained ({@link #whyNotTrainable()})
   */
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
