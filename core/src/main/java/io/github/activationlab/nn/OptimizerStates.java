package io.github.activationlab.nn;

import java.util.List;
import java.util.Map;

/** Checks an {@link Optimizer.State} against the optimizer's slots and the trainable weights. */
final class OptimizerStates {
  private OptimizerStates() {}

  /**
   * Checks a state against the optimizer's slots and the trainable weights' shapes.
   *
   * @throws IllegalArgumentException naming the slot and weight
   */
  static void check(Optimizer.State s, Optimizer o, List<long[]> shapes) {
    List<String> names = Optimizers.rule(o).slotNames();
    if (!s.slots().keySet().equals(new java.util.LinkedHashSet<>(names))) {
      throw new IllegalArgumentException(
          o.kerasClass() + " has slots " + names + ", the state " + s.slots().keySet());
    }
    for (Map.Entry<String, List<double[]>> e : s.slots().entrySet()) {
      if (e.getValue().size() != shapes.size()) {
        throw new IllegalArgumentException(
            "optimizer slot "
                + e.getKey()
                + " has "
                + e.getValue().size()
                + " arrays for "
                + shapes.size()
                + " trainable weights");
      }
      for (int j = 0; j < shapes.size(); j++) {
        int size = new Layer.WeightSpec("", shapes.get(j)).size();
        if (e.getValue().get(j).length != size) {
          throw new IllegalArgumentException(
              "optimizer slot "
                  + e.getKey()
                  + "["
                  + j
                  + "] has "
                  + e.getValue().get(j).length
                  + " values, the weight "
                  + size);
        }
      }
    }
  }
}
