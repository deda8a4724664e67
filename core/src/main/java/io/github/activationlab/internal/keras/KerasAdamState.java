package io.github.activationlab.internal.keras;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Keras 3's Adam state, as stored in {@code model.weights.h5} under {@code optimizer/vars/}: {@code
 * 0} = iterations (int64 scalar), {@code 1} = learning_rate (float32 scalar), then for each
 * trainable weight in the model's {@code trainable_variables} order its first moment m and second
 * moment v, interleaved: {@code 2} = m of weight 0, {@code 3} = v of weight 0, {@code 4} = m of
 * weight 1, ... (amsgrad would add a third slot per weight; it is not supported). m and v have the
 * weight's shape and dtype.
 *
 * <p>Keras loads the learning rate from this state (it overrides the compile config's value).
 *
 * @param iterations the optimizer's step count (Keras's {@code optimizer.iterations})
 * @param learningRate the learning_rate variable (a float32 in the file, widened exactly)
 * @param m first moments, one flat row-major array per trainable weight, in the order of the
 *     layers' weights ({@link KerasModelFile#trainableWeights()})
 * @param v second moments, likewise
 */
public record KerasAdamState(
    long iterations, double learningRate, List<double[]> m, List<double[]> v) {
  /** Copies the arrays; m and v must have one array each per weight. */
  public KerasAdamState {
    if (iterations < 0) {
      throw new IllegalArgumentException("Adam iterations must be >= 0, got " + iterations);
    }
    m = copy(m, "m");
    v = copy(v, "v");
    if (m.size() != v.size()) {
      throw new IllegalArgumentException(
          "Adam state: " + m.size() + " m arrays but " + v.size() + " v arrays");
    }
    for (int i = 0; i < m.size(); i++) {
      if (m.get(i).length != v.get(i).length) {
        throw new IllegalArgumentException(
            "Adam state: m["
                + i
                + "] has "
                + m.get(i).length
                + " values, v["
                + i
                + "] "
                + v.get(i).length);
      }
    }
  }

  private static List<double[]> copy(List<double[]> arrays, String what) {
    Objects.requireNonNull(arrays, what);
    List<double[]> out = new ArrayList<>(arrays.size());
    for (double[] a : arrays) {
      out.add(Objects.requireNonNull(a, what + " array").clone());
    }
    return List.copyOf(out);
  }

  /** The first moment of trainable weight {@code i} (a copy). */
  public double[] m(int i) {
    return m.get(i).clone();
  }

  /** The second moment of trainable weight {@code i} (a copy). */
  public double[] v(int i) {
    return v.get(i).clone();
  }

  @Override
  public List<double[]> m() {
    return m.stream().map(double[]::clone).toList();
  }

  @Override
  public List<double[]> v() {
    return v.stream().map(double[]::clone).toList();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KerasAdamState s
        && iterations == s.iterations
        && Double.compare(learningRate, s.learningRate) == 0
        && same(m, s.m)
        && same(v, s.v);
  }

  private static boolean same(List<double[]> a, List<double[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(iterations, learningRate);
    for (double[] a : m) {
      h = 31 * h + Arrays.hashCode(a);
    }
    for (double[] a : v) {
      h = 31 * h + Arrays.hashCode(a);
    }
    return h;
  }

  @Override
  public String toString() {
    return "KerasAdamState[iterations="
        + iterations
        + ", learningRate="
        + learningRate
        + ", slots for "
        + m.size()
        + " weights]";
  }
}
