package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's {@code AdamW(learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
 * epsilon=1e-7, amsgrad=False)}: decoupled weight decay, {@code w = w - w * weight_decay *
 * learning_rate} on every trainable weight before {@link Adam}'s step (Keras's {@code
 * _apply_weight_decay}), then Adam's update with the same slots.
 *
 * <p>Loshchilov and Hutter, "Decoupled Weight Decay Regularization", ICLR 2019.
 *
 * @param learningRate the step size (positive and finite)
 * @param weightDecay the decay factor (Keras's {@code weight_decay})
 * @param beta1 the decay of the first moment
 * @param beta2 the decay of the second moment
 * @param epsilon added to sqrt(v) in the denominator
 * @param amsgrad whether the denominator uses the running maximum of v
 */
public record AdamW(
    double learningRate,
    double weightDecay,
    double beta1,
    double beta2,
    double epsilon,
    boolean amsgrad)
    implements Optimizer, Optimizers.Rule {

  /**
   * Checks the hyperparameters.
   *
   * @param learningRate the step size
   * @param weightDecay the decay factor
   * @param beta1 the decay of the first moment
   * @param beta2 the decay of the second moment
   * @param epsilon the denominator's epsilon
   * @param amsgrad whether to use amsgrad
   * @throws IllegalArgumentException for a learning rate that is not positive and finite, or a
   *     negative weight decay
   */
  public AdamW {
    new Adam(learningRate, beta1, beta2, epsilon); // the same checks
    if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight_decay " + weightDecay);
  }

  /**
   * Keras's {@code AdamW(learning_rate=lr)}, the other hyperparameters at their defaults.
   *
   * @param lr the learning rate (positive)
   * @return the optimizer
   */
  public static AdamW learningRate(double lr) {
    return new AdamW(lr, 0.004, 0.9, 0.999, 1e-7, false);
  }

  /**
   * This optimizer with another weight decay.
   *
   * @param wd the decay factor
   * @return a copy
   */
  public AdamW weightDecay(double wd) {
    return new AdamW(learningRate, wd, beta1, beta2, epsilon, amsgrad);
  }

  private Adam adam() {
    return new Adam(learningRate, beta1, beta2, epsilon, amsgrad, weightDecay);
  }

  @Override
  public String kerasClass() {
    return "AdamW";
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("learning_rate", learningRate);
    c.put("weight_decay", weightDecay);
    c.put("beta_1", beta1);
    c.put("beta_2", beta2);
    c.put("epsilon", epsilon);
    c.put("amsgrad", amsgrad);
    return c;
  }

  @Override
  public List<String> slotNames() {
    return adam().slotNames();
  }

  @Override
  public List<List<Integer>> h5Groups() {
    return adam().h5Groups();
  }

  /**
   * Weight decay, then Adam's step: {@link Adam#update(FloatOps, List, List, Optimizers.Slots)}.
   */
  @Override
  public Optimizers.Step update(
      FloatOps f,
      List<Operand<TFloating>> weights,
      List<Operand<TFloating>> grads,
      Optimizers.Slots s) {
    return adam().update(f, weights, grads, s);
  }
}
