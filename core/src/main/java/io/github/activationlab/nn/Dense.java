package io.github.activationlab.nn;

import io.github.activationlab.activation.Activation;
import io.github.activationlab.activation.Activations;
import io.github.activationlab.tf.FloatOps;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's {@code Dense(units, activation=None, use_bias=True)}: {@code activation(x @ kernel +
 * bias)}, kernel {@code [in, units]} initialised glorot_uniform, bias zeros.
 */
public record Dense(int units, Activation activation, boolean useBias) implements Layer {

  /** {@code Dense(units, activation)} with a catalogue name ({@code null} or "linear": none). */
  public static Dense of(int units, String activation) {
    return new Dense(units, Activations.get(activation == null ? "linear" : activation), true);
  }

  /** {@code Dense(units)}, linear. */
  public static Dense of(int units) {
    return of(units, "linear");
  }

  public Dense {
    if (units <= 0)
      throw new IllegalArgumentException("Dense units must be positive, got " + units);
  }

  @Override
  public String type() {
    return "Dense";
  }

  @Override
  public int units(int inputDim) {
    return units;
  }

  @Override
  public List<WeightSpec> weights(int inputDim) {
    var kernel = new WeightSpec("kernel", new long[] {inputDim, units});
    return useBias ? List.of(kernel, new WeightSpec("bias", new long[] {units})) : List.of(kernel);
  }

  @Override
  public List<double[]> initialWeights(int inputDim, RandomGenerator rng) {
    List<double[]> w = new ArrayList<>();
    w.add(Initializers.glorotUniform(rng, inputDim, units));
    if (useBias) w.add(new double[units]);
    return w;
  }

  @Override
  public Operand<TFloating> call(
      FloatOps tf, Operand<TFloating> x, List<Operand<TFloating>> weights) {
    Operand<TFloating> kernel = weights.get(0);
    Operand<TFloating> z =
        kernel.shape().numDimensions() == 3
            ? perSeed(tf, x, kernel)
            : tf.ops.linalg.matMul(x, kernel);
    if (useBias) z = tf.add(z, weights.get(1));
    return activation.call(tf.ops, z);
  }

  /**
   * A seed sweep's {@code x @ kernel} for each seed, the seed axis last: x {@code [B, in, S]} (or
   * {@code [B, in, 1]}, the same inputs for every seed), kernel {@code [in, out, S]}, result {@code
   * [B, out, S]}, written as {@code in} multiply-adds of broadcast slices: element-wise ops that
   * XLA fuses and vectorises along the seeds (a batched matmul of these tiny matrices compiles to
   * scalar code).
   */
  private static Operand<TFloating> perSeed(
      FloatOps tf, Operand<TFloating> x, Operand<TFloating> kernel) {
    Ops ops = tf.ops;
    int in = (int) kernel.shape().size(0);
    List<Output<TFloating>> rows =
        ops.unstack(kernel, (long) in, Unstack.axis(0L)).output(); // [out, S]
    List<Output<TFloating>> columns =
        ops.unstack(x, (long) in, Unstack.axis(1L)).output(); // [B, S]
    var unit = ops.constant(1);
    Operand<TFloating> z = null;
    for (int k = 0; k < in; k++) {
      var term = tf.mul(ops.expandDims(columns.get(k), unit), rows.get(k)); // [B, out, S]
      z = z == null ? term : tf.add(z, term);
    }
    return z;
  }

  /** The same layer without its activation (its pre-activation values, e.g. logits). */
  public Dense linear() {
    return new Dense(units, Activations.get("linear"), useBias);
  }

  @Override
  public String activationName() {
    return activation.name();
  }
}
