package io.github.activationlab.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An optimizer as Keras 3 defines it: its hyperparameters (this interface, immutable records) and,
 * package-private, its slots and its update rule, written once, Keras's formula with Keras's
 * constants, which every way of running {@code fit} uses. Four: {@link Adam} (with amsgrad), {@link
 * AdamW}, {@link SGD} (momentum, nesterov) and {@link RMSprop} (momentum, centered); each also
 * takes Keras's {@code weight_decay}.
 *
 * <pre>{@code
 * model.compile(Loss.MSE, SGD.learningRate(0.1).momentum(0.9).nesterov(true), 42);
 * }</pre>
 */
public sealed interface Optimizer permits Adam, AdamW, SGD, RMSprop {

  /**
   * The step size (Keras's {@code learning_rate}); Keras holds it as a float32 variable, and so
   * does the update.
   *
   * @return the learning rate
   */
  double learningRate();

  /**
   * Keras's class name.
   *
   * @return {@code Adam}, {@code AdamW}, {@code SGD} or {@code RMSprop}
   */
  String kerasClass();

  /**
   * The hyperparameters by Keras's names, in the order Keras's {@code get_config()} gives them
   * (without the base optimizer's settings that are at their defaults).
   *
   * @return a new mutable map, e.g. {@code learning_rate, beta_1, beta_2, epsilon}
   */
  Map<String, Object> config();

  /**
   * The optimizer's state, as Keras's {@code optimizer.variables} hold it (and a {@code .keras}
   * file stores it): the step count and, per slot (Keras's variable names: {@code momentum} and
   * {@code velocity} for Adam, ...), one array per trainable weight.
   *
   * @param iterations the number of steps taken
   * @param slots per slot name, one flat array per trainable weight, in the model's trainable
   *     weights' order and layout
   */
  record State(long iterations, Map<String, List<double[]>> slots) {
    /**
     * Copies the map (its order kept).
     *
     * @param iterations the number of steps taken
     * @param slots per slot name, one array per trainable weight
     * @throws IllegalArgumentException for a negative step count
     */
    public State {
      if (iterations < 0) throw new IllegalArgumentException("iterations " + iterations);
      Map<String, List<double[]>> copy = new LinkedHashMap<>();
      for (var e : slots.entrySet()) copy.put(e.getKey(), List.copyOf(e.getValue()));
      slots = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * One slot's arrays.
     *
     * @param name Keras's variable name, e.g. {@code momentum}
     * @return one array per trainable weight
     * @throws IllegalArgumentException for a slot the optimizer does not have
     */
    public List<double[]> slot(String name) {
      List<double[]> s = slots.get(name);
      if (s == null)
        throw new IllegalArgumentException("no slot " + name + " in " + slots.keySet());
      return s;
    }

    /**
     * A fresh state: step 0, every slot zero.
     *
     * @param names the optimizer's slot names
     * @param shapes the trainable weights' shapes
     * @return the state
     */
    static State zeros(List<String> names, List<long[]> shapes) {
      Map<String, List<double[]>> m = new LinkedHashMap<>();
      for (String n : names) {
        List<double[]> arrays = new ArrayList<>();
        for (long[] s : shapes) arrays.add(new double[new Layer.WeightSpec("", s).size()]);
        m.put(n, arrays);
      }
      return new State(0, m);
    }
  }
}
