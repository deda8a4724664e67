package io.github.activationlab.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Between the general {@link Optimizer.State} (slots per trainable weight, by Keras's names) and
 * what the model's graph holds (Adam's m and v for every weight), and what the training loop can
 * run so far.
 */
final class OptimizerStates {
  private OptimizerStates() {}

  /** Whether the graph's loop runs this optimizer on this model. */
  static boolean runsInGraph(Optimizer o, Architecture arch) {
    return o instanceof Adam a && !a.amsgrad() && a.weightDecay() == null;
  }

  /** The Adam the graph builds its slots with (a placeholder for optimizers it does not run). */
  static Adam graphAdam(Optimizer o) {
    return o instanceof Adam a && !a.amsgrad() && a.weightDecay() == null ? a : Adam.defaults();
  }

  /** Why {@code fit} cannot run this model yet, or null. */
  static String whyNotYet(Optimizer o, Loss loss, Architecture arch) {
    if (!runsInGraph(o, arch))
      return "training with " + o.kerasClass() + " " + o.config() + " is not implemented yet";
    if (arch.trainingDiffers())
      return "training layers with state or randomness (BatchNormalization, Dropout, Normalization)"
          + " is not implemented yet";
    if (arch.weights().stream().anyMatch(w -> w.spec().regularizer() != null))
      return "regularizers are not implemented yet";
    if (arch.outputs().size() > 1) return "training several outputs is not implemented yet";
    if (loss.targetWidth(2) != 2) return "sparse_categorical_crossentropy is not implemented yet";
    return null;
  }

  /** The graph's Adam values (all weights) as the state of the trainable weights. */
  static Optimizer.State fromGraph(Adam.Values v, Architecture arch) {
    List<double[]> m = new ArrayList<>();
    List<double[]> vv = new ArrayList<>();
    List<Architecture.Weight> ws = arch.weights();
    for (int j = 0; j < ws.size(); j++) {
      if (!ws.get(j).trainable()) continue;
      m.add(v.m().get(j));
      vv.add(v.v().get(j));
    }
    return new Adam.Values(v.iterations(), m, vv).toState();
  }

  /** The state of the trainable weights as the graph's Adam values (zeros for the others). */
  static Adam.Values toGraph(Optimizer.State s, Architecture arch) {
    List<double[]> m = new ArrayList<>();
    List<double[]> v = new ArrayList<>();
    int t = 0;
    for (Architecture.Weight w : arch.weights()) {
      if (w.trainable()) {
        m.add(s.slot("momentum").get(t));
        v.add(s.slot("velocity").get(t));
        t++;
      } else {
        m.add(new double[w.size()]);
        v.add(new double[w.size()]);
      }
    }
    return new Adam.Values(s.iterations(), m, v);
  }

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
