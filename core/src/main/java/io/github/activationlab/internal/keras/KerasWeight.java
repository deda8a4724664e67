package io.github.activationlab.internal.keras;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One weight as stored in {@code model.weights.h5} ({@code layers/<path>/vars/<i>}) or one
 * optimizer variable ({@code optimizer/vars/<i>}).
 *
 * @param name what it is ({@code kernel}, {@code momentum}, ...) when known; read weights are named
 *     by their dataset index
 * @param shape the array's shape ({@code []} for a scalar)
 * @param values the values in row-major (C) order, as h5py and numpy store them; float32 values are
 *     widened exactly to double
 * @param dtype the dataset's type: {@code float32}, {@code float64} or {@code int64} (a
 *     Normalization's {@code count})
 */
public record KerasWeight(String name, long[] shape, double[] values, String dtype) {
  /** Copies the arrays and checks that {@code values} has the size {@code shape} says. */
  public KerasWeight {
    Objects.requireNonNull(name, "name");
    if (!List.of("float32", "float64", "int64").contains(dtype)) {
      throw new IllegalArgumentException("weight '" + name + "': dtype " + dtype);
    }
    shape = shape.clone();
    values = values.clone();
    long size = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "weight '" + name + "': negative dimension in " + Arrays.toString(shape));
      }
      size *= d;
    }
    if (size != values.length) {
      throw new IllegalArgumentException(
          "weight '"
              + name
              + "': shape "
              + Arrays.toString(shape)
              + " holds "
              + size
              + " values, got "
              + values.length);
    }
  }

  /** A float32 weight. */
  public KerasWeight(String name, long[] shape, double[] values) {
    this(name, shape, values, "float32");
  }

  /** Whether it is an integer dataset. */
  public boolean integer() {
    return dtype.equals("int64");
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  /** Number of values. */
  public int size() {
    return values.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KerasWeight w
        && name.equals(w.name)
        && dtype.equals(w.dtype)
        && Arrays.equals(shape, w.shape)
        && Arrays.equals(values, w.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape), Arrays.hashCode(values));
  }

  @Override
  public String toString() {
    return "KerasWeight["
        + name
        + " "
        + Arrays.toString(shape)
        + " "
        + (values.length <= 8 ? Arrays.toString(values) : values.length + " values")
        + "]";
  }
}
