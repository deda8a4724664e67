package io.github.activationlab.tf;

import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * The float dtypes this library computes in, by the names Keras, run.json, the sweep JSON and the
 * command line use for them: {@code "float32"} ({@link TFloat32}) and {@code "float64"} ({@link
 * TFloat64}).
 */
public final class DTypes {
  private DTypes() {}

  /**
   * @param dtype {@code TFloat32.class} or {@code TFloat64.class}
   * @return its name, {@code "float32"} or {@code "float64"}
   * @throws IllegalArgumentException for any other type
   */
  public static String name(Class<? extends TFloating> dtype) {
    if (dtype == TFloat32.class) return "float32";
    if (dtype == TFloat64.class) return "float64";
    throw new IllegalArgumentException("unsupported dtype " + dtype.getSimpleName());
  }

  /**
   * @param name {@code "float32"} or {@code "float64"}
   * @return its type
   * @throws IllegalArgumentException for any other name (the message lists the two)
   */
  public static Class<? extends TFloating> of(String name) {
    return switch (name) {
      case "float32" -> TFloat32.class;
      case "float64" -> TFloat64.class;
      default ->
          throw new IllegalArgumentException(
              "unsupported dtype '" + name + "' (float32 or float64)");
    };
  }
}
