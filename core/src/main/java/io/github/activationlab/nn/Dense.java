package io.github.activationlab.nn;

import io.github.activationlab.activation.Activation;
import io.github.activationlab.activation.Activations;
import io.github.activationlab.tf.FloatOps;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's {@code Dense(units, activation=None, use_bias=True, kernel_regularizer=None,
 * bias_regularizer=None)}: {@code activation(x @ kernel + bias)}, kernel {@code [in, units]}
 * initialised glorot_uniform, bias zeros, on the last axis of its input. Any activation of the
 * catalogue works, element-wise or row-wise (softmax). A regularizer adds its penalty to the loss
 * {@code fit} minimises and reports, as Keras does.
 *
 * <pre>{@code
 * Dense hidden = Dense.of(4, "relu");
 * Dense out = new Dense(1, NotebookActivations.leakyRelu(0.2), false); // other parameters, no bias
 * Dense decayed = Dense.of(8, "relu").withRegularizers(Regularizer.l2(1e-4), null);
 * }</pre>
 *
 * @param units the number of output units (positive)
 * @param activation the activation applied to {@code x @ kernel + bias}
 * @param useBias whether the layer has a bias (Keras's {@code use_bias})
 * @param kernelRegularizer the kernel's regularizer (Keras's {@code kernel_regularizer}), or null
 * @param biasRegularizer the bias's regularizer (Keras's {@code bias_regularizer}), or null
 */
public record Dense(
    int units,
    Activation activation,
    boolean useBias,
    Regularizer kernelRegularizer,
    Regularizer biasRegularizer)
    implements Layer {

  /**
   * Keras's {@code Dense(units, activation=name)}, with a bias.
   *
   * @param units the number of output units (positive)
   * @param activation a catalogue name ({@link
   *     io.github.activationlab.activation.Activations#get}); {@code null} or {@code "linear"} for
   *     none
   * @return the layer
   * @throws IllegalArgumentException for an unknown activation or non-positive units
   */
  public static Dense of(int units, String activation) {
    return new Dense(units, Activations.get(activation == null ? "linear" : activation), true);
  }

  /**
   * Keras's {@code Dense(units)}: linear, with a bias.
   *
   * @param units the number of output units (positive)
   * @return the layer
   * @throws IllegalArgumentException for non-positive units
   */
  public static Dense of(int units) {
    return of(units, "linear");
  }

  /**
   * A Dense without regularizers.
   *
   * @param units the number of output units (positive)
   * @param activation the activation
   * @param useBias whether the layer has a bias
   */
  public Dense(int units, Activation activation, boolean useBias) {
    this(units, activation, useBias, null, null);
  }

  /**
   * Checks the units.
   *
   * @param units the number of output units
   * @param activation the activation
   * @param useBias whether the layer has a bias
   * @param kernelRegularizer the kernel's regularizer, or null
   * @param biasRegularizer the bias's regularizer, or null
   * @throws IllegalArgumentException for non-positive units
   */
  public Dense {
    if (units <= 0) {
      throw new IllegalArgumentException("Dense units must be positive, got " + units);
    }
  }

  /**
   * This layer with regularizers.
   *
   * @param kernel the kernel's regularizer, or null
   * @param bias the bias's regularizer, or null
   * @return a copy with them
   */
  public Dense withRegularizers(Regularizer kernel, Regularizer bias) {
    return new Dense(units, activation, useBias, kernel, bias);
  }

  @Override
  public String type() {
    return "Dense";
  }

  @Override
  public long[] outputShape(List<long[]> inputs) {
    long[] in = Layer.single(inputs);
    long[] out = in.clone();
    out[out.length - 1] = units;
    return out;
  }

  @Override
  public List<WeightSpec> weights(List<long[]> inputs) {
    long[] in = Layer.single(inputs);
    var kernel =
        WeightSpec.trainable(
                "kernel", new long[] {in[in.length - 1], units}, Initializer.GLOROT_UNIFORM)
            .regularized(kernelRegularizer);
    if (!useBias) return List.of(kernel);
    var bias =
        WeightSpec.trainable("bias", new long[] {units}, Initializer.ZEROS)
            .regularized(biasRegularizer);
    return List.of(kernel, bias);
  }

  @Override
  public Operand<TFloating> call(
      CallContext c, List<Operand<TFloating>> inputs, List<Operand<TFloating>> weights) {
    return activation.call(c.ops().ops, linear(c, inputs.get(0), weights));
  }

  @Override
  public Operand<TFloating> logits(
      CallContext c, List<Operand<TFloating>> inputs, List<Operand<TFloating>> weights) {
    String a = activation.name();
    return a.equals("sigmoid") || a.equals("softmax") ? linear(c, inputs.get(0), weights) : null;
  }

  /** {@code x @ kernel + bias}. */
  private static Operand<TFloating> linear(
      CallContext c, Operand<TFloating> x, List<Operand<TFloating>> weights) {
    var tf = c.ops();
    Operand<TFloating> kernel = weights.get(0);
    // a seed sweep's kernel [in, out, S] (the seed axis last): per-seed multiply-adds; an input
    // of rank > 2: batched matmuls (the kernel broadcast over the batch axes, as Keras's matmul)
    Operand<TFloating> z =
        kernel.shape().numDimensions() == 3
            ? perSeed(tf, x, kernel)
            : x.shape().numDimensions() > 2
                ? tf.ops.train.batchMatMul(x, kernel, kernel.type())
                : tf.ops.linalg.matMul(x, kernel);
    return weights.size() > 1 ? tf.add(z, weights.get(1)) : z;
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

  /**
   * The same layer without its activation.
   *
   * @return a linear Dense of the same units, bias and regularizers: its output is this layer's
   *     pre-activation values (e.g. logits)
   */
  public Dense linear() {
    return new Dense(units, Activations.get("linear"), useBias, kernelRegularizer, biasRegularizer);
  }

  @Override
  public String activationName() {
    return activation.name();
  }

  /**
   * Keras stores a Dense's activation by name only: an activation whose parameters differ from
   * Keras's defaults (the notebook's leaky ReLU slope 0.01) is written as a linear Dense followed
   * by the activation layer that keeps them.
   */
  @Override
  public List<Layer> kerasForm() {
    if (KerasFunctions.toKeras(activation).params().isEmpty()) return List.of(this);
    return List.of(linear(), new ActivationLayer(activation));
  }

  @Override
  public Map<String, Object> config() {
    KerasFunctions.Keras a = KerasFunctions.toKeras(activation);
    if (!a.params().isEmpty()) {
      throw new IllegalArgumentException(
          "Keras stores a Dense activation by name only, so "
              + a.name()
              + "'s parameters "
              + a.params()
              + " would be lost; write Dense(activation='linear') followed by an activation layer");
    }
    return Layer.configOf(
        "units", units,
        "activation", a.name(),
        "use_bias", useBias,
        "kernel_initializer", KerasConfig.initializer("GlorotUniform"),
        "bias_initializer", KerasConfig.initializer("Zeros"),
        "kernel_regularizer", KerasConfig.regularizer(kernelRegularizer),
        "bias_regularizer", KerasConfig.regularizer(biasRegularizer),
        "kernel_constraint", null,
        "bias_constraint", null);
  }

  /** Keras's Dense config: units, activation (a name), use_bias, regularizers. */
  static Dense fromKeras(KerasConfig c) {
    int units = c.integer("units", 0);
    if (units < 1) throw c.error("units = " + c.raw("units"));
    Object a = c.raw("activation");
    if (a != null && !(a instanceof String)) {
      throw c.error(
          "activation "
              + KerasConfig.brief(a)
              + " is not a Keras activation name (custom activation functions are not supported)");
    }
    for (String k : List.of("kernel_constraint", "bias_constraint", "activity_regularizer")) {
      c.requireNull(k, "");
    }
    c.requireNull("quantization_config", "");
    c.requireNull("lora_rank", "");
    Activation act = KerasFunctions.fromKeras(c, a == null ? "linear" : (String) a, Map.of());
    return new Dense(
        units,
        act,
        c.bool("use_bias", true),
        c.regularizer("kernel_regularizer"),
        c.regularizer("bias_regularizer"));
  }
}
