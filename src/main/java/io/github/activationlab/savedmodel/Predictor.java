package io.github.activationlab.savedmodel;

import io.github.activationlab.tf.Arrays2;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.SessionFunction;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * Loads any SavedModel with a one-input {@code serving_default} signature — ours ({@code x} ->
 * {@code y}) or one exported by Keras 3's {@code model.export()} (input named after the Keras
 * Input, output {@code output_0}) — discovers its input and output names, dtypes and shapes, and
 * predicts rows of numbers. Shape or dtype mismatches are clear errors, not TF stack traces.
 */
public final class Predictor implements AutoCloseable {
  private final SavedModelBundle bundle;
  private final SessionFunction function;
  private final String input;
  private final Signature.TensorDescription inputSpec;
  private final String output;
  private final Path dir;

  private Predictor(Path dir, SavedModelBundle bundle) {
    this.dir = dir;
    this.bundle = bundle;
    Signature sig = bundle.signatures().stream()
        .filter(s -> s.key().equals(Signature.DEFAULT_KEY)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(dir + " has no serving_default signature (it has "
            + bundle.signatures().stream().map(Signature::key).toList() + ")"));
    this.function = bundle.function(Signature.DEFAULT_KEY);
    Map<String, Signature.TensorDescription> inputs = sig.getInputs();
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(dir + ": serving_default takes " + inputs.size()
          + " inputs " + inputs.keySet() + "; only one-input models are supported");
    }
    this.input = inputs.keySet().iterator().next();
    this.inputSpec = inputs.get(input);
    if (inputSpec.dataType != DataType.DT_FLOAT && inputSpec.dataType != DataType.DT_DOUBLE) {
      throw new IllegalArgumentException(dir + ": input '" + input + "' is " + inputSpec.dataType
          + "; only float32 and float64 inputs are supported");
    }
    Map<String, Signature.TensorDescription> outputs = sig.getOutputs();
    this.output = outputs.containsKey("y") ? "y" : outputs.keySet().stream().sorted().findFirst()
        .orElseThrow(() -> new IllegalArgumentException(dir + ": serving_default has no output"));
  }

  /**
   * Loads {@code path}: a SavedModel directory, or a model directory holding numbered versions
   * (TensorFlow Serving's layout), of which the highest is taken.
   */
  public static Predictor load(Path path) throws IOException {
    Path dir = resolveVersion(path);
    try {
      return new Predictor(dir, SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG));
    } catch (org.tensorflow.exceptions.TensorFlowException e) {
      throw new IllegalArgumentException("cannot load SavedModel " + dir + ": "
          + e.getMessage().strip().lines().findFirst().orElse(""));
    }
  }

  static Path resolveVersion(Path path) throws IOException {
    if (!Files.isDirectory(path)) throw new IllegalArgumentException("no such model directory: " + path);
    if (Files.exists(path.resolve("saved_model.pb"))) return path;
    try (Stream<Path> children = Files.list(path)) {
      return children.filter(p -> p.getFileName().toString().matches("\\d+"))
          .filter(p -> Files.exists(p.resolve("saved_model.pb")))
          .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString())))
          .orElseThrow(() -> new IllegalArgumentException("not a SavedModel: " + path
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
        throw new IllegalArgumentException("input row " + (i + 1) + " has " + rows[i].length
            + " columns; the model's input '" + input + "' takes " + (expected >= 0 ? expected : width));
      }
    }
    double[] flat = new double[rows.length * width];
    for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * width, width);
    var dtype = inputSpec.dataType == DataType.DT_DOUBLE ? TFloat64.class : TFloat32.class;
    try (Tensor t = Arrays2.tensor(dtype, Shape.of(rows.length, width), flat);
        Result r = function.call(Map.of(input, t))) {
      Tensor y = r.get(output).orElseThrow();
      long[] shape = y.shape().asArray();
      int outWidth = shape.length < 2 ? 1 : (int) shape[shape.length - 1];
      double[] values = Arrays2.doubles(y);
      double[][] out = new double[rows.length][];
      for (int i = 0; i < rows.length; i++) {
        out[i] = java.util.Arrays.copyOfRange(values, i * outWidth, (i + 1) * outWidth);
      }
      return out;
    }
  }

  @Override
  public void close() {
    bundle.close();
  }

  /** For messages: the signature, e.g. {@code x float32 [-1, 2] -> y}. */
  public String describe() {
    return input + " " + (inputSpec.dataType == DataType.DT_DOUBLE ? "float64" : "float32") + " "
        + java.util.Arrays.toString(inputSpec.shape.asArray()) + " -> " + output;
  }

}
