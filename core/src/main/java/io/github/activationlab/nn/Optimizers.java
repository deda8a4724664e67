package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * The optimizers' graph side (package-private: only {@code nn}'s graph builders use it) and their
 * Keras configs. Each optimizer record implements {@link Rule}: its slots (Keras's variable names)
 * and its update as a pure function of (weights, gradients, state), so that a loop body and a
 * per-step graph build the same ops.
 */
final class Optimizers {
  private Optimizers() {}

  /** An optimizer's state as tensors: the step counter and, per slot, one tensor per weight. */
  record Slots(Operand<TInt64> iterations, List<List<Operand<TFloating>>> slots) {}

  /** What a step gives: the new trainable weights and the new state. */
  record Step(List<Operand<TFloating>> weights, Slots state) {}

  /** An optimizer's slots and update rule. */
  interface Rule {
    /** Keras's slot variable names, in the order {@link Slots#slots()} holds them. */
    List<String> slotNames();

    /**
     * How Keras orders the slot variables in {@code optimizer/vars} after iterations and
     * learning_rate: groups of slot indices, each group interleaved per weight (Adam: m, v of
     * weight 0, then m, v of weight 1, ...; then amsgrad's v_hat per weight).
     */
    List<List<Integer>> h5Groups();

    /**
     * One step of Keras's {@code apply}: weight decay (if any), {@code update_step}, iterations +
     * 1.
     */
    Step update(FloatOps f, List<Operand<TFloating>> w, List<Operand<TFloating>> g, Slots s);
  }

  static Rule rule(Optimizer o) {
    return (Rule) o;
  }

  /**
   * Keras's {@code ops.cast(python_float, dtype)}: the value becomes a float32 tensor first, then
   * the dtype (for float64 variables Keras's betas and momenta are float32-rounded).
   */
  static Operand<TFloating> viaFloat32(FloatOps f, double v) {
    return f.c((float) v);
  }

  /** The learning rate as Keras holds it: a float32 variable, cast to the weights' dtype. */
  static Operand<TFloating> lr(FloatOps f, double learningRate) {
    return viaFloat32(f, learningRate);
  }

  /**
   * Keras's {@code _apply_weight_decay}: {@code w - w * wd * lr} before the update, when the
   * optimizer has a weight decay.
   */
  static List<Operand<TFloating>> decayed(
      FloatOps f, List<Operand<TFloating>> w, Double weightDecay, double learningRate) {
    if (weightDecay == null) return w;
    List<Operand<TFloating>> out = new ArrayList<>();
    for (Operand<TFloating> x : w) {
      out.add(f.sub(x, f.mul(f.mul(x, viaFloat32(f, weightDecay)), lr(f, learningRate))));
    }
    return out;
  }

  static Operand<TInt64> next(FloatOps f, Slots s) {
    return f.ops.math.add(s.iterations(), f.ops.constant(1L));
  }

  /** The fresh state of an optimizer for trainable weights of these shapes. */
  static Optimizer.State fresh(Optimizer o, List<long[]> shapes) {
    return Optimizer.State.zeros(rule(o).slotNames(), shapes);
  }

  // ---------------------------------------------------------------------- Keras configs

  /** The base optimizer's settings Keras 3.15 writes before the optimizer's own. */
  static Map<String, Object> kerasConfig(Optimizer o, String name, Double weightDecay) {
    Map<String, Object> c =
        Layer.configOf(
            "name", name,
            "learning_rate", o.learningRate(),
            "weight_decay", weightDecay,
            "clipnorm", null,
            "global_clipnorm", null,
            "clipvalue", null,
            "use_ema", false,
            "ema_momentum", 0.99,
            "ema_overwrite_frequency", null,
            "loss_scale_factor", null,
            "gradient_accumulation_steps", null);
    Map<String, Object> own = o.config();
    own.remove("learning_rate");
    own.remove("weight_decay");
    c.putAll(own);
    return c;
  }

  /** The optimizers this library implements, by Keras class, for messages. */
  static final List<String> SUPPORTED = List.of("Adam", "AdamW", "RMSprop", "SGD");

  /**
   * The optimizer a Keras compile config names, or a reason why it cannot be trained here.
   *
   * @return an {@link Optimizer}, or a {@link String} saying why not
   */
  static Object fromKeras(String className, Map<String, Object> config) {
    KerasConfig c = new KerasConfig(className, "optimizer", config);
    String where = "optimizer " + className;
    if (!SUPPORTED.contains(className)) {
      return where + " is not supported (supported: " + String.join(", ", SUPPORTED) + ")";
    }
    if (c.bool("use_ema", false)) return where + " with use_ema is not supported";
    for (String k : List.of("clipnorm", "clipvalue", "global_clipnorm", "loss_scale_factor")) {
      if (c.has(k)) return where + " with " + k + " is not supported";
    }
    if (c.number("gradient_accumulation_steps", 1) > 1) {
      return where + " with gradient_accumulation_steps is not supported";
    }
    if (c.raw("learning_rate") instanceof Map) {
      return where + " with a learning-rate schedule is not supported";
    }
    try {
      double lr = c.number("learning_rate", className.equals("SGD") ? 0.01 : 0.001);
      Double wd = c.optionalNumber("weight_decay");
      return switch (className) {
        case "Adam" ->
            new Adam(
                lr,
                c.number("beta_1", 0.9),
                c.number("beta_2", 0.999),
                c.number("epsilon", 1e-7),
                c.bool("amsgrad", false),
                wd);
        case "AdamW" ->
            new AdamW(
                lr,
                wd == null ? 0.004 : wd,
                c.number("beta_1", 0.9),
                c.number("beta_2", 0.999),
                c.number("epsilon", 1e-7),
                c.bool("amsgrad", false));
        case "SGD" -> new SGD(lr, c.number("momentum", 0.0), c.bool("nesterov", false), wd);
        default ->
            new RMSprop(
                lr,
                c.number("rho", 0.9),
                c.number("momentum", 0.0),
                c.number("epsilon", 1e-7),
                c.bool("centered", false),
                wd);
      };
    } catch (IllegalArgumentException e) {
      return where + ": " + e.getMessage();
    }
  }
}
