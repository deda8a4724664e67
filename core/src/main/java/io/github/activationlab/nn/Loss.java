package io.github.activationlab.nn;

import io.github.activationlab.internal.tf.Gradients;
import io.github.activationlab.tf.FloatOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's losses, each per sample (over the outputs, axis 1), then the mean over the batch (axis 0;
 * a partial last batch averages over its real samples only), as Keras 3's TF backend computes them.
 * Found by Keras's names with {@link #of}; the cross-entropies also from logits ({@link
 * #fromLogits()}).
 *
 * <pre>{@code
 * model.compile(Loss.SPARSE_CATEGORICAL_CROSSENTROPY.fromLogits(), Adam.defaults(), 42);
 * }</pre>
 *
 * <p>As Keras 3's TF backend does, a cross-entropy on an output layer that ends in a sigmoid or a
 * softmax is computed from that layer's logits ({@code tf.nn.sigmoid_cross_entropy_with_logits},
 * {@code softmax_cross_entropy_with_logits}, {@code sparse_softmax_cross_entropy_with_logits}), not
 * from the clipped probabilities. A model with several outputs applies the loss to each and sums
 * them (Keras's {@code compile(loss=...)} with one loss).
 */
public final class Loss {
  /** {@code mean((y_pred - y_true)^2)}. */
  public static final Loss MSE = new Loss("mse", false);

  /** {@code mean(|y_true - y_pred|)} (Keras's {@code mae}). */
  public static final Loss MAE = new Loss("mae", false);

  /**
   * Keras's {@code huber} with delta 1: {@code mean(0.5 e^2 if |e| <= 1 else |e| - 0.5)}, e =
   * y_pred - y_true. (Keras files store no other delta: its {@code Huber} object's config omits
   * it.)
   */
  public static final Loss HUBER = new Loss("huber", false);

  /** {@code -mean(y log p + (1 - y) log(1 - p))}, p clipped to [1e-7, 1 - 1e-7] as Keras does. */
  public static final Loss BINARY_CROSSENTROPY = new Loss("binary_crossentropy", false);

  /**
   * {@code -sum(y log p)}, p normalised to sum 1 and clipped to [1e-7, 1 - 1e-7]; y one-hot (or any
   * distribution).
   */
  public static final Loss CATEGORICAL_CROSSENTROPY = new Loss("categorical_crossentropy", false);

  /** {@code -log p[y]}, y the class index (one target column per output). */
  public static final Loss SPARSE_CATEGORICAL_CROSSENTROPY =
      new Loss("sparse_categorical_crossentropy", false);

  private static final List<Loss> ALL =
      List.of(
          MSE,
          MAE,
          HUBER,
          BINARY_CROSSENTROPY,
          CATEGORICAL_CROSSENTROPY,
          SPARSE_CATEGORICAL_CROSSENTROPY);

  /** Keras's name for the loss, as {@code compile(loss=...)}, run.json and Keras files give it. */
  public final String kerasName;

  private final boolean logitsIn;

  private Loss(String kerasName, boolean logitsIn) {
    this.kerasName = kerasName;
    this.logitsIn = logitsIn;
  }

  /**
   * The losses by Keras name, each once (not the from-logits variants).
   *
   * @return MSE, MAE, HUBER, the three cross-entropies
   */
  public static List<Loss> values() {
    return ALL;
  }

  /**
   * The loss of this Keras name (or its alias: {@code mean_squared_error}, {@code
   * mean_absolute_error}, the class names {@code MeanSquaredError}, ...).
   *
   * @param name e.g. {@code mse}, {@code categorical_crossentropy}
   * @return the loss
   * @throws IllegalArgumentException for any other name (the message lists the valid ones)
   */
  public static Loss of(String name) {
    String n =
        switch (name == null ? "" : name) {
          case "mean_squared_error", "MeanSquaredError" -> "mse";
          case "mean_absolute_error", "MeanAbsoluteError" -> "mae";
          case "Huber", "huber_loss" -> "huber";
          case "BinaryCrossentropy" -> "binary_crossentropy";
          case "CategoricalCrossentropy" -> "categorical_crossentropy";
          case "SparseCategoricalCrossentropy" -> "sparse_categorical_crossentropy";
          default -> name;
        };
    for (Loss l : ALL) if (l.kerasName.equals(n)) return l;
    throw new IllegalArgumentException(
        "unknown loss '"
            + name
            + "'; valid: "
            + String.join(", ", ALL.stream().map(l -> l.kerasName).toList()));
  }

  /**
   * This cross-entropy computed from logits (Keras's {@code from_logits=True}): the model's output
   * is taken as logits.
   *
   * @return the from-logits variant
   * @throws IllegalArgumentException for a loss that is not a cross-entropy
   */
  public Loss fromLogits() {
    if (!isCrossentropy()) {
      throw new IllegalArgumentException(kerasName + " has no from_logits variant");
    }
    return logitsIn ? this : new Loss(kerasName, true);
  }

  /**
   * Whether the model's output is taken as logits (Keras's {@code from_logits}).
   *
   * @return true for a from-logits cross-entropy
   */
  public boolean isFromLogits() {
    return logitsIn;
  }

  private boolean isCrossentropy() {
    return kerasName.endsWith("crossentropy");
  }

  /** Whether it uses an output layer's logits (the cross-entropies, as Keras's TF backend). */
  boolean usesLogits() {
    return isCrossentropy();
  }

  /**
   * The number of target columns for an output of this width.
   *
   * @param outputWidth the output's values per sample
   * @return 1 for the sparse cross-entropy (the class index), else the output's width
   */
  public int targetWidth(int outputWidth) {
    return kerasName.equals("sparse_categorical_crossentropy") ? 1 : outputWidth;
  }

  /**
   * The Keras class of this loss, for a file that must store {@code from_logits}.
   *
   * @return e.g. {@code CategoricalCrossentropy}
   */
  String kerasClass() {
    StringBuilder b = new StringBuilder();
    for (String part : kerasName.split("_")) {
      b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return b.toString();
  }

  /**
   * How Keras's {@code compile_config} stores it: the name, or (from logits) the loss object.
   *
   * @return a name, or a {@code module/class_name/config} map
   */
  Object kerasConfig() {
    if (!logitsIn) return kerasName;
    // as each class's get_config() gives it (the sparse one has ignore_class, no label_smoothing)
    Map<String, Object> c =
        kerasName.equals("sparse_categorical_crossentropy")
            ? Layer.configOf(
                "name",
                kerasName,
                "reduction",
                "sum_over_batch_size",
                "from_logits",
                true,
                "ignore_class",
                null)
            : Layer.configOf(
                "name",
                kerasName,
                "reduction",
                "sum_over_batch_size",
                "from_logits",
                true,
                "label_smoothing",
                0.0,
                "axis",
                -1);
    return KerasConfig.object("keras.losses", kerasClass(), c);
  }

  /**
   * Per-sample losses of a model's (possibly several) outputs, summed over the outputs: shape
   * [batch]. {@code yTrue} holds each output's targets side by side ({@link #targetWidth}).
   */
  Operand<TFloating> perSample(FloatOps f, Operand<TFloating> yTrue, Architecture.Forward fw) {
    if (fw.outputs().size() == 1) return perSample(f, yTrue, fw.output(), fw.logits());
    var tf = f.ops;
    Operand<TFloating> sum = null;
    int off = 0;
    for (Architecture.Forward.Output o : fw.outputs()) {
      int width = targetWidth((int) o.value().shape().get(1));
      var y = tf.slice(yTrue, tf.constant(new int[] {0, off}), tf.constant(new int[] {-1, width}));
      off += width;
      Operand<TFloating> l = perSample(f, y, o.value(), o.logits());
      sum = sum == null ? l : f.add(sum, l);
    }
    return sum;
  }

  /**
   * Per-sample losses, shape [batch]. {@code logits} is the output layer's, or null. A seed sweep's
   * values carry a trailing seed axis ({@code [batch, outputs, S]}: per sample and seed {@code
   * [batch, S]}), which the element-wise losses keep: their mean is over axis 1, the outputs (the
   * last axis of a fit's values). The categorical cross-entropies take a fit's shapes only.
   */
  Operand<TFloating> perSample(
      FloatOps tf, Operand<TFloating> yTrue, Operand<TFloating> yPred, Operand<TFloating> logits) {
    var outputs = tf.ops.constant(1);
    var last = tf.ops.constant(-1);
    double eps = 1e-7;
    Operand<TFloating> z = logits != null ? logits : logitsIn ? yPred : null;
    switch (kerasName) {
      case "mse":
        return tf.ops.math.mean(tf.square(tf.sub(yPred, yTrue)), outputs);
      case "mae":
        return tf.ops.math.mean(tf.abs(tf.sub(yTrue, yPred)), outputs);
      case "huber":
        {
          var e = tf.sub(yPred, yTrue);
          var a = tf.abs(e);
          var quadratic = tf.mul(tf.c(0.5), tf.square(e));
          var linear = tf.sub(a, 0.5); // delta * |e| - 0.5 * delta^2 with delta 1, exactly
          return tf.ops.math.mean(tf.where(tf.le(a, 1.0), quadratic, linear), outputs);
        }
      case "binary_crossentropy":
        {
          if (z != null) {
            // max(z, 0) - z * y + log1p(exp(-|z|)), as tf.nn.sigmoid_cross_entropy_with_logits
            var ce =
                tf.add(tf.sub(tf.max(z, 0), tf.mul(z, yTrue)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
            return tf.ops.math.mean(ce, outputs);
          }
          var p = tf.max(tf.min(yPred, 1 - eps), eps);
          var ll =
              tf.add(
                  tf.mul(yTrue, tf.ops.math.log(p)),
                  tf.mul(tf.sub(1, yTrue), tf.ops.math.log(tf.sub(1, p))));
          return tf.neg(tf.ops.math.mean(ll, outputs));
        }
      case "categorical_crossentropy":
        {
          if (z != null) return tf.ops.nn.softmaxCrossEntropyWithLogits(z, yTrue).loss();
          var keep = org.tensorflow.op.core.Sum.keepDims(true);
          var p = tf.div(yPred, tf.ops.sum(yPred, last, keep));
          p = tf.max(tf.min(p, 1 - eps), eps);
          return tf.neg(tf.ops.sum(tf.mul(yTrue, tf.ops.math.log(p)), last));
        }
      default: // sparse_categorical_crossentropy
        {
          Gradients.register(); // TF Java's C++ registry has no gradient for this op
          Operand<TInt64> labels =
              tf.ops.reshape(
                  tf.ops.dtypes.cast(yTrue, TInt64.class), tf.ops.constant(new int[] {-1}));
          Operand<TFloating> features =
              z != null ? z : tf.ops.math.log(tf.max(tf.min(yPred, 1 - eps), eps));
          return tf.ops.nn.sparseSoftmaxCrossEntropyWithLogits(features, labels).loss();
        }
    }
  }

  /**
   * Checks targets before training: class indices of the sparse cross-entropy must be integers in
   * [0, classes).
   *
   * @param y the target rows, one column per output for the sparse cross-entropy
   * @param outputWidths each output's width
   * @throws IllegalArgumentException naming the row and value
   */
  void checkTargets(double[][] y, List<Integer> outputWidths) {
    if (!kerasName.equals("sparse_categorical_crossentropy")) return;
    for (int i = 0; i < y.length; i++) {
      for (int o = 0; o < outputWidths.size(); o++) {
        double v = y[i][o];
        if (v != Math.rint(v) || v < 0 || v >= outputWidths.get(o)) {
          throw new IllegalArgumentException(
              "target row "
                  + i
                  + ": "
                  + v
                  + " is not a class index in [0, "
                  + outputWidths.get(o)
                  + ") for sparse_categorical_crossentropy");
        }
      }
    }
  }

  /** The target widths of outputs of these widths. */
  List<Integer> targetWidths(List<Integer> outputWidths) {
    List<Integer> out = new ArrayList<>();
    for (int w : outputWidths) out.add(targetWidth(w));
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Loss l && kerasName.equals(l.kerasName) && logitsIn == l.logitsIn;
  }

  @Override
  public int hashCode() {
    return kerasName.hashCode() * 2 + (logitsIn ? 1 : 0);
  }

  @Override
  public String toString() {
    return kerasName + (logitsIn ? " (from logits)" : "");
  }
}
