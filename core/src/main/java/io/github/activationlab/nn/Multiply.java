package io.github.activationlab.nn;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's {@code Multiply()}: the element-wise product of two or more inputs of one shape, {@code
 * ((x0 * x1) * x2) ...}. No weights.
 */
public record Multiply() implements Layer {

  @Override
  public String type() {
    return "Multiply";
  }

  @Override
  public long[] outputShape(List<long[]> inputs) {
    return Merge.sameShape("Multiply", inputs, false);
  }

  @Override
  public Operand<TFloating> call(
      CallContext c, List<Operand<TFloating>> inputs, List<Operand<TFloating>> weights) {
    return Merge.fold(inputs, c.ops()::mul);
  }

  @Override
  public Map<String, Object> config() {
    return Layer.configOf();
  }

  static Multiply fromKeras(KerasConfig c) {
    return new Multiply();
  }
}
