package io.github.activationlab.internal.tf;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/** Bulk copies between Java arrays and float tensors (no element-by-element ndarray access). */
public final class Arrays2 {
  private Arrays2() {}

  /** A float32 or float64 tensor of {@code shape} holding {@code values} (row-major). */
  public static Tensor tensor(Class<? extends TFloating> dtype, Shape shape, double[] values) {
    if (shape.size() != values.length) {
      throw new IllegalArgumentException(
          "shape " + shape + " holds " + shape.size() + " values, got " + values.length);
    }
    if (dtype == TFloat64.class) {
      return TFloat64.tensorOf(shape, DataBuffers.of(values, true, false));
    }
    if (dtype == TFloat32.class) {
      float[] f = new float[values.length];
      for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
      return TFloat32.tensorOf(shape, DataBuffers.of(f, true, false));
    }
    throw new IllegalArgumentException("unsupported dtype " + dtype.getSimpleName());
  }

  /** A float32 or float64 matrix tensor {@code [rows, columns]} of equally long rows. */
  public static Tensor tensor(Class<? extends TFloating> dtype, double[][] rows) {
    int w = rows[0].length;
    double[] flat = new double[rows.length * w];
    for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * w, w);
    return tensor(dtype, Shape.of(rows.length, w), flat);
  }

  /** All values of a float32 or float64 tensor, as doubles, row-major. */
  public static double[] doubles(Tensor t) {
    double[] out = new double[(int) t.shape().size()];
    if (t instanceof TFloat64 d) {
      d.asRawTensor().data().asDoubles().read(out);
    } else if (t instanceof TFloat32 f) {
      float[] tmp = new float[out.length];
      f.asRawTensor().data().asFloats().read(tmp);
      for (int i = 0; i < tmp.length; i++) out[i] = tmp[i];
    } else {
      throw new IllegalArgumentException("expected a float tensor, got " + t.dataType());
    }
    return out;
  }

  /** The values of a float tensor, as float32 (what the SavedModels' outputs are). */
  public static float[] floats(Tensor t) {
    double[] d = doubles(t);
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
    return f;
  }
}
