package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * What a layer's forward pass is told ({@link Layer#call(CallContext, java.util.List,
 * java.util.List)}): the ops bound to the model's dtype, whether it runs in training mode (Keras's
 * {@code training=True}: Dropout drops, BatchNormalization normalises with the batch's statistics
 * and updates its moving ones), the batch's sample mask (a padded last batch: statistics over its
 * real samples only) and a seed for random layers. In training mode a layer reports the new values
 * of its non-trainable state with {@link #update}; the training step carries them to the next step.
 *
 * <p>One context serves one forward pass; the model gives each layer its own view ({@code at}).
 */
public final class CallContext {
  private final FloatOps ops;
  private final boolean training;
  private final Operand<TFloating> mask;
  private final Operand<TInt64> seed;
  private final Map<Integer, Operand<TFloating>> updates;
  private final int layer;
  private final int weightBase;

  private CallContext(
      FloatOps ops,
      boolean training,
      Operand<TFloating> mask,
      Operand<TInt64> seed,
      Map<Integer, Operand<TFloating>> updates,
      int layer,
      int weightBase) {
    this.ops = ops;
    this.training = training;
    this.mask = mask;
    this.seed = seed;
    this.updates = updates;
    this.layer = layer;
    this.weightBase = weightBase;
  }

  /**
   * Inference mode (Keras's {@code training=False}): what {@code predict}, {@code evaluate} and
   * exports run.
   *
   * @param ops the ops, bound to the model's dtype
   * @return the context
   */
  public static CallContext inference(FloatOps ops) {
    return new CallContext(ops, false, null, null, new LinkedHashMap<>(), 0, 0);
  }

  /**
   * Training mode (Keras's {@code training=True}): what a training step runs.
   *
   * @param ops the ops, bound to the model's dtype
   * @param mask the batch's sample mask {@code [batch]} (1 for a real sample, 0 for padding), or
   *     null when every row is real
   * @param seed an int64 {@code [2]} seed, different at every step (random layers derive theirs
   *     from it), or null when the model has no random layer
   * @return the context
   */
  public static CallContext training(FloatOps ops, Operand<TFloating> mask, Operand<TInt64> seed) {
    return new CallContext(ops, true, mask, seed, new LinkedHashMap<>(), 0, 0);
  }

  /**
   * This context as seen by layer {@code layer}, whose first weight is model weight {@code base}.
   */
  CallContext at(int layer, int base) {
    return new CallContext(ops, training, mask, seed, updates, layer, base);
  }

  /**
   * The ops, bound to the model's dtype.
   *
   * @return the ops
   */
  public FloatOps ops() {
    return ops;
  }

  /**
   * Whether the pass is a training step.
   *
   * @return true in training mode
   */
  public boolean training() {
    return training;
  }

  /**
   * The batch's sample mask in training mode.
   *
   * @return {@code [batch]}, 1 for real samples and 0 for padding rows; null when all are real (or
   *     in inference)
   */
  public Operand<TFloating> mask() {
    return mask;
  }

  /**
   * A seed for this layer's random numbers at this step: the step's seed offset by the layer's
   * index, so that two random layers never share a stream.
   *
   * @return an int32 {@code [2]} seed for TensorFlow's stateless random ops (int32: XLA's kernels
   *     of the stateless ops take no other)
   * @throws IllegalStateException outside training mode, or when the step has no seed
   */
  public Operand<TInt32> seed() {
    if (seed == null) throw new IllegalStateException("no random seed in this pass");
    var tf = ops.ops;
    var s = tf.math.add(seed, tf.constant(new long[] {1_000_003L * (layer + 1), 0}));
    return tf.dtypes.cast(s, TInt32.class);
  }

  /**
   * Reports the new value of one of this layer's non-trainable weights (training mode): e.g. a
   * BatchNormalization's moving mean after this batch.
   *
   * @param weight the weight's index in the layer's {@link Layer#weights(java.util.List)}
   * @param value its new value, shaped as the weight
   */
  public void update(int weight, Operand<TFloating> value) {
    updates.put(weightBase + weight, value);
  }

  /** The updates reported so far, by model weight index. */
  Map<Integer, Operand<TFloating>> updates() {
    return updates;
  }
}
