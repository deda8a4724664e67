package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * Adam, as Keras 3's {@code optimizers/adam.py} defines it, with Keras's defaults (learning_rate
 * 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7 — not TF's 1e-8 —, amsgrad off). The optimizer owns
 * its slots ({@code momentum} m and {@code velocity} v of each weight, and with amsgrad {@code
 * velocity_hat}; the step counter {@code iterations}) and its update ({@code update}), which every
 * way of running {@code fit} uses; a model builds them when it is compiled. This record is only the
 * hyperparameters: immutable, and one instance may configure any number of models.
 *
 * <pre>{@code
 * model.compile(Loss.MSE, Adam.learningRate(0.01), 42);
 * model.compile(Loss.MSE, Adam.learningRate(0.01).amsgrad(true), 42);
 * }</pre>
 *
 * <p>Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015; amsgrad: Reddi, Kale
 * and Kumar, "On the Convergence of Adam and Beyond", ICLR 2018.
 *
 * @param learningRate the step size (Keras's {@code learning_rate}; positive and finite)
 * @param beta1 the decay of the first moment m (Keras's {@code beta_1})
 * @param beta2 the decay of the second moment v (Keras's {@code beta_2})
 * @param epsilon added to sqrt(v) in the denominator (Keras's {@code epsilon})
 * @param amsgrad whether the denominator uses the running maximum of v (Keras's {@code amsgrad})
 * @param weightDecay Keras's {@code weight_decay} ({@code w -= w * wd * lr} before each step), or
 *     null for none
 */
public record Adam(
    double learningRate,
    double beta1,
    double beta2,
    double epsilon,
    boolean amsgrad,
    Double weightDecay)
    implements Optimizer, Optimizers.Rule {

  /**
   * Adam without amsgrad and weight decay.
   *
   * @param learningRate the step size
   * @param beta1 the decay of the first moment
   * @param beta2 the decay of the second moment
   * @param epsilon the denominator's epsilon
   */
  public Adam(double learningRate, double beta1, double beta2, double epsilon) {
    this(learningRate, beta1, beta2, epsilon, false, null);
  }

  /**
   * Keras's defaults: {@code Adam()}.
   *
   * @return learning_rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7
   */
  public static Adam defaults() {
    return new Adam(0.001, 0.9, 0.999, 1e-7);
  }

  /**
   * Keras's {@code Adam(learning_rate=lr)}, the other hyperparameters at their defaults.
   *
   * @param lr the learning rate (positive)
   * @return the optimizer's hyperparameters
   * @throws IllegalArgumentException if {@code lr} is not positive and finite
   */
  public static Adam learningRate(double lr) {
    return new Adam(lr, 0.9, 0.999, 1e-7);
  }

  /**
   * Checks the learning rate.
   *
   * @param learningRate the step size
   * @param beta1 the decay of the first moment
   * @param beta2 the decay of the second moment
   * @param epsilon the denominator's epsilon
   * @param amsgrad whether to use amsgrad
   * @param weightDecay the weight decay, or null
   * @throws IllegalArgumentException if the learning rate is not positive and finite
   */
  public Adam {
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("learning_rate must be positive, got " + learningRate);
    }
  }

  /**
   * This optimizer with amsgrad on or off.
   *
   * @param on whether to use amsgrad
   * @return a copy
   */
  public Adam amsgrad(boolean on) {
    return new Adam(learningRate, beta1, beta2, epsilon, on, weightDecay);
  }

  @Override
  public String kerasClass() {
    return "Adam";
  }

  /**
   * The hyperparameters by Keras's names, in the order Keras's {@code get_config()} gives them:
   * {@code learning_rate}, {@code beta_1}, {@code beta_2}, {@code epsilon}, then {@code amsgrad}
   * and {@code weight_decay} when set (run.json and {@code .keras} files write this map).
   *
   * @return a new mutable map
   */
  @Override
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("learning_rate", learningRate);
    if (weightDecay != null) c.put("weight_decay", weightDecay);
    c.put("beta_1", beta1);
    c.put("beta_2", beta2);
    c.put("epsilon", epsilon);
    if (amsgrad) c.put("amsgrad", true);
    return c;
  }

  @Override
  public List<String> slotNames() {
    return amsgrad
        ? List.of("momentum", "velocity", "velocity_hat")
        : List.of("momentum", "velocity");
  }

  @Override
  public List<List<Integer>> h5Groups() {
    return amsgrad ? List.of(List.of(0, 1), List.of(2)) : List.of(List.of(0, 1));
  }

  /**
   * One step, Keras's {@code update_step} for every weight, as TF ops. With t = iterations + 1:
   *
   * <pre>
   * alpha = learning_rate * sqrt(1 - beta_2^t) / (1 - beta_1^t)
   * m = m + (g - m) * (1 - beta_1)
   * v = v + (g^2 - v) * (1 - beta_2)
   * v_hat = max(v_hat, v)                          (amsgrad; then v_hat replaces v below)
   * w = w - (m * alpha) / (sqrt(v) + epsilon)
   * </pre>
   *
   * {@code 1 - beta} is computed in double and rounded once to the dtype, as Keras computes it.
   * (TF's {@code ApplyAdam} kernel subtracts in the dtype: {@code 1f - 0.9f = 0.100000024f}, not
   * {@code 0.1f}; over 1000 steps that alone moves float32 weights by ~1e-5.) The learning rate and
   * the betas of the powers are float32 values, as Keras holds and casts them (exact in float32; in
   * float64 they are Keras's float32-rounded values).
   */
  @Override
  public Optimizers.Step update(
      FloatOps f,
      List<Operand<TFloating>> weights,
      List<Operand<TFloating>> grads,
      Optimizers.Slots s) {
    Ops tf = f.ops;
    List<Operand<TFloating>> w = Optimizers.decayed(f, weights, weightDecay, learningRate);
    Operand<TInt64> next = Optimizers.next(f, s);
    Operand<TFloating> t = tf.dtypes.cast(next, weights.get(0).type());
    var beta1Power = tf.math.pow(Optimizers.viaFloat32(f, beta1), t);
    var beta2Power = tf.math.pow(Optimizers.viaFloat32(f, beta2), t);
    var alpha =
        f.div(
            f.mul(Optimizers.lr(f, learningRate), f.sqrt(f.sub(f.c(1), beta2Power))),
            f.sub(f.c(1), beta1Power));
    var oneMinusBeta1 = f.c(1 - beta1);
    var oneMinusBeta2 = f.c(1 - beta2);
    List<Operand<TFloating>> w2 = new ArrayList<>();
    List<Operand<TFloating>> m2 = new ArrayList<>();
    List<Operand<TFloating>> v2 = new ArrayList<>();
    List<Operand<TFloating>> h2 = new ArrayList<>();
    for (int j = 0; j < weights.size(); j++) {
      Operand<TFloating> g = grads.get(j);
      Operand<TFloating> m0 = s.slots().get(0).get(j);
      Operand<TFloating> v0 = s.slots().get(1).get(j);
      var m = f.add(m0, f.mul(f.sub(g, m0), oneMinusBeta1));
      var v = f.add(v0, f.mul(f.sub(f.square(g), v0), oneMinusBeta2));
      Operand<TFloating> denominator = v;
      if (amsgrad) {
        denominator = f.max(s.slots().get(2).get(j), v);
        h2.add(denominator);
      }
      w2.add(f.sub(w.get(j), f.div(f.mul(m, alpha), f.add(f.sqrt(denominator), f.c(epsilon)))));
      m2.add(m);
      v2.add(v);
    }
    List<List<Operand<TFloating>>> slots = amsgrad ? List.of(m2, v2, h2) : List.of(m2, v2);
    return new Optimizers.Step(w2, new Optimizers.Slots(next, slots));
  }

  /**
   * Adam's state as values, as Keras's {@code optimizer.variables} hold it (and a {@code .keras}
   * file stores it): what a model saves and restores to continue training where it stopped.
   *
   * @param iterations the number of steps taken
   * @param m the first moment of each weight, in the model's {@code getWeights()} order and layout
   * @param v the second moment of each weight, likewise
   */
  public record Values(long iterations, List<double[]> m, List<double[]> v) {
    /**
     * As the general {@link Optimizer.State}.
     *
     * @return the state with slots {@code momentum} (m) and {@code velocity} (v)
     */
    public Optimizer.State toState() {
      Map<String, List<double[]>> slots = new LinkedHashMap<>();
      slots.put("momentum", m);
      slots.put("velocity", v);
      return new Optimizer.State(iterations, slots);
    }
  }
}
