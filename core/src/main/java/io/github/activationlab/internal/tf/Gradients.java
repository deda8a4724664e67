package io.github.activationlab.internal.tf;

import java.util.List;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.math.Erfc;

/**
 * Gradients that TensorFlow's C++ registry (which TF-Java's graph gradients use) does not have.
 * Python registers these in Python, so TF-Java needs its own: today only {@code Erfc}, which the
 * exact GELU uses (d/dx erfc(x) = -2/sqrt(pi) exp(-x^2), as Python's {@code _ErfcGrad}).
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
  }
}
