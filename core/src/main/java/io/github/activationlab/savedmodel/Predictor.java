package io.github.activationlab.savedmodel;

import io.github.activationlab.files.Temporaries;
import io.github.activationlab.internal.tf.Arrays2;
import io.github.activationlab.tf.NativeRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DoubleDataBuffer;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * Loads any SavedModel with a one-input {@code serving_default} signature — ours ({@code x} ->
 * {@code y}) or one exported by Keras 3's {@code model.export()} (input named after the Keras
 * Input, output {@code output_0}) — discovers its input and output names, dtypes and shapes, and
 * predicts rows of numbers. Shape or dtype mismatches are clear errors, not TF stack traces.
 *
 * <p>Thread-safe: one Predictor may serve any number of threads at once (each {@code predict} is
 * its own TensorFlow session run; results are those of one thread). {@link #close()} waits for the
 * predictions that are running (a read-write lock: predictions share it, close takes it alone);
 * afterwards {@code predict} throws {@link IllegalStateException} ("closed") instead of touching
 * freed native memory.
 *
 * <pre>{@code
 * try (Predictor p = Predictor.load(Path.of("models/xor-mlp"))) { // the highest version, 1/
 *   double[][] y = p.predict(new double[][] {{0, 1}, {1, 1}});
 *   System.out.println(p.describe()); // x float32 [-1, 2] -> y
 * }
 * }</pre>
 *
 * <p>Inputs and outputs cross the API as {@code double}; a float32 model rounds the inputs to
 * float32. Values are passed to the model as they are (NaN and infinities included).
 */
public final class Predictor implements AutoCloseable {
  private final SavedModelBundle bundle;
  private final SessionFunction function;
  private final String input;
  private final Signature.TensorDescription inputSpec;
  private final String output;
  private final Path dir;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed; // guarded by lock

  private Predictor(Path dir, SavedModelBundle bundle) {
    this.dir = dir;
    this.bundle = bundle;
    Signature sig =
        bundle.signatures().stream()
            .filter(s -> s.key().equals(Signature.DEFAULT_KEY))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        dir
                            + " has no serving_default signature (it has "
                            + bundle.signatures().stream().map(Signature::key).toList()
                            + ")"));
    this.function = bundle.function(Signature.DEFAULT_KEY);
    Map<String, Signature.TensorDescription> inputs = sig.getInputs();
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          dir
              + ": serving_default takes "
              + inputs.size()
              + " inputs "
              + inputs.keySet()
              + "; only one-input models are supported");
    }
    this.input = inputs.keySet().iterator().next();
    this.inputSpec = inputs.get(input);
    if (inputSpec.dataType != DataType.DT_FLOAT && inputSpec.dataType != DataType.DT_DOUBLE) {
      throw new IllegalArgumentException(
          dir
              + ": input '"
              + input
              + "' is "
              + inputSpec.dataType
              + "; only float32 and float64 inputs are supported");
    }
    Map<String, Signature.TensorDescription> outputs = sig.getOutputs();
    this.output =
        outputs.containsKey("y")
            ? "y"
            : outputs.keySet().stream()
                .sorted()
                .findFirst()
                .orElseThrow(
                    () -> new IllegalArgumentException(dir + ": serving_default has no output"));
  }

  /**
   * Loads {@code path}: a SavedModel directory, or a model directory holding numbered versions
   * (TensorFlow Serving's layout), of which the highest is taken. Loads TensorFlow first ({@link
   * NativeRuntime#load()}).
   *
   * @param path a SavedModel directory ({@code saved_model.pb} inside) or its parent
   * @return the predictor, to be closed
   * @throws IOException if the directory cannot be listed
   * @throws IllegalArgumentException in one line: no such directory, not a SavedModel, an
   *     unfinished temporary of an export, no {@code serving_default} signature, more than one
   *     input, an input that is not float32 or float64, or TensorFlow's own first line of why it
   *     cannot load it
   * @throws io.github.activationlab.tf.MissingNativeLibraryException without TensorFlow's native
   *     library for this platform
   */
  public static Predictor load(Path path) throws IOException {
    Path dir = resolveVersion(path);
    NativeRuntime.load();
    try {
      return new Predictor(
          dir, SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG));
    } catch (org.tensorflow.exceptions.TensorFlowException e) {
      throw new IllegalArgumentException(
          "cannot load SavedModel "
              + dir
              + ": "
              + e.getMessage().strip().lines().findFirst().orElse(""));
    }
  }

  static Path resolveVersion(Path path) throws IOException {
    var unfinished = Temporaries.unfinished(path.toAbsolutePath().normalize());
    if (unfinished.isPresent()) throw new IllegalArgumentException(unfinished.get());
    if (!Files.isDirectory(path))
      throw new IllegalArgumentException("no such model directory: " + path);
    if (Files.exists(path.resolve("saved_model.pb"))) return path;
    try (Stream<Path> children = Files.list(path)) {
      return children
          .filter(p -> p.getFileName().toString().matches("\\d+"))
          .filter(p -> Files.exists(p.resolve("saved_model.pb")))
          .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString())))
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "not a SavedModel: "
                          + path
                          + " (no saved_model.pb, and no numbered version directory with one)"));
    }
  }

  /**
   * The name of the signature's input.
   *
   * @return e.g. {@code x} (ours) or {@code keras_tensor} (Keras)
   */
  public String inputName() {
    return input;
  }

  /**
   * The name of the output {@code predict} returns: {@code y} when the signature has one (ours),
   * otherwise the first output name in alphabetical order (Keras's {@code output_0}).
   *
   * @return the output's name
   */
  public String outputName() {
    return output;
  }

  /**
   * The number of columns the input takes.
   *
   * @return the last dimension of the input's shape, or {@code -1} if the model does not say
   */
  public long inputWidth() {
    long[] dims = inputSpec.shape.asArray();
    return dims == null || dims.length < 2 ? -1 : dims[dims.length - 1];
  }

  /**
   * The SavedModel directory loaded (the version directory, for a model directory).
   *
   * @return e.g. {@code models/xor-mlp/1}
   */
  public Path directory() {
    return dir;
  }

  /**
   * Outputs for the given rows, in one TensorFlow run. Thread-safe.
   *
   * @param rows the inputs, all of one width, which must match {@link #inputWidth()} when the model
   *     states it
   * @return one output row per input row (none for none)
   * @throws IllegalArgumentException for a row of another width (the message names the row, from 1)
   * @throws IllegalStateException after {@link #close()}
   */
  public double[][] predict(double[][] rows) {
    if (rows.length == 0) return new double[0][];
    int width = rows[0].length;
    long expected = inputWidth();
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != width || (expected >= 0 && rows[i].length != expected)) {
        throw new IllegalArgumentException(
            "input row "
                + (i + 1)
                + " has "
                + rows[i].length
                + " columns; the model's input '"
                + input
                + "' takes "
                + (expected >= 0 ? expected : width));
      }
    }
    double[] flat = new double[rows.length * width];
    for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * width, width);
    double[] values = predict(flat, rows.length, width);
    int outWidth = values.length / rows.length;
    double[][] out = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = java.util.Arrays.copyOfRange(values, i * outWidth, (i + 1) * outWidth);
    }
    return out;
  }

  /**
   * Outputs of a batch, row-major.
   *
   * @param values the outputs; only the first {@code rows * width} belong to the batch (the array
   *     may be a reused, longer one)
   * @param width the number of values per row
   */
  public record Outputs(double[] values, int width) {}

  /**
   * Outputs for {@code rows} rows of {@code width} values, row-major in {@code flat} (only the
   * first {@code rows * width} values are read); the outputs row-major, {@code length / rows} per
   * row. The caller checks the width (see {@link #inputWidth()}). Thread-safe.
   *
   * @param flat the inputs, row-major
   * @param rows the number of rows
   * @param width the number of values per row
   * @return the outputs, row-major: exactly {@code rows * outputWidth} values
   * @throws IllegalArgumentException if {@code flat} holds fewer than {@code rows * width} values
   * @throws IllegalStateException after {@link #close()}
   */
  public double[] predict(double[] flat, int rows, int width) {
    Outputs o = predict(flat, rows, width, null);
    return o.values().length == rows * o.width()
        ? o.values()
        : java.util.Arrays.copyOf(o.values(), rows * o.width());
  }

  /**
   * {@link #predict(double[], int, int)} that allocates next to nothing (for streaming): the inputs
   * go straight into the native tensor, the outputs into {@code reuse} when it is large enough
   * (else into a new array); only the first {@code rows * outputs.width()} of the returned values
   * are this batch's. Thread-safe, with a {@code reuse} array per thread.
   *
   * <pre>{@code
   * double[] buffer = null;
   * for (double[] batch : batches) { // 4096 rows of 2 values each
   *   Predictor.Outputs o = p.predict(batch, 4096, 2, buffer);
   *   buffer = o.values(); // reused from now on
   *   write(o.values(), 4096 * o.width());
   * }
   * }</pre>
   *
   * @param flat the inputs, row-major (values past {@code rows * width} are ignored)
   * @param rows the number of rows
   * @param width the number of values per row
   * @param reuse an array for the outputs, or null
   * @return the outputs, in {@code reuse} when it is long enough
   * @throws IllegalArgumentException if {@code flat} holds fewer than {@code rows * width} values
   * @throws IllegalStateException after {@link #close()}
   */
  public Outputs predict(double[] flat, int rows, int width, double[] reuse) {
    if (rows == 0) return new Outputs(new double[0], 0);
    long n = (long) rows * width;
    if (flat.length < n)
      throw new IllegalArgumentException(
          rows + " rows of " + width + " need " + n + " values, got " + flat.length);
    lock.readLock().lock();
    try {
      if (closed) throw new IllegalStateException("closed");
      Tensor t;
      if (inputSpec.dataType == DataType.DT_DOUBLE) {
        t = TFloat64.tensorOf(Shape.of(rows, width));
        DoubleDataBuffer b = t.asRawTensor().data().asDoubles();
        for (int i = 0; i < n; i++) b.setDouble(flat[i], i);
      } else {
        t = TFloat32.tensorOf(Shape.of(rows, width));
        FloatDataBuffer b = t.asRawTensor().data().asFloats();
        for (int i = 0; i < n; i++) b.setFloat((float) flat[i], i);
      }
      try (t;
          Result r = function.call(Map.of(input, t))) {
        Tensor y = r.get(output).orElseThrow();
        int size = (int) y.shape().size();
        double[] out = reuse != null && reuse.length >= size ? reuse : new double[size];
        if (y instanceof TFloat32) {
          FloatDataBuffer b = y.asRawTensor().data().asFloats();
          for (int i = 0; i < size; i++) out[i] = b.getFloat(i);
        } else if (y instanceof TFloat64) {
          DoubleDataBuffer b = y.asRawTensor().data().asDoubles();
          for (int i = 0; i < size; i++) out[i] = b.getDouble(i);
        } else {
          double[] d = Arrays2.doubles(y);
          System.arraycopy(d, 0, out, 0, size);
        }
        return new Outputs(out, size / rows);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Frees the model, after the running predictions end; closing again does nothing. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) return;
      closed = true;
      bundle.close();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * The signature in one line, for messages.
   *
   * @return e.g. {@code x float32 [-1, 2] -> y}
   */
  public String describe() {
    return input
        + " "
        + (inputSpec.dataType == DataType.DT_DOUBLE ? "float64" : "float32")
        + " "
        + java.util.Arrays.toString(inputSpec.shape.asArray())
        + " -> "
        + output;
  }
}
