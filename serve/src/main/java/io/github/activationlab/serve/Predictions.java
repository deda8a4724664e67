package io.github.activationlab.serve;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SortedMap;
import org.tensorflow.proto.DataType;

/**
 * {@code :predict} responses as TensorFlow Serving's {@code json_tensor.cc} writes them: {@code
 * "predictions"} (one element per batch row) for row-format requests, {@code "outputs"} (whole
 * tensors) for columnar ones; a bare value when the signature has one output, an object keyed by
 * output otherwise; strings of outputs named {@code *_bytes} as {@code {"b64": ...}}; numbers by
 * {@link JsonOut}.
 */
final class Predictions {
  private Predictions() {}

  /** The response body for {@code outputs} (by alias) in the request's format. */
  static String write(SortedMap<String, TensorValue> outputs, PredictJson.Format format) {
    if (outputs.isEmpty()) throw ServeException.invalid("Cannot convert empty tensor map to JSON");
    JsonOut out = new JsonOut();
    long values = 0;
    for (TensorValue t : outputs.values()) values += t.size();
    out.reserve((int) Math.min(1 << 26, 64 + 20 * values)); // a float takes at most 16 + ", "
    boolean objects = outputs.size() > 1;
    out.startObject();
    if (format == PredictJson.Format.ROW) {
      long batch = -1;
      for (var e : outputs.entrySet()) {
        long[] s = e.getValue().shape();
        if (s.length == 0) {
          throw ServeException.invalid("Tensor name: " + e.getKey() + " has no shape information ");
        }
        if (batch >= 0 && batch != s[0]) {
          throw ServeException.invalid(
              "Tensor name: "
                  + e.getKey()
                  + " has inconsistent batch size: "
                  + s[0]
                  + " expecting: "
                  + batch);
        }
        batch = s[0];
      }
      int[] offsets = new int[outputs.size()];
      String[] names = outputs.keySet().toArray(new String[0]);
      TensorValue[] tensors = outputs.values().toArray(new TensorValue[0]);
      out.key("predictions").startArray();
      for (long item = 0; item < batch; item++) {
        if (objects) out.startObject();
        out.singleLineArrays(true);
        for (int k = 0; k < names.length; k++) {
          if (objects) out.key(names[k]);
          offsets[k] = values(out, tensors[k], bytes(names[k], tensors[k]), 1, offsets[k]);
        }
        out.singleLineArrays(false);
        if (objects) out.endObject();
      }
      out.endArray();
    } else {
      out.key("outputs");
      if (objects) out.startObject();
      for (var e : outputs.entrySet()) {
        if (objects) out.key(e.getKey());
        values(out, e.getValue(), bytes(e.getKey(), e.getValue()), 0, 0);
      }
      if (objects) out.endObject();
    }
    out.endObject();
    return out.toString();
  }

  /** TensorFlow Serving's rule: a string output whose alias ends in {@code _bytes} is base64. */
  private static boolean bytes(String name, TensorValue t) {
    return t.dtype() == DataType.DT_STRING && name.endsWith("_bytes");
  }

  /** Writes dimensions {@code dim..} of {@code t} from {@code offset}; returns the next offset. */
  private static int values(JsonOut out, TensorValue t, boolean b64, int dim, int offset) {
    long[] s = t.shape();
    if (dim > s.length - 1) return one(out, t, b64, offset);
    out.startArray();
    for (long i = 0; i < s[dim]; i++) {
      offset =
          dim == s.length - 1 ? one(out, t, b64, offset) : values(out, t, b64, dim + 1, offset);
    }
    out.endArray();
    return offset;
  }

  private static int one(JsonOut out, TensorValue t, boolean b64, int i) {
    Object d = t.data();
    switch (t.dtype()) {
      case DT_FLOAT -> out.value(((float[]) d)[i]);
      case DT_DOUBLE -> out.value(((double[]) d)[i]);
      case DT_INT32, DT_UINT8 -> out.value(((int[]) d)[i]);
      case DT_INT64 -> out.value(((long[]) d)[i]);
      case DT_BOOL -> out.raw(((boolean[]) d)[i] ? "true" : "false");
      case DT_STRING -> {
        byte[] s = ((byte[][]) d)[i];
        if (b64) {
          out.startObject().key("b64").string(Base64.getEncoder().encodeToString(s)).endObject();
        } else {
          out.string(new String(s, StandardCharsets.UTF_8));
        }
      }
      default ->
          throw ServeException.invalid(
              "Failed to write JSON value for tensor type: " + TensorValue.name(t.dtype()));
    }
    return i + 1;
  }
}
