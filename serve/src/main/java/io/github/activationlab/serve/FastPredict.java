package io.github.activationlab.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/**
 * The common {@code :predict} body — {@code {"instances": [[1.0, 2.0], ...]}} or {@code {"inputs":
 * ...}}, a dense array of numbers, optionally with a {@code signature_name} — read in one streaming
 * pass straight into a {@code double[]}, with no JSON tree. Anything else (objects, strings, b64,
 * ragged or empty arrays, syntax errors, several tensors) returns null and goes the general way
 * ({@link PredictJson}), which gives TensorFlow Serving's answer or error; for the bodies accepted
 * here both ways give the same tensor.
 */
final class FastPredict {
  private FastPredict() {}

  /**
   * A dense numeric request.
   *
   * @param signatureName the signature ("" when absent)
   * @param format row or columnar
   * @param shape the tensor's shape
   * @param values its values, row-major
   */
  record Request(String signatureName, PredictJson.Format format, long[] shape, double[] values) {}

  private static final int MAX_DEPTH = 64;

  static Request parse(byte[] body, int length) {
    if (length == 0) return null;
    try (JsonParser p = Json.FACTORY.createParser(body, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return null;
      String sig = null;
      PredictJson.Format format = null;
      Request dense = null;
      for (JsonToken t; (t = p.nextToken()) != JsonToken.END_OBJECT; ) {
        if (t != JsonToken.FIELD_NAME) return null;
        String key = p.currentName();
        JsonToken v = p.nextToken();
        switch (key) {
          case "signature_name" -> {
            if (v != JsonToken.VALUE_STRING || sig != null) return null;
            sig = p.getText();
          }
          case "instances", "inputs" -> {
            if (format != null || v != JsonToken.START_ARRAY) return null;
            format = key.equals("instances") ? PredictJson.Format.ROW : PredictJson.Format.COLUMNAR;
            dense = dense(p, format);
            if (dense == null) return null;
          }
          default -> p.skipChildren();
        }
      }
      if (dense == null) return null;
      return new Request(sig == null ? "" : sig, format, dense.shape, dense.values);
    } catch (IOException | RuntimeException e) {
      return null; // the general way reports it
    }
  }

  /** The nested arrays from the current START_ARRAY, if dense, non-empty and all numbers. */
  private static Request dense(JsonParser p, PredictJson.Format format) throws IOException {
    long[] dims = new long[MAX_DEPTH];
    Arrays.fill(dims, -1);
    long[] count = new long[MAX_DEPTH];
    int depth = 1;
    int leafDepth = -1;
    double[] v = new double[256];
    int n = 0;
    while (depth > 0) {
      JsonToken t = p.nextToken();
      if (t == null) return null;
      switch (t) {
        case START_ARRAY -> {
          if (depth == MAX_DEPTH || leafDepth >= 0 && depth >= leafDepth) return null;
          count[depth - 1]++;
          count[depth++] = 0;
        }
        case END_ARRAY -> {
          depth--;
          long len = count[depth];
          if (len == 0 || dims[depth] >= 0 && dims[depth] != len) return null;
          dims[depth] = len;
        }
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
          if (leafDepth < 0) leafDepth = depth;
          else if (leafDepth != depth) return null;
          count[depth - 1]++;
          if (n == v.length) v = Arrays.copyOf(v, n * 2);
          v[n++] = p.getDoubleValue();
        }
        default -> {
          return null;
        }
      }
    }
    if (leafDepth < 0) return null;
    long[] shape = Arrays.copyOf(dims, leafDepth);
    return new Request("", format, shape, Arrays.copyOf(v, n));
  }

  /** The values as the signature's input dtype, or null if that is not float or double. */
  static TensorValue tensor(Request r, org.tensorflow.proto.DataType dtype) {
    switch (dtype) {
      case DT_DOUBLE:
        return new TensorValue(dtype, r.shape(), r.values());
      case DT_FLOAT:
        float[] f = new float[r.values().length];
        for (int i = 0; i < f.length; i++) f[i] = (float) r.values()[i];
        return new TensorValue(dtype, r.shape(), f);
      default:
        return null;
    }
  }
}
