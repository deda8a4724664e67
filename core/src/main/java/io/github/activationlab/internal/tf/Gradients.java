package io.github.activationlab.internal.tf;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Erfc;
import org.tensorflow.op.nn.SparseSoftmaxCrossEntropyWithLogits;
import org.tensorflow.types.family.TNumber;

/**
 * Gradients that TensorFlow's C++ registry (which TF-Java's graph gradients use) does not have.
 * Python registers these in Python, so TF-Java needs its own: {@code Erfc}, which the exact GELU
 * uses (d/dx erfc(x) = -2/sqrt(pi) exp(-x^2), as Python's {@code _ErfcGrad}), and {@code
 * SparseSoftmaxCrossEntropyWithLogits}, the sparse categorical cross-entropy (d loss / d logits =
 * the op's own {@code backprop} output, softmax - one_hot, times the incoming gradient, as Python's
 * {@code _SparseSoftmaxCrossEntropyWithLogitsGrad} without its second-order term; no gradient for
 * the labels).
 */
public final class Gradients {
  private static boolean registered;

  private Gradients() {}

  /** Registers the missing gradients once per JVM (before any graph that needs them is built). */
  public static synchronized void register() {
    if (registered) return;
    registered = true;
    TensorFlow.registerCustomGradient(
        Erfc.Inputs.class,
        (tf, op, grads) -> {
          var x = op.x;
          var dy = grads.get(0);
          var minusTwoOverSqrtPi = tf.dtypes.cast(tf.constant(-2.0 / Math.sqrt(Math.PI)), x.type());
          var local = tf.math.mul(minusTwoOverSqrtPi, tf.math.exp(tf.math.neg(tf.math.square(x))));
          return List.of(tf.math.mul(tf.dtypes.cast(dy, x.type()), local));
        });
    TensorFlow.registerCustomGradient(
        SparseSoftmaxCrossEntropyWithLogits.Inputs.class, Gradients::sparseSoftmaxCrossEntropy);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Operand<?>> sparseSoftmaxCrossEntropy(
      Ops tf, SparseSoftmaxCrossEntropyWithLogits.Inputs op, List<Output<?>> grads) {
    // outputs: loss [batch], backprop [batch, classes] (softmax - one_hot: the op's own)
    Operand<TNumber> backprop = ((SparseSoftmaxCrossEntropyWithLogits) op.getOutputs()).backprop();
    Operand<TNumber> dLoss = (Operand<TNumber>) grads.get(0);
    var expanded = tf.expandDims(tf.dtypes.cast(dLoss, backprop.type()), tf.constant(-1));
    // labels are integers: no gradient flows to them (TF Java needs an operand, not null)
    return Arrays.asList(tf.math.mul(expanded, backprop), tf.zerosLike(op.labels));
  }
}
