package io.github.activationlab.nn;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/** Keras's {@code Identity()}: its input, unchanged. No weights. */
public record Identity() implements Layer {

  @Override
  public String type() {
    return "Identity";
  }

  @Override
  public Operand<TFloating> call(
      CallContext c, List<Operand<TFloating>> inputs, List<Operand<TFloating>> weights) {
    return inputs.get(0);
  }

  @Override
  public Map<String, Object> config() {
    return Layer.configOf();
  }

  static Identity fromKeras(KerasConfig c) {
    return new Identity();
  }
}
