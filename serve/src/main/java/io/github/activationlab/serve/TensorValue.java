package io.github.activationlab.serve;

import java.util.Arrays;
import org.tensorflow.proto.DataType;

/**
 * A tensor as the REST API sees it, outside TensorFlow: its dtype, shape and values, row-major, in
 * the Java array that fits the dtype ({@code float[]} for float32, half and bfloat16, {@code
 * double[]}, {@code int[]} for int32, int16, int8, uint8 and uint16, {@code long[]} for int64,
 * {@code boolean[]}, {@code byte[][]} for strings). Requests are parsed into these and responses
 * written from them; {@link Tensors} converts them to and from TensorFlow's tensors.
 *
 * @param dtype the TensorFlow dtype
 * @param shape the dimensions (empty for a scalar)
 * @param data the values, row-major
 */
public record TensorValue(DataType dtype, long[] shape, Object data) {
  /**
   * @return the number of values
   */
  public int size() {
    return java.lang.reflect.Array.getLength(data);
  }

  /**
   * @return the dtype's name as TensorFlow's {@code DataTypeString} writes it ({@code float},
   *     {@code int32}, ...)
   */
  public String dtypeName() {
    return name(dtype);
  }

  /**
   * @param dtype a TensorFlow dtype
   * @return its name as TensorFlow's {@code DataTypeString} writes it
   */
  public static String name(DataType dtype) {
    return switch (dtype) {
      case DT_FLOAT -> "float";
      case DT_DOUBLE -> "double";
      case DT_HALF -> "half";
      case DT_BFLOAT16 -> "bfloat16";
      case DT_STRING -> "string";
      case DT_BOOL -> "bool";
      default -> dtype.name().substring(3).toLowerCase(java.util.Locale.ROOT);
    };
  }

  @Override
  public String toString() {
    return name(dtype) + Arrays.toString(shape);
  }
}
