package io.github.activationlab.nn;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's {@code Average()}: the element-wise mean of two or more inputs of one shape, {@code ((x0
 * + x1) + ...) / n} as Keras computes it. No weights.
 */
public record Average() implements Layer {

  @Override
  public String type() {
    return "Average";
  }

  @Override
  public long[] outputShape(List<long[]> inputs) {
    return Merge.sameShape("Average", inputs, false);
  }

  @Override
  public Operand<TFloating> call(
      CallContext c, List<Operand<TFloating>> inputs, List<Operand<TFloating>> weights) {
    return c.ops().div(Merge.fold(inputs, c.ops()::add), inputs.size());
  }

  @Override
  public Map<String, Object> config() {
    return Layer.configOf();
  }

  static Average fromKeras(KerasConfig c) {
    return new Average();
  }
}
