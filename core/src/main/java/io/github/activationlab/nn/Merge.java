package io.github.activationlab.nn;

import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/** What Keras's element-wise merge layers share: inputs of one shape, folded left to right. */
final class Merge {
  private Merge() {}

  /** The common shape of two or more inputs (exactly two when {@code exactlyTwo}). */
  static long[] sameShape(String layer, List<long[]> inputs, boolean exactlyTwo) {
    if (inputs.size() < 2 || exactlyTwo && inputs.size() != 2) {
      throw new IllegalArgumentException(
          layer
              + " takes "
              + (exactlyTwo ? "exactly 2" : "at least 2")
              + " inputs, got "
              + inputs.size());
    }
    for (long[] s : inputs) {
      if (!Arrays.equals(s, inputs.get(0))) {
        throw new IllegalArgumentException(
            layer
                + " takes inputs of one shape, got "
                + inputs.stream().map(Arrays::toString).toList());
      }
    }
    return inputs.get(0).clone();
  }

  /** {@code op(op(x0, x1), x2) ...}, as Keras's {@code _merge_function} loops. */
  static Operand<TFloating> fold(
      List<Operand<TFloating>> xs, BinaryOperator<Operand<TFloating>> op) {
    Operand<TFloating> out = xs.get(0);
    for (int i = 1; i < xs.size(); i++) out = op.apply(out, xs.get(i));
    return out;
  }
}
