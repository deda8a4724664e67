package io.github.activationlab.nn;

import io.github.activationlab.files.AtomicFiles;
import io.github.activationlab.internal.keras.KerasFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * A Keras-like model — a {@link Sequential} chain or a {@link Functional} graph — and everything
 * they share: {@code compile} (loss, optimizer, seed, metrics), {@code fit}, {@code predict},
 * {@code evaluate}, weights and optimizer state in Keras's order, {@code summary()}, and Keras 3
 * {@code .keras} files both ways ({@link #save}, {@link #load}).
 *
 * <p>Numbers cross the API as {@code double}; the model computes in its dtype (float32 unless
 * {@link #dtype(Class)} asks for float64), so values are rounded to it on the way in. A sample is
 * one flat row: the model's inputs' values side by side (each row-major), and its outputs likewise
 * ({@link #inputDim()}, {@link #outputDim()}). Inputs with NaN are refused ({@link
 * IllegalArgumentException}); infinities pass through.
 *
 * <p>The model holds a TensorFlow graph and session from {@link #compile} on: close it ({@link
 * #close()}, try-with-resources). {@link #predict} is safe from any number of threads at once; the
 * other methods are for one thread at a time.
 *
 * <p>As Keras splits it: the model here; the structure in {@link Architecture}; the graph it
 * compiles to in {@code ModelGraph}; how {@code fit} runs in {@code Trainer} ({@link Batching},
 * {@code TrainStep}, {@code FusedFit}, the {@link Optimizer}); the printout in {@code Summary}.
 */
public abstract sealed class Model implements AutoCloseable permits Sequential, Functional {
  private final String name;
  private final Architecture arch;
  private Class<? extends TFloating> dtype = TFloat32.class;
  private Loss loss;
  private Optimizer optimizer;
  private List<String> metrics = List.of();
  private long seed;
  private List<double[]> initialWeights;
  private volatile ModelGraph graph;
  private String notTrainable;

  /**
   * A file's compile config and optimizer variables kept as they were, for a model loaded for
   * prediction only (saving writes them back unchanged), or null.
   */
  private Object[] keptCompile;

  /** predict holds it shared, close exclusively: close waits for running predictions. */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  private volatile boolean closed;

  Model(String name, Architecture arch) {
    this.name = name;
    this.arch = arch;
  }

  /**
   * A compiled model from a Keras 3 {@code .keras} file, Sequential or Functional (ours, or one
   * Keras wrote): architecture, weights (the non-trainable state too: moving statistics, adapted
   * means), loss, optimizer and its state, metrics, so that {@link #fit} continues where Keras
   * stopped. A file whose loss or optimizer is not implemented here loads for prediction only
   * ({@link #whyNotTrainable()}).
   *
   * @param file the {@code .keras} file
   * @return the compiled model, to be closed
   * @throws IOException if the file cannot be read, or is not a well-formed Keras 3 archive
   * @throws IllegalArgumentException for a model this library cannot build: a layer it lacks (the
   *     message names it and lists the supported ones), weights whose count or shape disagree with
   *     the config, a Normalization layer never adapted, an activation or dtype it lacks
   */
  public static Model load(Path file) throws IOException {
    return KerasLoader.load(file);
  }

  /**
   * Sets the dtype of the weights and the computation (float32 by default).
   *
   * @param dtype {@code TFloat32.class} or {@code TFloat64.class}
   * @return this model
   * @throws IllegalStateException after {@link #compile}
   */
  public Model dtype(Class<? extends TFloating> dtype) {
    if (graph != null) throw new IllegalStateException("set the dtype before compile");
    this.dtype = dtype;
    return this;
  }

  /**
   * Builds the graph and initialises the weights from {@code seed} (each weight's Keras
   * initializer, drawn in plain Java: the same seed gives bit-identical weights in any run), and a
   * fresh optimizer. Loads TensorFlow first ({@link io.github.activationlab.tf.NativeRuntime}).
   *
   * @param loss the loss {@link #fit} minimises and {@link #evaluate} reports
   * @param optimizer the optimizer ({@link Adam}, {@link AdamW}, {@link SGD}, {@link RMSprop})
   * @param seed the seed of the initial weights (not of the shuffles: see {@link Fit#seed})
   * @param metrics Keras's metric names for {@link History#metrics()} ({@code accuracy}, {@code
   *     mae}, ...), as {@code compile(metrics=[...])}
   * @return this model
   * @throws IllegalStateException if already compiled
   * @throws IllegalArgumentException for an unknown metric, or metrics on a model of several
   *     outputs
   * @throws io.github.activationlab.tf.MissingNativeLibraryException without TensorFlow's native
   *     library for this platform
   */
  public Model compile(Loss loss, Optimizer optimizer, long seed, String... metrics) {
    if (graph != null) throw new IllegalStateException("already compiled");
    this.metrics = Metrics.check(List.of(metrics));
    if (!this.metrics.isEmpty() && arch.outputs().size() > 1) {
      throw new IllegalArgumentException(
          "metrics "
              + this.metrics
              + " apply to a one-output model (Keras asks a model of "
              + arch.outputs().size()
              + " outputs for one list per output, not supported)");
    }
    this.loss = loss;
    this.optimizer = optimizer;
    this.seed = seed;
    graph = new ModelGraph(arch, dtype, loss, optimizer, this.metrics);
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
   * @return e.g. {@code sequential}, {@code functional_1}
   */
  public String name() {
    return name;
  }

  /**
   * The structure: inputs, layers, layer names, connections and the walk over the weights.
   *
   * @return the architecture
   */
  public Architecture architecture() {
    return arch;
  }

  /**
   * The number of input values per sample (every input's, side by side).
   *
   * @return the input width
   */
  public int inputDim() {
    return arch.inputDim();
  }

  /**
   * The number of output values per sample (every output's, side by side).
   *
   * @return the output width
   */
  public int outputDim() {
    return arch.outputDim();
  }

  /**
   * The number of target values per sample {@link #fit} takes: the outputs' widths, or one class
   * index per output for the sparse cross-entropy.
   *
   * @return the target width (the output width before compile)
   */
  public int targetDim() {
    if (loss == null) return outputDim();
    return loss.targetWidths(outputWidths()).stream().mapToInt(Integer::intValue).sum();
  }

  List<Integer> outputWidths() {
    return arch.outputs().stream().map(arch::size).toList();
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
   * The optimizer given to {@link #compile}.
   *
   * @return the optimizer, or null before compile
   */
  public Optimizer optimizer() {
    return optimizer;
  }

  /**
   * The metrics given to {@link #compile}, by Keras's names.
   *
   * @return e.g. {@code [accuracy]}; empty when none
   */
  public List<String> metrics() {
    return metrics;
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
   * @return the number of weight values, trainable or not
   */
  public long countParams() {
    return arch.countParams();
  }

  /**
   * The shapes of {@link #getWeights()}.
   *
   * @return {@code [in, units]} for a kernel, {@code [units]} for a bias or a PReLU alpha, ...
   */
  public List<long[]> weightShapes() {
    return arch.shapes();
  }

  /**
   * The model as Keras 2 printed it in the notebook (Layer (type), Output Shape, Param #; for a
   * Functional model also Connected to).
   *
   * @return the table, lines ending in newlines
   */
  public String summary() {
    return Summary.of(name, arch);
  }

  ModelGraph compiled() {
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
   * @throws IllegalArgumentException for a count or size that differs from the model's
   */
  public void setWeights(List<double[]> values) {
    compiled().setWeights(values);
  }

  /**
   * The weights, as Keras's {@code get_weights()}: layer by layer, each layer's in Keras's order
   * (kernel then bias; a BatchNormalization's gamma, beta, moving_mean, moving_variance), each
   * flat, kernels row-major {@code [in, units]}.
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

  /** Keeps a prediction-only model's compile config and optimizer variables (the file's). */
  void keepCompile(Object compile, Object optimizerVariables) {
    this.keptCompile = new Object[] {compile, optimizerVariables};
  }

  /** The kept compile config and optimizer variables, or null. */
  Object[] keptCompile() {
    return keptCompile;
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
   * Writes the model as a Keras 3 {@code .keras} file (architecture, weights, compile config, the
   * optimizer's state) that {@code keras.saving.load_model} opens as a compiled model. Written with
   * {@link AtomicFiles#write}: a temporary sibling, fsynced, moved into place in one step, so the
   * file is always absent, old or new; an existing file is refused by that step unless {@code
   * force} (of two concurrent savers without it exactly one wins), and replaced atomically with it.
   * The file's mode follows the umask (644 under 022).
   *
   * @param file the {@code .keras} file to write
   * @param force whether to replace an existing file
   * @throws java.nio.file.FileAlreadyExistsException if {@code file} exists and {@code force} is
   *     false
   * @throws IOException if the file cannot be written (nothing is left half written)
   * @throws IllegalStateException before compile or after close
   * @throws IllegalArgumentException for a model Keras cannot store (an activation with parameters
   *     no Keras layer keeps; the message names the layer)
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
   * The optimizer's state, as Keras's {@code optimizer.variables}.
   *
   * @return the step count and the slots, one array per trainable weight in their order
   * @throws IllegalStateException before compile or after close
   */
  public Optimizer.State optimizerState() {
    return compiled().optimizerState();
  }

  List<long[]> trainableShapes() {
    return arch.weights().stream()
        .filter(Architecture.Weight::trainable)
        .map(Architecture.Weight::shape)
        .toList();
  }

  /**
   * Restores the optimizer's state (e.g. from a Keras file), so training continues where it
   * stopped.
   *
   * @param state the step count and the optimizer's slots, shaped as the trainable weights
   * @throws IllegalStateException before compile or after close
   * @throws IllegalArgumentException for slots the optimizer does not have, or arrays of another
   *     count or size
   */
  public void setOptimizerState(Optimizer.State state) {
    compiled().setOptimizerState(state);
  }

  /**
   * Restores Adam's state.
   *
   * @param state the step count, and m and v shaped as the trainable weights
   * @throws IllegalStateException before compile, after close, or for another optimizer
   */
  public void setOptimizerState(Adam.Values state) {
    setOptimizerState(state.toState());
  }

  /**
   * y_pred for the rows of {@code input}, in inference mode (Dropout off, BatchNormalization's
   * moving statistics). Thread-safe: any number of threads may predict with one model at once (each
   * call is its own TensorFlow session run), and {@link #close()} waits for the running calls;
   * after it, predict throws {@link IllegalStateException} ("closed"). (The other methods — fit,
   * setWeights, evaluate... — are for one thread at a time, not concurrent with close.)
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
      try (Tensor xt = Rows.matrix(dtype, input, inputDim(), "x")) {
        return Rows.split(g.predict(xt), outputDim());
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
      try (Tensor xt = Rows.flat(dtype, flat, rows, inputDim())) {
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
   * @param target the labels, {@link #targetDim()} values per row
   * @return {@code [loss, accuracy]}
   * @throws IllegalArgumentException for a row of the wrong width, or with NaN
   */
  public double[] evaluate(double[][] input, double[][] target) {
    ModelGraph g = compiled();
    try (Tensor xt = Rows.matrix(dtype, input, inputDim(), "x");
        Tensor yt = Rows.matrix(dtype, target, targetDim(), "y")) {
      return g.evaluate(xt, yt);
    }
  }

  /**
   * d loss / d weights on the given data (one batch: every row), by TF autodiff.
   *
   * @param input the rows, {@link #inputDim()} values each
   * @param target the labels, {@link #targetDim()} values per row
   * @return one gradient per weight, in {@link #getWeights()}'s order and layout
   * @throws IllegalArgumentException for a row of the wrong width, or with NaN
   */
  public List<double[]> gradients(double[][] input, double[][] target) {
    ModelGraph g = compiled();
    try (Tensor xt = Rows.matrix(dtype, input, inputDim(), "x");
        Tensor yt = Rows.matrix(dtype, target, targetDim(), "y")) {
      return g.gradients(xt, yt);
    }
  }

  /**
   * Trains as Keras's {@code fit}: the same batches in the same order as {@link Batching} gives,
   * the optimizer's update as Keras computes it, the layers in training mode (Dropout masks,
   * BatchNormalization's batch statistics and moving averages), regularization penalties in the
   * loss, and a History of the epochs' loss and metrics as Keras reports them (each batch's values
   * before its step, averaged with the batch sizes as weights). By default every step runs in one
   * XLA-compiled TensorFlow loop ({@link Fit#fused}, {@link Fit#xla}).
   *
   * @param input the rows, {@link #inputDim()} values each
   * @param target the labels, {@link #targetDim()} values per row
   * @param fit epochs, batch size, shuffling and its seed, printing, callback
   * @return the history of the run
   * @throws IllegalArgumentException for no rows, row counts that differ, a row of the wrong width
   *     or with NaN, a class index out of range
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
    try (Tensor xt = Rows.matrix(dtype, input, inputDim(), "x");
        Tensor yt = Rows.matrix(dtype, target, targetDim(), "y")) {
      loss.checkTargets(target, outputWidths());
      return Trainer.fit(g, xt, yt, n, fit);
    }
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
