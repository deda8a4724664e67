package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * Adam, as Keras 3's {@code optimizers/adam.py} defines it, with Keras's defaults (learning_rate
 * 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7 — not TF's 1e-8). The optimizer owns its slots
 * ({@code Slots}: the step counter {@code iterations} and the moments {@code m}, {@code v} of each
 * weight) and its update ({@code update}), which every way of running {@code fit} uses; a model
 * builds them when it is compiled. This record is only the hyperparameters: immutable, and one
 * instance may configure any number of models.
 *
 * <pre>{@code
 * model.compile(Loss.MSE, Adam.learningRate(0.01), 42);
 * }</pre>
 *
 * <p>Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015.
 *
 * @param learningRate the step size (Keras's {@code learning_rate}; positive and finite)
 * @param beta1 the decay of the first moment m (Keras's {@code beta_1})
 * @param beta2 the decay of the second moment v (Keras's {@code beta_2})
 * @param epsilon added to sqrt(v) in the denominator (Keras's {@code epsilon})
 */
public record Adam(double learningRate, double beta1, double beta2, double epsilon) {

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
   * @throws IllegalArgumentException if the learning rate is not positive and finite
   */
  public Adam {
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("learning_rate must be positive, got " + learningRate);
    }
  }

  /**
   * The hyperparameters by Keras's names, in the order Keras's {@code get_config()} gives them:
   * {@code learning_rate}, {@code beta_1}, {@code beta_2}, {@code epsilon} (the one map that {@code
   * .keras} files and run.json write).
   *
   * @return a new mutable map
   */
  public Map<String, Object> config() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("learning_rate", learningRate);
    c.put("beta_1", beta1);
    c.put("beta_2", beta2);
    c.put("epsilon", epsilon);
    return c;
  }

  /** Adam's state as tensors: the step counter and the moments of each weight, in order. */
  record State(
      Operand<TInt64> iterations, List<Operand<TFloating>> m, List<Operand<TFloating>> v) {}

  /** What a step gives: the new weights and the new state. */
  record Step(List<Operand<TFloating>> weights, State state) {}

  /**
   * Adam's state as values, as Keras's {@code optimizer.variables} hold it (and a {@code .keras}
   * file stores it): what a model saves and restores to continue training where it stopped.
   *
   * @param iterations the number of steps taken
   * @param m the first moment of each weight, in the model's {@code getWeights()} order and layout
   * @param v the second moment of each weight, likewise
   */
  public record Values(long iterations, List<double[]> m, List<double[]> v) {}

  /**
   * One step, Keras's {@code update_step} for every weight, as TF ops (functional: it returns the
   * new weights and state, so that a loop body and a per-step graph build the same ops). With t =
   * iterations + 1:
   *
   * <pre>
   * alpha = learning_rate * sqrt(1 - beta_2^t) / (1 - beta_1^t)
   * m = m + (g - m) * (1 - beta_1)
   * v = v + (g^2 - v) * (1 - beta_2)
   * w = w - (m * alpha) / (sqrt(v) + epsilon)
   * </pre>
   *
   * {@code 1 - beta} is computed in double and rounded once to the dtype, as Keras computes it.
   * (TF's {@code ApplyAdam} kernel subtracts in the dtype: {@code 1f - 0.9f = 0.100000024f}, not
   * {@code 0.1f}; over 1000 steps that alone moves float32 weights by ~1e-5.)
   */
  Step update(
      FloatOps f, List<Operand<TFloating>> weights, List<Operand<TFloating>> grads, State s) {
    Ops tf = f.ops;
    Operand<TInt64> next = tf.math.add(s.iterations(), tf.constant(1L));
    Operand<TFloating> t = tf.dtypes.cast(next, weights.get(0).type());
    var beta1Power = tf.math.pow(f.c(beta1), t);
    var beta2Power = tf.math.pow(f.c(beta2), t);
    var alpha =
        f.div(
            f.mul(f.c(learningRate), f.sqrt(f.sub(f.c(1), beta2Power))), f.sub(f.c(1), beta1Power));
    var oneMinusBeta1 = f.c(1 - beta1);
    var oneMinusBeta2 = f.c(1 - beta2);
    List<Operand<TFloating>> w2 = new ArrayList<>();
    List<Operand<TFloating>> m2 = new ArrayList<>();
    List<Operand<TFloating>> v2 = new ArrayList<>();
    for (int j = 0; j < weights.size(); j++) {
      Operand<TFloating> g = grads.get(j);
      var m = f.add(s.m().get(j), f.mul(f.sub(g, s.m().get(j)), oneMinusBeta1));
      var v = f.add(s.v().get(j), f.mul(f.sub(f.square(g), s.v().get(j)), oneMinusBeta2));
      w2.add(f.sub(weights.get(j), f.div(f.mul(m, alpha), f.add(f.sqrt(v), f.c(epsilon)))));
      m2.add(m);
      v2.add(v);
    }
    return new Step(w2, new State(next, m2, v2));
  }

  /** Creates the slots for weights of these shapes in {@code tf}'s graph (Keras's build). */
  Slots build(Ops tf, Class<? extends TFloating> dtype, List<long[]> shapes) {
    return new Slots(tf.withSubScope("adam"), dtype, shapes);
  }

  /**
   * Adam's slots as resource variables: {@code iterations} (int64) and {@code m}, {@code v} per
   * weight, shaped as the weight. {@link #reset} zeroes them (a fresh optimizer).
   */
  static final class Slots {
    public final Operand<?> iterations;
    public final List<Operand<?>> m = new ArrayList<>();
    public final List<Operand<?>> v = new ArrayList<>();
    public final Op reset;
    private final Class<TFloating> dtype;

    @SuppressWarnings({"unchecked", "rawtypes"})
    Slots(Ops opt, Class<? extends TFloating> dtype, List<long[]> shapes) {
      this.dtype = (Class) dtype;
      iterations =
          opt.withName("iterations")
              .varHandleOp(TInt64.class, Shape.scalar(), VarHandleOp.sharedName("adam/iterations"));
      List<Op> zero = new ArrayList<>();
      zero.add(opt.assignVariableOp(iterations, opt.constant(0L)));
      for (int i = 0; i < shapes.size(); i++) {
        Shape shape = Shape.of(shapes.get(i));
        var mi = opt.varHandleOp(this.dtype, shape, VarHandleOp.sharedName("adam/m" + i));
        var vi = opt.varHandleOp(this.dtype, shape, VarHandleOp.sharedName("adam/v" + i));
        m.add(mi);
        v.add(vi);
        zero.add(opt.assignVariableOp(mi, opt.zeros(opt.constant(shape), this.dtype)));
        zero.add(opt.assignVariableOp(vi, opt.zeros(opt.constant(shape), this.dtype)));
      }
      reset = opt.withControlDependencies(zero).withName("reset").noOp();
    }

    /** The slots' current values, read in {@code tf}'s scope. */
    public State read(Ops tf) {
      List<Operand<TFloating>> ms = new ArrayList<>();
      List<Operand<TFloating>> vs = new ArrayList<>();
      for (int i = 0; i < m.size(); i++) {
        ms.add(tf.readVariableOp(m.get(i), dtype));
        vs.add(tf.readVariableOp(v.get(i), dtype));
      }
      return new State(tf.readVariableOp(iterations, TInt64.class), ms, vs);
    }

    /** Ops that store {@code s} into the slots. */
    public List<Op> assign(Ops tf, State s) {
      List<Op> ops = new ArrayList<>();
      ops.add(tf.assignVariableOp(iterations, s.iterations()));
      for (int i = 0; i < m.size(); i++) {
        ops.add(tf.assignVariableOp(m.get(i), s.m().get(i)));
        ops.add(tf.assignVariableOp(v.get(i), s.v().get(i)));
      }
      return ops;
    }
  }
}
