package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * Keras's {@code Normalization} preprocessing layer over the last axis, adapted to data: {@code (x
 * - mean) / max(sqrt(variance), 1e-7)} ({@code invert}: {@code mean + x * max(sqrt(variance),
 * 1e-7)}), 1e-7 being Keras's {@code backend.epsilon()}. The adapted statistics are the layer's
 * non-trainable weights {@code mean}, {@code variance} and {@code count} (an int64 that Keras's
 * {@code adapt} leaves at 0), as Keras stores them; a layer given its statistics in its config
 * ({@code Normalization(mean=..., variance=...)}) has no weights.
 *
 * <pre>{@code
 * Normalization n = Normalization.adapt(x);  // numpy's mean and (biased) variance per column
 * Sequential.of(2, n, Dense.of(4, "relu"), Dense.of(1));
 * }</pre>
 *
 * A layer Keras never adapted (statistics still at their initial zeros and ones) is refused when a
 * file is loaded: it would pass its input through unchanged, which is never what was meant.
 *
 * @param mean the mean per feature, or null (statistics loaded from a file)
 * @param variance the variance per feature, or null likewise
 * @param invert whether the layer undoes the normalisation
 * @param inConfig whether the statistics live in the config (Keras's {@code mean=}, {@code
 *     variance=} arguments) rather than in weights
 */
public record Normalization(double[] mean, double[] variance, boolean invert, boolean inConfig)
    implements Layer {

  /** Keras's {@code backend.epsilon()}. */
  static final double EPSILON = 1e-7;

  /**
   * A layer adapted to these statistics (stored as its weights, as after Keras's {@code adapt}).
   *
   * @param mean the mean per feature
   * @param variance the variance per feature (not negative)
   * @return the layer
   * @throws IllegalArgumentException for lengths that differ, or a negative or non-finite value
   */
  public static Normalization of(double[] mean, double[] variance) {
    if (mean.length != variance.length || mean.length == 0) {
      throw new IllegalArgumentException(
          "mean and variance need one value per feature, got "
              + mean.length
              + " and "
              + variance.length);
    }
    for (int i = 0; i < mean.length; i++) {
      if (!Double.isFinite(mean[i]) || !(variance[i] >= 0) || Double.isInfinite(variance[i])) {
        throw new IllegalArgumentException(
            "feature " + i + ": mean " + mean[i] + ", variance " + variance[i]);
      }
    }
    return new Normalization(mean.clone(), variance.clone(), false, false);
  }

  /**
   * Keras's {@code adapt(data)} on rows of features: each column's mean and biased variance.
   *
   * @param data the rows (at least one), all of one width
   * @return the adapted layer
   * @throws IllegalArgumentException for no rows, rows of different widths, or NaN
   */
  public static Normalization adapt(double[][] data) {
    if (data.length == 0) throw new IllegalArgumentException("adapt needs at least one row");
    int d = data[0].length;
    double[] mean = new double[d];
    double[] var = new double[d];
    for (double[] row : data) {
      if (row.length != d) throw new IllegalArgumentException("rows of different widths");
      for (int j = 0; j < d; j++) mean[j] += row[j];
    }
    for (int j = 0; j < d; j++) mean[j] /= data.length;
    for (double[] row : data)
      for (int j = 0; j < d; j++) var[j] += (row[j] - mean[j]) * (row[j] - mean[j]);
    for (int j = 0; j < d; j++) var[j] /= data.length;
    return of(mean, var);
  }

  @Override
  public String type() {
    return "Normalization";
  }

  @Override
  public List<WeightSpec> weights(List<long[]> inputs) {
    if (inConfig) return List.of();
    long[] in = Layer.single(inputs);
    long[] d = {in[in.length - 1]};
    if (mean != null && mean.length != d[0]) {
      throw new IllegalArgumentException(
          "Normalization adapted to " + mean.length + " features, its input has " + d[0]);
    }
    List<WeightSpec> w = new ArrayList<>();
    w.add(WeightSpec.state("mean", d, mean == null ? Initializer.ZEROS : Initializer.of(mean)));
    w.add(
        WeightSpec.state(
            "variance", d, variance == null ? Initializer.ONES : Initializer.of(variance)));
    w.add(WeightSpec.state("count", new long[0], Initializer.ZEROS).asInteger());
    return w;
  }

  @Override
  public Operand<TFloating> call(
      CallContext c, List<Operand<TFloating>> inputs, List<Operand<TFloating>> weights) {
    FloatOps f = c.ops();
    Operand<TFloating> x = inputs.get(0);
    Operand<TFloating> m = inConfig ? constant(f, mean) : weights.get(0);
    Operand<TFloating> v = inConfig ? constant(f, variance) : weights.get(1);
    Operand<TFloating> std = f.max(f.sqrt(v), f.c(EPSILON));
    return invert ? f.add(m, f.mul(x, std)) : f.div(f.sub(x, m), std);
  }

  private static Operand<TFloating> constant(FloatOps f, double[] values) {
    return f.ops.dtypes.cast(f.ops.constant(values), f.c(0).type());
  }

  @Override
  public Map<String, Object> config() {
    return Layer.configOf(
        "axis",
        List.of(-1),
        "invert",
        invert,
        "mean",
        inConfig ? list(mean) : null,
        "variance",
        inConfig ? list(variance) : null);
  }

  private static List<Double> list(double[] a) {
    List<Double> out = new ArrayList<>();
    for (double v : a) out.add(v);
    return out;
  }

  /**
   * Whether the weights are still Keras's initial ones (zeros, ones): a layer never adapted.
   *
   * @param weights the layer's weights, in order
   * @return true for an un-adapted layer
   */
  static boolean neverAdapted(List<double[]> weights) {
    if (weights.size() < 2) return false;
    for (double m : weights.get(0)) if (m != 0) return false;
    for (double v : weights.get(1)) if (v != 1) return false;
    return true;
  }

  /** Keras's config: the last axis; statistics in the config (lists) or, when null, in weights. */
  static Normalization fromKeras(KerasConfig c) {
    c.lastAxisOnly("axis", -1);
    boolean invert = c.bool("invert", false);
    Object m = c.raw("mean");
    Object v = c.raw("variance");
    if (m == null && v == null) return new Normalization(null, null, invert, false);
    double[] mean = numbers(c, "mean", m);
    double[] var = numbers(c, "variance", v);
    if (mean.length != var.length) throw c.error("mean and variance of different lengths");
    return new Normalization(mean, var, invert, true);
  }

  private static double[] numbers(KerasConfig c, String key, Object o) {
    List<?> l = o instanceof List<?> list ? list : o instanceof Number ? List.of(o) : null;
    if (l == null) throw c.error(key + " " + KerasConfig.brief(o) + " is not a list of numbers");
    double[] out = new double[l.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(l.get(i) instanceof Number n)) throw c.error(key + " is not a flat list of numbers");
      out[i] = n.doubleValue();
    }
    return out;
  }
}
