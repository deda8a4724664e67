package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * A layer of a model, as Keras defines it: its Keras class ({@link #type()}), its configuration
 * ({@link #config()}, Keras's {@code get_config()}), its weights named and ordered as Keras names
 * and orders them ({@link #weights(List)}: trainable ones first, then the non-trainable state such
 * as a BatchNormalization's moving statistics), their initial values, and its forward pass in
 * training and inference mode ({@link #call(CallContext, List, List)}). A layer holds no weights
 * itself (the model does), so one layer object may appear in many models; the layers here are
 * immutable records.
 *
 * <p>Shapes are given without the batch axis: {@code [4]} for a batch of 4-vectors, {@code [2, 3]}
 * for a batch of 2x3 matrices. A layer with one input reads {@code inputs.get(0)}; merge layers
 * ({@link Add}, {@link Concatenate}, ...) take several.
 *
 * <p>Adding a layer type takes this interface implemented by one class (config, weights, forward)
 * and one line in the registry that maps its Keras class name to its reader ({@code
 * LayerRegistry}): the {@code .keras} reader and writer, the summary, the SavedModel export and the
 * graph then know it. docs/DESIGN.md has the recipe.
 */
public interface Layer {

  /**
   * A weight of the layer: Keras's name for it, its shape, whether the optimizer trains it, how it
   * starts, and its regularizer.
   *
   * @param name Keras's name: {@code kernel}, {@code bias}, {@code alpha}, {@code gamma}, {@code
   *     beta}, {@code moving_mean}, ...
   * @param shape the shape, e.g. {@code [in, units]} for a kernel
   * @param trainable whether the optimizer updates it (false: state the layer itself updates in
   *     training, or constant)
   * @param initializer its initial values (Keras's default initializer for it)
   * @param regularizer its penalty in the loss, or null
   * @param integer whether Keras stores it as an int64 (a Normalization's {@code count}); the model
   *     holds it as a float like every weight
   */
  record WeightSpec(
      String name,
      long[] shape,
      boolean trainable,
      Initializer initializer,
      Regularizer regularizer,
      boolean integer) {

    /**
     * A trainable weight that starts at zero and has no regularizer.
     *
     * @param name Keras's name
     * @param shape the shape
     */
    public WeightSpec(String name, long[] shape) {
      this(name, shape, true, Initializer.ZEROS, null, false);
    }

    /**
     * A trainable weight.
     *
     * @param name Keras's name
     * @param shape the shape
     * @param initializer its initial values
     * @return the spec (no regularizer)
     */
    public static WeightSpec trainable(String name, long[] shape, Initializer initializer) {
      return new WeightSpec(name, shape, true, initializer, null, false);
    }

    /**
     * A non-trainable weight: state the layer updates itself (in training) or holds.
     *
     * @param name Keras's name
     * @param shape the shape
     * @param initializer its initial values
     * @return the spec
     */
    public static WeightSpec state(String name, long[] shape, Initializer initializer) {
      return new WeightSpec(name, shape, false, initializer, null, false);
    }

    /**
     * This weight with a regularizer.
     *
     * @param r the regularizer (null: none)
     * @return a copy with {@code r}
     */
    public WeightSpec regularized(Regularizer r) {
      return new WeightSpec(name, shape, trainable, initializer, r, integer);
    }

    /**
     * This weight stored as an int64 in Keras files.
     *
     * @return a copy marked integer
     */
    public WeightSpec asInteger() {
      return new WeightSpec(name, shape, trainable, initializer, regularizer, true);
    }

    /**
     * The number of values.
     *
     * @return the product of the shape (1 for a scalar)
     * @throws ArithmeticException beyond {@code Integer.MAX_VALUE}
     */
    public int size() {
      long n = 1;
      for (long d : shape) n *= d;
      return Math.toIntExact(n);
    }
  }

  /** How a weight starts: Keras's initializers, drawn in plain Java from the model's seed. */
  @FunctionalInterface
  interface Initializer {
    /** Keras's {@code zeros}. */
    Initializer ZEROS = (shape, rng) -> new double[size(shape)];

    /** Keras's {@code ones}. */
    Initializer ONES = constant(1);

    /**
     * Keras's {@code glorot_uniform} for a kernel {@code [fan_in, fan_out]}: U(-limit, limit),
     * limit = sqrt(6 / (fan_in + fan_out)), row-major.
     */
    Initializer GLOROT_UNIFORM =
        (shape, rng) -> {
          double[] w = new double[size(shape)];
          double limit = Math.sqrt(6.0 / (shape[0] + shape[shape.length - 1]));
          for (int i = 0; i < w.length; i++) w[i] = (2 * rng.nextDouble() - 1) * limit;
          return w;
        };

    /**
     * Initial values of a weight of this shape.
     *
     * @param shape the weight's shape
     * @param rng the generator to draw from (the same state gives the same values)
     * @return flat row-major values
     */
    double[] values(long[] shape, RandomGenerator rng);

    /**
     * Keras's {@code Constant(value)}.
     *
     * @param value every value
     * @return the initializer
     */
    static Initializer constant(double value) {
      return (shape, rng) -> {
        double[] w = new double[size(shape)];
        Arrays.fill(w, value);
        return w;
      };
    }

    /**
     * Given values (e.g. a Normalization's adapted mean).
     *
     * @param values the values, row-major, as many as the shape holds
     * @return the initializer
     */
    static Initializer of(double[] values) {
      double[] v = values.clone();
      return (shape, rng) -> v.clone();
    }

    private static int size(long[] shape) {
      long n = 1;
      for (long d : shape) n *= d;
      return Math.toIntExact(n);
    }
  }

  /**
   * Keras's class name, for {@code summary()}, run.json and Keras files.
   *
   * @return e.g. {@code Dense}, {@code PReLU}, {@code BatchNormalization}, {@code LeakyReLU}
   */
  String type();

  /**
   * The layer's configuration as Keras's {@code get_config()} gives it, without the keys every
   * layer has ({@code name}, {@code trainable}, {@code dtype}): what a {@code .keras} file stores.
   *
   * @return the entries in Keras's order; values are numbers, booleans, strings, lists, maps (Keras
   *     objects as {@code module/class_name/config} maps) or null
   */
  Map<String, Object> config();

  /**
   * The output shape.
   *
   * @param inputs the input shapes, without the batch axis
   * @return the output shape, without the batch axis (default: the single input's, as a
   *     shape-preserving layer)
   * @throws IllegalArgumentException for inputs the layer cannot take
   */
  default long[] outputShape(List<long[]> inputs) {
    return single(inputs).clone();
  }

  /**
   * The layer's weights, in Keras's {@code get_weights()} order (trainable ones first).
   *
   * @param inputs the input shapes, without the batch axis
   * @return their specs (default: none)
   */
  default List<WeightSpec> weights(List<long[]> inputs) {
    return List.of();
  }

  /**
   * The forward pass as TF ops, in training or inference mode ({@link CallContext#training()}).
   *
   * @param c the ops and the mode; where a layer in training mode updates its state (moving
   *     statistics: {@link CallContext#update}) or draws random numbers ({@link CallContext#seed})
   * @param inputs the inputs, each {@code [batch, ...shape]}
   * @param weights the layer's weights as operands, in {@link #weights(List)} order
   * @return the output, {@code [batch, ...outputShape]}
   */
  Operand<TFloating> call(
      CallContext c, List<Operand<TFloating>> inputs, List<Operand<TFloating>> weights);

  /**
   * The output width of a layer on flat inputs of this width.
   *
   * @param inputDim the input width
   * @return the number of output values per sample
   */
  default int units(int inputDim) {
    long n = 1;
    for (long d : outputShape(List.of(new long[] {inputDim}))) n *= d;
    return Math.toIntExact(n);
  }

  /**
   * The layer's weights on flat inputs of this width.
   *
   * @param inputDim the input width
   * @return their names and shapes (empty for a layer without weights)
   */
  default List<WeightSpec> weights(int inputDim) {
    return weights(List.of(new long[] {inputDim}));
  }

  /**
   * Initial values of {@link #weights(List)}, from each weight's initializer in order.
   *
   * @param inputs the input shapes
   * @param rng the generator kernels are drawn from
   * @return flat arrays in {@link #weights(List)} order, kernels row-major
   */
  default List<double[]> initialWeights(List<long[]> inputs, RandomGenerator rng) {
    List<double[]> out = new ArrayList<>();
    for (WeightSpec w : weights(inputs)) out.add(w.initializer().values(w.shape(), rng));
    return out;
  }

  /**
   * Initial values on flat inputs of this width, with Keras's defaults (glorot_uniform kernels,
   * zero biases).
   *
   * @param inputDim the input width
   * @param rng the generator kernels are drawn from
   * @return flat arrays in {@link #weights(int)} order, kernels row-major
   */
  default List<double[]> initialWeights(int inputDim, RandomGenerator rng) {
    return initialWeights(List.of(new long[] {inputDim}), rng);
  }

  /**
   * The inference forward pass on one input.
   *
   * @param tf the ops, bound to the model's dtype
   * @param x the input, {@code [batch, in]} (or a seed sweep's {@code [batch, in, seeds]})
   * @param weights the layer's weights as operands, in {@link #weights(int)} order
   * @return the output
   */
  default Operand<TFloating> call(
      FloatOps tf, Operand<TFloating> x, List<Operand<TFloating>> weights) {
    return call(CallContext.inference(tf), List.of(x), weights);
  }

  /**
   * The activation's Keras name, for run.json.
   *
   * @return e.g. {@code sigmoid}; {@code linear} for a layer without one
   */
  default String activationName() {
    return "linear";
  }

  /**
   * The layers Keras files store this one as: itself, or (a Dense whose activation has parameters
   * Keras cannot keep on a Dense) a chain whose first layer takes the weights.
   *
   * @return one or more layers, applied in order
   */
  default List<Layer> kerasForm() {
    return List.of(this);
  }

  /**
   * The pre-activation values when this layer, as a model's output, ends in a sigmoid or a softmax
   * (Keras 3's TF backend computes cross-entropies from them), else null.
   *
   * @param c the ops and mode
   * @param inputs the inputs
   * @param weights the weights
   * @return the logits, or null
   */
  default Operand<TFloating> logits(
      CallContext c, List<Operand<TFloating>> inputs, List<Operand<TFloating>> weights) {
    return null;
  }

  /**
   * The one input of a single-input layer.
   *
   * @param inputs the input shapes
   * @return the only one
   * @throws IllegalArgumentException unless there is exactly one
   */
  static long[] single(List<long[]> inputs) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException("takes one input, got " + inputs.size());
    }
    return inputs.get(0);
  }

  /**
   * A config map from alternating keys and values (nulls allowed), in order.
   *
   * @param kv key, value, key, value, ...
   * @return a new mutable map
   */
  static Map<String, Object> configOf(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }
}
