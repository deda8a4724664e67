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
   * (TensorFlow Serving's layout), of which the highest is taken.
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

  /** The signature's input name, e.g. {@code x} (ours) or {@code keras_tensor} (Keras). */
  public String inputName() {
    return input;
  }

  public String outputName() {
    return output;
  }

  /** Columns the input takes ({@code -1} if the model does not say). */
  public long inputWidth() {
    long[] dims = inputSpec.shape.asArray();
    return dims == null || dims.length < 2 ? -1 : dims[dims.length - 1];
  }

  public Path directory() {
    return dir;
  }

  /** Outputs for the given rows (of equal width, matching the model's input). */
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

  /** Outputs of a batch: {@code width} values per row, row-major in {@code values}. */
  public record Outputs(double[] values, int width) {}

  /**
   * Outputs for {@code rows} rows of {@code width} values, row-major in {@code flat} (only the
   * first {@code rows * width} values are read); the outputs row-major, {@code length / rows} per
   * row. The caller checks the width (see {@link #inputWidth()}).
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
   * (else into a new array); only the first {@code rows * width} of the returned values are this
   * batch's.
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

  /** For messages: the signature, e.g. {@code x float32 [-1, 2] -> y}. */
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
