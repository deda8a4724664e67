package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's weight regularizers {@code L1(l1)}, {@code L2(l2)} and {@code L1L2(l1, l2)}: a penalty
 * {@code l1 * sum(|w|) + l2 * sum(w^2)} that {@code fit} adds to the loss it minimises and reports,
 * as Keras's {@code compute_loss} adds {@code model.losses}.
 *
 * <pre>{@code
 * Dense.of(4, "relu").withRegularizers(Regularizer.l2(0.01), Regularizer.l1(0.02));
 * }</pre>
 *
 * @param l1 the L1 factor (0: none)
 * @param l2 the L2 factor (0: none)
 */
public record Regularizer(double l1, double l2) {

  /**
   * Checks the factors.
   *
   * @param l1 the L1 factor
   * @param l2 the L2 factor
   * @throws IllegalArgumentException for a negative or non-finite factor
   */
  public Regularizer {
    if (!(l1 >= 0) || !(l2 >= 0) || Double.isInfinite(l1) || Double.isInfinite(l2)) {
      throw new IllegalArgumentException("regularizer factors must be >= 0, got " + l1 + ", " + l2);
    }
  }

  /**
   * Keras's {@code L1(l1)}.
   *
   * @param l1 the factor
   * @return the regularizer
   */
  public static Regularizer l1(double l1) {
    return new Regularizer(l1, 0);
  }

  /**
   * Keras's {@code L2(l2)}.
   *
   * @param l2 the factor
   * @return the regularizer
   */
  public static Regularizer l2(double l2) {
    return new Regularizer(0, l2);
  }

  /**
   * The Keras class a file stores it as.
   *
   * @return {@code L1}, {@code L2} or {@code L1L2}
   */
  public String kerasClass() {
    return l2 == 0 ? "L1" : l1 == 0 ? "L2" : "L1L2";
  }

  /**
   * The config Keras stores.
   *
   * @return {@code {l1}}, {@code {l2}} or {@code {l1, l2}}
   */
  public Map<String, Object> config() {
    return switch (kerasClass()) {
      case "L1" -> Layer.configOf("l1", l1);
      case "L2" -> Layer.configOf("l2", l2);
      default -> Layer.configOf("l1", l1, "l2", l2);
    };
  }

  /**
   * The penalty as TF ops, as Keras computes it ({@code l1 * sum(abs(w))}, {@code l2 *
   * sum(square(w))}; L1L2 adds both to 0).
   */
  Operand<TFloating> penalty(FloatOps f, Operand<TFloating> w) {
    var all = f.ops.constant(allAxes(w));
    Operand<TFloating> l1Term = f.mul(f.c(l1), f.ops.sum(f.abs(w), all));
    Operand<TFloating> l2Term = f.mul(f.c(l2), f.ops.sum(f.square(w), all));
    return switch (kerasClass()) {
      case "L1" -> l1Term;
      case "L2" -> l2Term;
      default -> f.add(f.add(f.c(0), l1Term), l2Term);
    };
  }

  private static int[] allAxes(Operand<?> w) {
    int[] axes = new int[w.shape().numDimensions()];
    for (int i = 0; i < axes.length; i++) axes[i] = i;
    return axes;
  }
}
