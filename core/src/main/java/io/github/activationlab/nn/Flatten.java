package io.github.activationlab.nn;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's {@code Flatten()}: each sample's values in one row, row-major ({@code [batch, d1, d2]} to
 * {@code [batch, d1 * d2]}). No weights.
 */
public record Flatten() implements Layer {

  @Override
  public String type() {
    return "Flatten";
  }

  @Override
  public long[] outputShape(List<long[]> inputs) {
    long n = 1;
    for (long d : Layer.single(inputs)) n *= d;
    return new long[] {n};
  }

  @Override
  public Operand<TFloating> call(
      CallContext c, List<Operand<TFloating>> inputs, List<Operand<TFloating>> weights) {
    Operand<TFloating> x = inputs.get(0);
    if (x.shape().numDimensions() == 2) return x;
    long n = 1;
    for (int i = 1; i < x.shape().numDimensions(); i++) n *= x.shape().get(i);
    return c.ops().ops.reshape(x, c.ops().ops.constant(new long[] {-1, n}));
  }

  @Override
  public Map<String, Object> config() {
    return Layer.configOf("data_format", "channels_last");
  }

  /** Keras's config: channels_last (channels_first would transpose images first). */
  static Flatten fromKeras(KerasConfig c) {
    c.require("data_format", "channels_last");
    return new Flatten();
  }
}
