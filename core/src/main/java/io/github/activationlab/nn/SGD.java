package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's {@code SGD(learning_rate=0.01, momentum=0.0, nesterov=False)}, Keras 3's {@code
 * optimizers/sgd.py} step for every weight (lr the float32 learning-rate variable, momentum cast as
 * Keras casts it):
 *
 * <pre>
 * momentum 0:    w = w - g * lr
 * otherwise:     m = m * momentum - g * lr
 *                w = w + m                              (nesterov: w = w + (m * momentum - g * lr))
 * </pre>
 *
 * Its slot ({@code momentum}, one per weight) exists only when momentum is not 0, as in Keras.
 *
 * <pre>{@code
 * model.compile(Loss.MSE, SGD.learningRate(0.1).momentum(0.9).nesterov(true), 42);
 * }</pre>
 *
 * @param learningRate the step size (positive and finite)
 * @param momentum the momentum, in [0, 1]
 * @param nesterov whether to use Nesterov momentum
 * @param weightDecay Keras's {@code weight_decay} ({@code w -= w * wd * lr} before each step), or
 *     null for none
 */
public record SGD(double learningRate, double momentum, boolean nesterov, Double weightDecay)
    implements Optimizer, Optimizers.Rule {

  /**
   * Checks the hyperparameters.
   *
   * @param learningRate the step size
   * @param momentum the momentum
   * @param nesterov whether to use Nesterov momentum
   * @param weightDecay the weight decay, or null
   * @throws IllegalArgumentException for a learning rate that is not positive and finite, or a
   *     momentum outside [0, 1]
   */
  public SGD {
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("learning_rate must be positive, got " + learningRate);
    }
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1], got " + momentum);
    }
  }

  /**
   * Keras's {@code SGD(learning_rate=lr)}: no momentum.
   *
   * @param lr the learning rate (positive)
   * @return the optimizer
   */
  public static SGD learningRate(double lr) {
    return new SGD(lr, 0, false, null);
  }

  /**
   * This optimizer with another momentum.
   *
   * @param m the momentum, in [0, 1]
   * @return a copy
   */
  public SGD momentum(double m) {
    return new SGD(learningRate, m, nesterov, weightDecay);
  }

  /**
   * This optimizer with Nesterov momentum on or off.
   *
   * @param on whether to use Nesterov momentum
   * @return a copy
   */
  public SGD nesterov(boolean on) {
    return new SGD(learningRate, momentum, on, weightDecay);
  }

  @Override
  public String kerasClass() {
    return "SGD";
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("learning_rate", learningRate);
    if (weightDecay != null) c.put("weight_decay", weightDecay);
    c.put("momentum", momentum);
    c.put("nesterov", nesterov);
    return c;
  }

  @Override
  public List<String> slotNames() {
    return momentum != 0 ? List.of("momentum") : List.of();
  }

  @Override
  public List<List<Integer>> h5Groups() {
    return momentum != 0 ? List.of(List.of(0)) : List.of();
  }

  @Override
  public Optimizers.Step update(
      FloatOps f,
      List<Operand<TFloating>> weights,
      List<Operand<TFloating>> grads,
      Optimizers.Slots s) {
    List<Operand<TFloating>> w = Optimizers.decayed(f, weights, weightDecay, learningRate);
    var lr = Optimizers.lr(f, learningRate);
    List<Operand<TFloating>> w2 = new ArrayList<>();
    List<Operand<TFloating>> m2 = new ArrayList<>();
    for (int j = 0; j < w.size(); j++) {
      Operand<TFloating> g = grads.get(j);
      if (momentum == 0) {
        w2.add(f.sub(w.get(j), f.mul(g, lr)));
        continue;
      }
      var mu = Optimizers.viaFloat32(f, momentum);
      var m = f.sub(f.mul(s.slots().get(0).get(j), mu), f.mul(g, lr));
      m2.add(m);
      w2.add(nesterov ? f.add(w.get(j), f.sub(f.mul(m, mu), f.mul(g, lr))) : f.add(w.get(j), m));
    }
    List<List<Operand<TFloating>>> slots = momentum == 0 ? List.of() : List.of(m2);
    return new Optimizers.Step(w2, new Optimizers.Slots(Optimizers.next(f, s), slots));
  }
}
