package io.github.activationlab.internal.keras;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order of a Functional model's layers as Keras computes it ({@code keras.src.ops.function
 * .map_graph}): a depth-first walk back from the outputs numbers each layer on first visit; each
 * layer's depth is its longest distance to an output; layers are listed by decreasing depth, ties
 * by visit order; inputs not connected to an output come last at depth 0. This order names the h5
 * groups ({@code layers/dense_1}) and orders the optimizer's variables, so a writer must use it and
 * a reader can rely on it. One node per layer: a layer called twice (shared) is refused.
 */
final class KerasGraph {
  private KerasGraph() {}

  /**
   * Keras's {@code model.layers} order.
   *
   * @param inbound each layer's inbound layer names, by layer name (InputLayers: empty)
   * @param inputs the input layers' names
   * @param outputs the output layers' names
   * @throws KerasFormatException for a cycle, a layer that reads an undefined one, or a layer not
   *     connected to any output
   */
  static List<String> order(
      Map<String, List<String>> inbound, List<String> inputs, List<String> outputs)
      throws KerasFormatException {
    for (var e : inbound.entrySet()) {
      for (String in : e.getValue()) {
        if (!inbound.containsKey(in)) {
          throw new KerasFormatException(
              "layer '"
                  + e.getKey()
                  + "' reads layer '"
                  + in
                  + "', which the model does not define");
        }
      }
    }
    for (String name : concat(inputs, outputs)) {
      if (!inbound.containsKey(name)) {
        throw new KerasFormatException(
            "the model's inputs or outputs name layer '" + name + "', which it does not define");
      }
    }
    Set<String> inputSet = new HashSet<>(inputs);
    Set<String> finished = new HashSet<>();
    Set<String> inProgress = new HashSet<>();
    List<String> decreasingDepth = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    for (String out : outputs) {
      visit(out, inbound, inputSet, finished, inProgress, decreasingDepth, index);
    }
    Map<String, Integer> depth = new LinkedHashMap<>();
    for (int i = decreasingDepth.size() - 1; i >= 0; i--) {
      String node = decreasingDepth.get(i);
      int d = depth.getOrDefault(node, 0);
      depth.put(node, d);
      if (inputSet.contains(node)) continue;
      for (String parent : inbound.get(node)) {
        depth.put(parent, Math.max(d + 1, depth.getOrDefault(parent, 0)));
      }
    }
    for (String in : inputs) {
      if (!depth.containsKey(in)) {
        depth.put(in, 0);
        index.put(in, -1);
      }
    }
    for (String name : inbound.keySet()) {
      if (!depth.containsKey(name)) {
        throw new KerasFormatException(
            "layer '" + name + "' is not connected to the model's outputs");
      }
    }
    List<String> order = new ArrayList<>(depth.keySet());
    order.sort(Comparator.comparing((String n) -> -depth.get(n)).thenComparing(index::get));
    return order;
  }

  private static void visit(
      String node,
      Map<String, List<String>> inbound,
      Set<String> inputs,
      Set<String> finished,
      Set<String> inProgress,
      List<String> decreasingDepth,
      Map<String, Integer> index)
      throws KerasFormatException {
    if (finished.contains(node)) return;
    if (inProgress.contains(node)) {
      throw new KerasFormatException("layer '" + node + "' is part of a cycle");
    }
    index.putIfAbsent(node, index.size());
    inProgress.add(node);
    if (!inputs.contains(node)) {
      for (String in : inbound.get(node)) {
        visit(in, inbound, inputs, finished, inProgress, decreasingDepth, index);
      }
    }
    finished.add(node);
    inProgress.remove(node);
    decreasingDepth.add(node);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
