package io.github.activationlab.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.ndarray.Shape;

/**
 * A seed sweep's values with the seed axis last, as flat arrays: a weight of shape {@code [r, c]}
 * is {@code [r, c, S]}, its element e of seed slot s at {@code e * S + s}.
 */
final class SeedAxis {
  private SeedAxis() {}

  /** A weight's shape with the seed axis last: [r, c, S] for a kernel, [c, S] for a vector. */
  static Shape shape(long[] shape, int seeds) {
    long[] s = Arrays.copyOf(shape, shape.length + 1);
    s[shape.length] = seeds;
    return Shape.of(s);
  }

  /**
   * The initial weights of each slot's seed ({@code compile(..., seed)}'s draw), stacked: one array
   * per weight, in {@code shapes}' order.
   */
  static List<double[]> stack(Architecture arch, List<long[]> shapes, long[] slots) {
    int seeds = slots.length;
    List<double[]> out = new ArrayList<>();
    for (long[] s : shapes) out.add(new double[seeds * new Layer.WeightSpec("", s).size()]);
    for (int slot = 0; slot < seeds; slot++) {
      List<double[]> w = arch.initialWeights(new SplittableRandom(slots[slot]));
      for (int j = 0; j < w.size(); j++) {
        for (int e = 0; e < w.get(j).length; e++) out.get(j)[e * seeds + slot] = w.get(j)[e];
      }
    }
    return out;
  }

  /** Slot {@code slot}'s values of every stacked weight, flat, in order (Keras's order). */
  static double[] unstack(List<double[]> stacked, int seeds, int slot) {
    int size = 0;
    for (double[] v : stacked) size += v.length / seeds;
    double[] flat = new double[size];
    int to = 0;
    for (double[] v : stacked) {
      for (int e = 0; e < v.length / seeds; e++) flat[to++] = v[e * seeds + slot];
    }
    return flat;
  }
}
