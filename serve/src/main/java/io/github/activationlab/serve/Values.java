package io.github.activationlab.serve;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.tensorflow.proto.DataType;

/**
 * The values of one tensor as a request lists them, checked one by one against the dtype with
 * TensorFlow Serving's rules ({@code AddValueToTensor}): float and double take any number (a double
 * literal rounded to float), int32 and uint8 only integer literals that fit int32, int64 those that
 * fit int64, bool only {@code true}/{@code false}, string only strings (and {@code {"b64": ...}},
 * decoded by the caller). Dtypes that TensorFlow Serving or TensorFlow Java cannot take from JSON
 * are UNIMPLEMENTED, as there.
 */
final class Values {
  final DataType dtype;
  private float[] f;
  private double[] d;
  private int[] i;
  private long[] l;
  private boolean[] z;
  private byte[][] s;
  private int n;

  Values(DataType dtype) {
    this.dtype = dtype;
    switch (dtype) {
      case DT_FLOAT -> f = new float[16];
      case DT_DOUBLE -> d = new double[16];
      case DT_INT32, DT_UINT8 -> i = new int[16];
      case DT_INT64 -> l = new long[16];
      case DT_BOOL -> z = new boolean[16];
      case DT_STRING -> s = new byte[16][];
      default -> {}
    }
  }

  int size() {
    return n;
  }

  private void grow() {
    int c = Math.max(16, n * 2);
    if (f != null) f = Arrays.copyOf(f, c);
    if (d != null) d = Arrays.copyOf(d, c);
    if (i != null) i = Arrays.copyOf(i, c);
    if (l != null) l = Arrays.copyOf(l, c);
    if (z != null) z = Arrays.copyOf(z, c);
    if (s != null) s = Arrays.copyOf(s, c);
  }

  private int capacity() {
    if (f != null) return f.length;
    if (d != null) return d.length;
    if (i != null) return i.length;
    if (l != null) return l.length;
    if (z != null) return z.length;
    if (s != null) return s.length;
    return 0;
  }

  /** Adds one JSON scalar, or fails with TensorFlow Serving's type error. */
  void add(Object v) {
    if (n == capacity()) grow();
    switch (dtype) {
      case DT_FLOAT -> {
        if (!(v instanceof Json.Num x)) throw PredictJson.typeError(v, dtype);
        f[n] = (float) x.value;
      }
      case DT_DOUBLE -> {
        if (!(v instanceof Json.Num x)) throw PredictJson.typeError(v, dtype);
        d[n] = x.value;
      }
      case DT_INT32, DT_UINT8 -> {
        if (!(v instanceof Json.Num x) || !x.isInt) throw PredictJson.typeError(v, dtype);
        i[n] = (int) x.bits;
      }
      case DT_INT64 -> {
        if (!(v instanceof Json.Num x) || !x.isInt64) throw PredictJson.typeError(v, dtype);
        l[n] = x.bits;
      }
      case DT_BOOL -> {
        if (!(v instanceof Boolean b)) throw PredictJson.typeError(v, dtype);
        z[n] = b;
      }
      case DT_STRING -> {
        if (!(v instanceof String str)) throw PredictJson.typeError(v, dtype);
        s[n] = str.getBytes(StandardCharsets.UTF_8);
      }
      default ->
          throw new ServeException(
              ServeException.Code.UNIMPLEMENTED,
              "Conversion of JSON Value: "
                  + Json.debug(v)
                  + " to type: "
                  + TensorValue.name(dtype));
    }
    n++;
  }

  /** Adds a decoded {@code {"b64": ...}} (the dtype is string). */
  void addBytes(byte[] b) {
    if (n == capacity()) grow();
    s[n++] = b;
  }

  /** The values added, in an array of exactly their number. */
  Object array() {
    if (f != null) return Arrays.copyOf(f, n);
    if (d != null) return Arrays.copyOf(d, n);
    if (i != null) return Arrays.copyOf(i, n);
    if (l != null) return Arrays.copyOf(l, n);
    if (z != null) return Arrays.copyOf(z, n);
    if (s != null) return Arrays.copyOf(s, n);
    return new float[0];
  }
}
