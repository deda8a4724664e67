package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's {@code RMSprop(learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
 * centered=False)}, Keras 3's {@code optimizers/rmsprop.py} step for every weight:
 *
 * <pre>
 * velocity = rho * velocity + (1 - rho) * g^2
 * centered:  average_gradient = rho * average_gradient + (1 - rho) * g
 *            denominator = velocity - average_gradient^2 + epsilon
 * otherwise: denominator = velocity + epsilon
 * increment = (lr * g) / sqrt(denominator)
 * momentum:  m = momentum * m + increment;  w = w - m
 * otherwise: w = w - increment
 * </pre>
 *
 * ({@code 1 - rho} in double, rounded once to the dtype, as Keras computes it.) Slots, in Keras's
 * order: {@code velocity}, then {@code momentum} (momentum &gt; 0), then {@code average_gradient}
 * (centered), one per weight.
 *
 * <p>Tieleman and Hinton, "Lecture 6.5 - RMSprop", COURSERA: Neural Networks for Machine Learning,
 * 2012.
 *
 * @param learningRate the step size (positive and finite)
 * @param rho the decay of the squared-gradient average
 * @param momentum the momentum (0: none)
 * @param epsilon added to the denominator
 * @param centered whether to subtract the squared mean gradient
 * @param weightDecay Keras's {@code weight_decay}, or null for none
 */
public record RMSprop(
    double learningRate,
    double rho,
    double momentum,
    double epsilon,
    boolean centered,
    Double weightDecay)
    implements Optimizer, Optimizers.Rule {

  /**
   * Checks the hyperparameters.
   *
   * @param learningRate the step size
   * @param rho the decay of the squared-gradient average
   * @param momentum the momentum
   * @param epsilon the denominator's epsilon
   * @param centered whether to center
   * @param weightDecay the weight decay, or null
   * @throws IllegalArgumentException for a learning rate that is not positive and finite, or a
   *     negative momentum
   */
  public RMSprop {
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("learning_rate must be positive, got " + learningRate);
    }
    if (!(momentum >= 0)) throw new IllegalArgumentException("momentum " + momentum);
  }

  /**
   * Keras's {@code RMSprop(learning_rate=lr)}.
   *
   * @param lr the learning rate (positive)
   * @return the optimizer
   */
  public static RMSprop learningRate(double lr) {
    return new RMSprop(lr, 0.9, 0, 1e-7, false, null);
  }

  /**
   * This optimizer with another momentum.
   *
   * @param m the momentum
   * @return a copy
   */
  public RMSprop momentum(double m) {
    return new RMSprop(learningRate, rho, m, epsilon, centered, weightDecay);
  }

  /**
   * This optimizer centered or not.
   *
   * @param on whether to center
   * @return a copy
   */
  public RMSprop centered(boolean on) {
    return new RMSprop(learningRate, rho, momentum, epsilon, on, weightDecay);
  }

  @Override
  public String kerasClass() {
    return "RMSprop";
  }

  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("learning_rate", learningRate);
    if (weightDecay != null) c.put("weight_decay", weightDecay);
    c.put("rho", rho);
    c.put("momentum", momentum);
    c.put("epsilon", epsilon);
    c.put("centered", centered);
    return c;
  }

  @Override
  public List<String> slotNames() {
    List<String> n = new ArrayList<>(List.of("velocity"));
    if (momentum > 0) n.add("momentum");
    if (centered) n.add("average_gradient");
    return n;
  }

  @Override
  public List<List<Integer>> h5Groups() {
    List<List<Integer>> g = new ArrayList<>();
    for (int i = 0; i < slotNames().size(); i++) g.add(List.of(i));
    return g;
  }

  @Override
  public Optimizers.Step update(
      FloatOps f,
      List<Operand<TFloating>> weights,
      List<Operand<TFloating>> grads,
      Optimizers.Slots s) {
    List<Operand<TFloating>> w = Optimizers.decayed(f, weights, weightDecay, learningRate);
    var lr = Optimizers.lr(f, learningRate);
    int mi = 1;
    int ai = momentum > 0 ? 2 : 1;
    List<Operand<TFloating>> w2 = new ArrayList<>();
    List<Operand<TFloating>> vel = new ArrayList<>();
    List<Operand<TFloating>> mom = new ArrayList<>();
    List<Operand<TFloating>> avg = new ArrayList<>();
    for (int j = 0; j < w.size(); j++) {
      Operand<TFloating> g = grads.get(j);
      var v = f.add(f.mul(f.c(rho), s.slots().get(0).get(j)), f.mul(f.c(1 - rho), f.square(g)));
      vel.add(v);
      Operand<TFloating> denominator;
      if (centered) {
        var a = f.add(f.mul(f.c(rho), s.slots().get(ai).get(j)), f.mul(f.c(1 - rho), g));
        avg.add(a);
        denominator = f.add(f.sub(v, f.square(a)), f.c(epsilon));
      } else {
        denominator = f.add(v, f.c(epsilon));
      }
      var increment = f.div(f.mul(lr, g), f.sqrt(denominator));
      if (momentum > 0) {
        var m = f.add(f.mul(f.c(momentum), s.slots().get(mi).get(j)), increment);
        mom.add(m);
        w2.add(f.sub(w.get(j), m));
      } else {
        w2.add(f.sub(w.get(j), increment));
      }
    }
    List<List<Operand<TFloating>>> slots = new ArrayList<>(List.of(vel));
    if (momentum > 0) slots.add(mom);
    if (centered) slots.add(avg);
    return new Optimizers.Step(w2, new Optimizers.Slots(Optimizers.next(f, s), slots));
  }
}
