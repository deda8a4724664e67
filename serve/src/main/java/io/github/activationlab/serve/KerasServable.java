package io.github.activationlab.serve;

import io.github.activationlab.nn.Model;
import io.github.activationlab.tf.DTypes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TFloat64;

/**
 * A Keras 3 {@code .keras} file, Sequential or Functional, served as a SavedModel exported by Keras
 * would be: one signature, {@code serving_default}, input {@code inputs} ({@code [-1, n_in]}, the
 * model's dtype), output {@code output_0} ({@code [-1, n_out]}). A Functional model with several
 * inputs or outputs takes and gives them side by side in one row, in the order of its inputs and
 * outputs, each flattened row-major (as the {@code predict} command does). Predictions are core's
 * {@link Model#predict}, which is thread-safe and waits for running predictions on close.
 */
final class KerasServable implements Servable {
  static final String INPUT = "inputs";
  static final String OUTPUT = "output_0";

  private final Path file;
  private final Model model;
  private final DataType dtype;
  private final Map<String, SignatureDef> signatures;
  private volatile boolean closed;

  private KerasServable(Path file, Model model) {
    this.file = file;
    this.model = model;
    this.dtype = model.dtype() == TFloat64.class ? DataType.DT_DOUBLE : DataType.DT_FLOAT;
    SignatureDef sig =
        SignatureDef.newBuilder()
            .putInputs(INPUT, info(INPUT, model.inputDim()))
            .putOutputs(OUTPUT, info(OUTPUT, model.outputDim()))
            .setMethodName("tensorflow/serving/predict")
            .build();
    this.signatures = Map.of("serving_default", sig);
  }

  private TensorInfo info(String name, int width) {
    return TensorInfo.newBuilder()
        .setName(name + ":0")
        .setDtype(dtype)
        .setTensorShape(
            TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dim.newBuilder().setSize(-1))
                .addDim(TensorShapeProto.Dim.newBuilder().setSize(width)))
        .build();
  }

  static KerasServable load(Path file) throws IOException {
    return new KerasServable(file, Model.load(file));
  }

  @Override
  public Map<String, SignatureDef> signatures() {
    return signatures;
  }

  @Override
  public SortedMap<String, TensorValue> run(
      String signature, Map<String, TensorValue> inputs, List<String> outputs, long timeoutMillis) {
    if (closed) throw new Servable.Closed();
    TensorValue x = inputs.get(INPUT);
    long[] s = x.shape();
    if (s.length != 2 || s[1] != model.inputDim()) {
      throw ServeException.invalid(
          "input '"
              + INPUT
              + "' must have shape [batch, "
              + model.inputDim()
              + "], got "
              + PredictJson.shapeString(s));
    }
    int rows = (int) s[0];
    double[] flat = new double[x.size()];
    if (x.data() instanceof float[] f) {
      for (int i = 0; i < f.length; i++) flat[i] = f[i];
    } else {
      System.arraycopy((double[]) x.data(), 0, flat, 0, flat.length);
    }
    double[] y;
    try {
      y = model.predict(flat, rows);
    } catch (IllegalStateException e) {
      throw new Servable.Closed();
    } catch (IllegalArgumentException e) {
      throw ServeException.invalid(e.getMessage());
    }
    Object data;
    if (dtype == DataType.DT_DOUBLE) {
      data = y;
    } else {
      float[] f = new float[y.length];
      for (int i = 0; i < f.length; i++) f[i] = (float) y[i];
      data = f;
    }
    SortedMap<String, TensorValue> out = new TreeMap<>();
    out.put(OUTPUT, new TensorValue(dtype, new long[] {rows, model.outputDim()}, data));
    return out;
  }

  @Override
  public String describe() {
    return file + " (Keras file, " + model.name() + ", " + DTypes.name(model.dtype()) + ")";
  }

  @Override
  public void close() {
    closed = true;
    model.close();
  }
}
