package io.github.activationlab.nn;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/** Keras's {@code Subtract()}: {@code x0 - x1}, of exactly two inputs of one shape. No weights. */
public record Subtract() implements Layer {

  @Override
  public String type() {
    return "Subtract";
  }

  @Override
  public long[] outputShape(List<long[]> inputs) {
    return Merge.sameShape("Subtract", inputs, true);
  }

  @Override
  public Operand<TFloating> call(
      CallContext c, List<Operand<TFloating>> inputs, List<Operand<TFloating>> weights) {
    return c.ops().sub(inputs.get(0), inputs.get(1));
  }

  @Override
  public Map<String, Object> config() {
    return Layer.configOf();
  }

  static Subtract fromKeras(KerasConfig c) {
    return new Subtract();
  }
}
