package io.github.activationlab.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's {@code Reshape(target_shape)}: each sample's values, row-major, in a new shape (one
 * dimension may be -1: whatever remains). No weights.
 *
 * @param targetShape the shape of each sample, without the batch axis
 */
public record Reshape(long[] targetShape) implements Layer {

  /**
   * Copies and checks the shape.
   *
   * @param targetShape the shape of each sample
   * @throws IllegalArgumentException for an empty shape, more than one -1 or a dimension below 1
   */
  public Reshape {
    targetShape = targetShape.clone();
    int unknown = 0;
    for (long d : targetShape) {
      if (d == -1) unknown++;
      else if (d < 1) throw new IllegalArgumentException("Reshape: dimension " + d);
    }
    if (targetShape.length == 0 || unknown > 1) {
      throw new IllegalArgumentException("Reshape: target shape " + Arrays.toString(targetShape));
    }
  }

  @Override
  public String type() {
    return "Reshape";
  }

  @Override
  public long[] outputShape(List<long[]> inputs) {
    long n = 1;
    for (long d : Layer.single(inputs)) n *= d;
    long known = 1;
    for (long d : targetShape) if (d != -1) known *= d;
    long[] out = targetShape.clone();
    for (int i = 0; i < out.length; i++) if (out[i] == -1) out[i] = n / known;
    long m = 1;
    for (long d : out) m *= d;
    if (m != n) {
      throw new IllegalArgumentException(
          "Reshape: "
              + n
              + " values per sample cannot take the shape "
              + Arrays.toString(targetShape));
    }
    return out;
  }

  @Override
  public Operand<TFloating> call(
      CallContext c, List<Operand<TFloating>> inputs, List<Operand<TFloating>> weights) {
    long[] dims = new long[targetShape.length + 1];
    dims[0] = -1;
    long[] out = outputShape(List.of(rest(inputs.get(0))));
    System.arraycopy(out, 0, dims, 1, out.length);
    return c.ops().ops.reshape(inputs.get(0), c.ops().ops.constant(dims));
  }

  private static long[] rest(Operand<?> x) {
    long[] s = x.shape().asArray();
    return Arrays.copyOfRange(s, 1, s.length);
  }

  @Override
  public Map<String, Object> config() {
    List<Long> t = new ArrayList<>();
    for (long d : targetShape) t.add(d);
    return Layer.configOf("target_shape", t);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Reshape r && Arrays.equals(targetShape, r.targetShape);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(targetShape);
  }

  @Override
  public String toString() {
    return "Reshape" + Arrays.toString(targetShape);
  }

  /** Keras's config: target_shape. */
  static Reshape fromKeras(KerasConfig c) {
    long[] t = c.longs("target_shape");
    if (t == null) throw c.error("no target_shape");
    try {
      return new Reshape(t);
    } catch (IllegalArgumentException e) {
      throw c.error(e.getMessage());
    }
  }
}
