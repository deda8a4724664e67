package io.github.activationlab.nn;

import io.github.activationlab.activation.Activation;
import io.github.activationlab.activation.ElementWise;
import java.util.List;

/**
 * What a {@link SeedSweep} trains: what its trailing seed axis passes through unchanged. A
 * Sequential model on flat samples of Dense layers (without regularizers), PReLU and activation
 * layers, each activation element-wise; a loss computed per output (mse, mae, huber,
 * binary_crossentropy); any optimizer (every update is element-wise). Anything else is refused in
 * one line that names it and says why: a normalising, random or stateful layer (its statistics,
 * masks or state would have to be kept per seed), a row-wise activation (softmax would normalise
 * across the seeds), a regularizer (its penalty would be summed over all seeds), the categorical
 * cross-entropies (TensorFlow's fused kernels take {@code [batch, classes]} only), a Functional
 * graph or samples of more than one axis.
 */
final class SweepSupport {
  private SweepSupport() {}

  /** The losses a sweep trains with, by Keras name. */
  static final List<String> LOSSES = List.of("mse", "mae", "huber", "binary_crossentropy");

  /** Throws a one-line {@link IllegalArgumentException} unless a sweep can train this. */
  static void check(Architecture arch, Loss loss) {
    String what = "a seed sweep trains Sequential stacks of Dense, PReLU and activation layers";
    if (!arch.isSequential()) {
      throw new IllegalArgumentException(what + " on flat samples; not a Functional graph");
    }
    long[] sample = arch.inputs().get(0).shape();
    if (sample.length != 1) {
      throw new IllegalArgumentException(
          what + " on flat samples; not samples of shape " + java.util.Arrays.toString(sample));
    }
    for (Architecture.Node n : arch.nodes()) {
      Layer l = n.layer();
      String name = "layer '" + n.name() + "' (" + l.type() + ")";
      if (l instanceof Dense d) {
        if (d.kernelRegularizer() != null || d.biasRegularizer() != null) {
          throw new IllegalArgumentException(
              "a seed sweep cannot train "
                  + name
                  + " with a regularizer (its penalty would be"
                  + " summed over all seeds)");
        }
        elementWise(d.activation(), name);
      } else if (l instanceof ActivationLayer a) {
        elementWise(a.activation(), name);
      } else if (!(l instanceof PRelu)) {
        throw new IllegalArgumentException(what + "; not " + name);
      }
    }
    if (!LOSSES.contains(loss.kerasName)) {
      throw new IllegalArgumentException(
          "a seed sweep trains with " + String.join(", ", LOSSES) + "; not " + loss);
    }
  }

  private static void elementWise(Activation a, String layer) {
    if (!(a instanceof ElementWise)) {
      throw new IllegalArgumentException(
          "a seed sweep cannot train "
              + layer
              + ": its activation "
              + a.name()
              + " is row-wise (it would mix the seeds); element-wise activations only");
    }
  }
}
