package io.github.activationlab.nn;

import io.github.activationlab.internal.tf.Arrays2;
import java.util.Arrays;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.family.TFloating;

/** Rows of doubles to tensors and back, with the checks every model entry point makes. */
final class Rows {
  private Rows() {}

  /** A {@code [rows, width]} tensor; refuses a row of another width or with NaN. */
  static Tensor matrix(Class<? extends TFloating> dtype, double[][] rows, int width, String what) {
    double[] flat = new double[Math.multiplyExact(rows.length, width)];
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

  /** A {@code [rows, width]} tensor of the first {@code rows * width} values; refuses NaN. */
  static Tensor flat(Class<? extends TFloating> dtype, double[] flat, int rows, int width) {
    int n = Math.multiplyExact(rows, width);
    double[] x = flat.length == n ? flat : Arrays.copyOf(flat, n);
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(x[i]))
        throw new IllegalArgumentException("x row " + (i / width) + " has NaN");
    }
    return Arrays2.tensor(dtype, Shape.of(rows, width), x);
  }

  /** Row-major values as rows of {@code width}. */
  static double[][] split(double[] flat, int width) {
    double[][] out = new double[flat.length / width][];
    for (int i = 0; i < out.length; i++) {
      out[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
    }
    return out;
  }
}
