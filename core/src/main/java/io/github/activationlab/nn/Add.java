package io.github.activationlab.nn;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's {@code Add()}: the element-wise sum of two or more inputs of one shape, {@code ((x0 + x1)
 * + x2) ...}. No weights.
 */
public record Add() implements Layer {

  @Override
  public String type() {
    return "Add";
  }

  @Override
  public long[] outputShape(List<long[]> inputs) {
    return Merge.sameShape("Add", inputs, false);
  }

  @Override
  public Operand<TFloating> call(
      CallContext c, List<Operand<TFloating>> inputs, List<Operand<TFloating>> weights) {
    return Merge.fold(inputs, c.ops()::add);
  }

  @Override
  public Map<String, Object> config() {
    return Layer.configOf();
  }

  static Add fromKeras(KerasConfig c) {
    return new Add();
  }
}
