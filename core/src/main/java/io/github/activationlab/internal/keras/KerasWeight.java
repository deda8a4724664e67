package io.github.activationlab.internal.keras;

import java.util.Arrays;
import java.util.Objects;

/**
 * One weight of a layer, as stored in {@code model.weights.h5} ({@code layers/<path>/vars/<i>}).
 *
 * @param name Keras's variable name: {@code kernel} and {@code bias} (Dense), {@code alpha} (PReLU)
 * @param shape the array's shape: a Dense kernel is {@code [inputs, units]}, a bias {@code
 *     [units]}, a PReLU alpha {@code [inputs]}
 * @param values the values in row-major (C) order, as h5py and numpy store them; float32 weights
 *     are widened exactly to double
 */
public record KerasWeight(String name, long[] shape, double[] values) {
  /** Copies the arrays and checks that {@code values} has the size {@code shape} says. */
  public KerasWeight {
    Objects.requireNonNull(name, "name");
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

  /** The value at {@code index} of the flat row-major array (no copy). */
  public double value(int index) {
    return values[index];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KerasWeight w
        && name.equals(w.name)
        && Arrays.equals(shape, w.shape)
        && Arrays.equals(values, w.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(values));
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
