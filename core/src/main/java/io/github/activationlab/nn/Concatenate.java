package io.github.activationlab.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's {@code Concatenate(axis=-1)}: two or more inputs side by side along the last axis (their
 * other dimensions equal). No weights.
 */
public record Concatenate() implements Layer {

  @Override
  public String type() {
    return "Concatenate";
  }

  @Override
  public long[] outputShape(List<long[]> inputs) {
    if (inputs.size() < 2) {
      throw new IllegalArgumentException(
          "Concatenate takes at least 2 inputs, got " + inputs.size());
    }
    long[] out = inputs.get(0).clone();
    int last = out.length - 1;
    for (int i = 1; i < inputs.size(); i++) {
      long[] s = inputs.get(i);
      if (s.length != out.length
          || !Arrays.equals(Arrays.copyOf(s, last), Arrays.copyOf(out, last))) {
        throw new IllegalArgumentException(
            "Concatenate on the last axis takes inputs equal in every other axis, got "
                + inputs.stream().map(Arrays::toString).toList());
      }
      out[last] += s[last];
    }
    return out;
  }

  @Override
  public Operand<TFloating> call(
      CallContext c, List<Operand<TFloating>> inputs, List<Operand<TFloating>> weights) {
    return c.ops().ops.concat(new ArrayList<>(inputs), c.ops().ops.constant(-1));
  }

  @Override
  public Map<String, Object> config() {
    return Layer.configOf("axis", -1);
  }

  /** Keras's config: the last axis only. */
  static Concatenate fromKeras(KerasConfig c) {
    c.lastAxisOnly("axis", -1);
    return new Concatenate();
  }
}
