package io.github.activationlab.serve;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.tensorflow.proto.BytesList;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.Int64List;
import org.tensorflow.proto.SignatureDef;

/**
 * {@code :classify} and {@code :regress} as TensorFlow Serving runs them: the JSON {@code
 * "examples"} (and optional {@code "context"}, merged into each) become serialized {@code
 * tf.Example}s (a JSON string or {@code {"b64": ...}} a bytes feature, a number with a fraction a
 * float feature, an integer or boolean an int64 feature), fed as one string tensor to the
 * signature's {@code inputs}; the results are {@code [[label, score], ...]} per example ({@code
 * classes} / {@code scores} outputs) or one value per example ({@code outputs}).
 */
final class ExamplesJson {
  private ExamplesJson() {}

  /**
   * A parsed request.
   *
   * @param signatureName the {@code signature_name} ("" when absent)
   * @param examples the serialized examples (context first, then the example: protobuf merges)
   */
  record Request(String signatureName, byte[][] examples) {}

  static Request parse(Object json) {
    Map<String, Object> doc = PredictJson.object(json);
    String sig = PredictJson.signatureName(doc);
    byte[] context = null;
    if (doc.containsKey("context")) context = example(doc.get("context")).toByteArray();
    Object examples = doc.get("examples");
    if (examples == null) {
      throw ServeException.invalid(
          "JSON Value: "
              + Json.debug(doc)
              + " When method is classify, key 'examples' is expected and was not found");
    }
    if (!(examples instanceof List<?> list)) {
      throw ServeException.invalid(
          "JSON Value: " + Json.debug(doc) + " Expecting 'examples' value to be an list/array");
    }
    if (list.isEmpty()) {
      throw ServeException.invalid(
          "JSON Value: " + Json.debug(doc) + " 'examples' value is an empty array");
    }
    byte[][] out = new byte[list.size()][];
    for (int i = 0; i < out.length; i++) {
      byte[] e = example(list.get(i)).toByteArray();
      if (context == null) {
        out[i] = e;
      } else {
        out[i] = new byte[context.length + e.length];
        System.arraycopy(context, 0, out[i], 0, context.length);
        System.arraycopy(e, 0, out[i], context.length, e.length);
      }
    }
    return new Request(sig, out);
  }

  private static Example example(Object v) {
    if (!(v instanceof Map<?, ?> m)) {
      throw ServeException.invalid("Example must be JSON object but got JSON " + Json.typeName(v));
    }
    Features.Builder fs = Features.newBuilder();
    for (var kv : m.entrySet()) {
      String name = (String) kv.getKey();
      Feature.Builder f = Feature.newBuilder();
      if (kv.getValue() instanceof List<?> l) {
        for (Object x : l) add(x, name, f);
      } else {
        add(kv.getValue(), name, f);
      }
      fs.putFeature(name, f.build());
    }
    return Example.newBuilder().setFeatures(fs).build();
  }

  private static void add(Object v, String name, Feature.Builder f) {
    if (v == Json.NULL || v instanceof List) {
      throw ServeException.invalid(
          "Feature: " + name + " has element with unexpected JSON type: " + Json.typeName(v));
    }
    if (v instanceof Boolean b) {
      kind(f, Feature.KindCase.INT64_LIST, name);
      f.setInt64List(Int64List.newBuilder(f.getInt64List()).addValue(b ? 1 : 0));
    } else if (v instanceof Map) {
      if (!(((Map<?, ?>) v).size() == 1 && ((Map<?, ?>) v).get("b64") instanceof String)) {
        throw ServeException.invalid(
            "Feature: " + name + " has element with unexpected JSON type: Object");
      }
      kind(f, Feature.KindCase.BYTES_LIST, name);
      f.setBytesList(
          BytesList.newBuilder(f.getBytesList())
              .addValue(ByteString.copyFrom(PredictJson.decodeB64(v))));
    } else if (v instanceof String s) {
      kind(f, Feature.KindCase.BYTES_LIST, name);
      f.setBytesList(
          BytesList.newBuilder(f.getBytesList())
              .addValue(ByteString.copyFrom(s.getBytes(StandardCharsets.UTF_8))));
    } else {
      Json.Num n = (Json.Num) v;
      if (n.isDouble()) {
        kind(f, Feature.KindCase.FLOAT_LIST, name);
        f.setFloatList(FloatList.newBuilder(f.getFloatList()).addValue((float) n.value));
      } else {
        kind(f, Feature.KindCase.INT64_LIST, name);
        if (!n.isInt64) {
          throw ServeException.invalid(
              "Feature: " + name + " has uint64_t element. Only int64_t is supported.");
        }
        f.setInt64List(Int64List.newBuilder(f.getInt64List()).addValue(n.bits));
      }
    }
  }

  private static void kind(Feature.Builder f, Feature.KindCase kind, String name) {
    if (f.getKindCase() == Feature.KindCase.KIND_NOT_SET || f.getKindCase() == kind) return;
    String k =
        switch (f.getKindCase()) {
          case BYTES_LIST -> "bytes";
          case FLOAT_LIST -> "float";
          case INT64_LIST -> "int64";
          default -> "UNKNOWN";
        };
    throw ServeException.invalid(
        "Unexpected element type in feature: " + name + " expecting type: " + k);
  }

  /** The serialized examples as the string tensor fed to the signature. */
  static TensorValue tensor(byte[][] examples) {
    return new TensorValue(DataType.DT_STRING, new long[] {examples.length}, examples);
  }

  /** TensorFlow Serving's checks of a classification signature; returns its output aliases. */
  static List<String> classifyOutputs(SignatureDef sig) {
    checkOneInput(sig, "classification");
    if (sig.getOutputsCount() != 1 && sig.getOutputsCount() != 2) {
      throw ServeException.invalid(
          "Expected one or two output Tensors, found " + sig.getOutputsCount());
    }
    List<String> out = new ArrayList<>();
    if (sig.containsOutputs("classes")) out.add("classes");
    if (sig.containsOutputs("scores")) out.add("scores");
    if (out.isEmpty()) {
      throw ServeException.invalid(
          "Expected classification signature outputs to contain at least one of \"classes\" or"
              + " \"scores\". Signature was: "
              + sig.toString().strip());
    }
    return out;
  }

  /** TensorFlow Serving's checks of a regression signature. */
  static void checkRegression(SignatureDef sig) {
    checkOneInput(sig, "regression");
    if (sig.getOutputsCount() != 1) throw ServeException.invalid("Expected one output Tensor.");
    if (!sig.containsOutputs("outputs")) {
      throw ServeException.invalid(
          "No regression outputs found in SignatureDef: " + sig.toString().strip());
    }
  }

  private static void checkOneInput(SignatureDef sig, String what) {
    if (sig.getInputsCount() != 1) throw ServeException.invalid("Expected one input Tensor.");
    if (!sig.containsInputs("inputs")) {
      throw ServeException.invalid(
          "No " + what + " inputs found in SignatureDef: " + sig.toString().strip());
    }
  }

  /** {@code {"results": [[[label, score], ...], ...]}} from the classify outputs. */
  static String classifyResults(SortedMap<String, TensorValue> out, int n) {
    TensorValue classes = out.get("classes");
    TensorValue scores = out.get("scores");
    if (classes != null) {
      check(classes, n, DataType.DT_STRING, "classes");
    }
    if (scores != null) check(scores, n, DataType.DT_FLOAT, "scores");
    int k;
    if (classes != null && scores != null) {
      if (classes.shape()[1] != scores.shape()[1]) {
        throw ServeException.invalid(
            "Tensors class and score should match in dim_size(1). Got "
                + classes.shape()[1]
                + " vs. "
                + scores.shape()[1]);
      }
      k = (int) classes.shape()[1];
    } else {
      k = (int) (classes != null ? classes : scores).shape()[1];
    }
    if (n == 0) throw ServeException.invalid("Cannot convert empty ClassificationResults to JSON");
    JsonOut w = new JsonOut().startObject().key("results").startArray();
    for (int i = 0; i < n; i++) {
      w.singleLineArrays(true).startArray();
      for (int c = 0; c < k; c++) {
        w.startArray();
        w.string(
            classes == null
                ? ""
                : new String(((byte[][]) classes.data())[i * k + c], StandardCharsets.UTF_8));
        w.value(scores == null ? 0f : ((float[]) scores.data())[i * k + c]);
        w.endArray();
      }
      w.endArray().singleLineArrays(false);
    }
    return w.endArray().endObject().toString();
  }

  private static void check(TensorValue t, int n, DataType dtype, String what) {
    if (t.shape().length != 2) {
      throw ServeException.invalid(
          "Expected Tensor shape: [batch_size num_classes] but got "
              + PredictJson.shapeString(t.shape()));
    }
    if (t.dtype() != dtype) {
      throw ServeException.invalid(
          "Expected " + what + " Tensor of " + dtype.name() + ". Got: " + t.dtype().name());
    }
    if (t.shape()[0] != n) {
      throw ServeException.invalid(
          "Expected " + what + " output batch size of " + n + ". Got: " + t.shape()[0]);
    }
  }

  /** {@code {"results": [v, ...]}} from the regression output. */
  static String regressResults(TensorValue t, int n) {
    long[] s = t.shape();
    if (!(s.length == 1 || (s.length == 2 && s[1] == 1))) {
      throw ServeException.invalid(
          "Expected output Tensor shape to be either [batch_size] or [batch_size, 1] but got "
              + PredictJson.shapeString(s));
    }
    if (s[0] != n) {
      throw ServeException.invalid(
          "Input batch size did not match output batch size: " + n + " vs. " + s[0]);
    }
    if (t.dtype() != DataType.DT_FLOAT) {
      throw ServeException.invalid("Expected output Tensor of DT_FLOAT.  Got: " + t.dtype().name());
    }
    if (n == 0) throw ServeException.invalid("Cannot convert empty RegressionResults to JSON");
    JsonOut w = new JsonOut().startObject().key("results").singleLineArrays(true).startArray();
    for (float v : (float[]) t.data()) w.value(v);
    return w.endArray().endObject().toString();
  }
}
