package io.github.activationlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.activationlab.internal.tf.Arrays2;
import io.github.activationlab.tf.FloatOps;
import io.github.activationlab.tf.NativeRuntime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * The layers' forward passes against plain-Java arithmetic (float64, so the formulas, not the
 * rounding, are what is compared), Dropout's statistics and determinism, and the shape rules. The
 * Keras fixtures (KerasModelsTest) check the same layers against Keras itself.
 */
class LayersTest {

  /** One layer applied to constant inputs, in the given mode, evaluated in float64. */
  static double[] run(
      Layer layer, boolean training, List<double[][]> inputs, List<double[]> weights, long seed) {
    NativeRuntime.load();
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      FloatOps f = new FloatOps(tf, TFloat64.class);
      List<Operand<TFloating>> in =
          inputs.stream().map(x -> (Operand<TFloating>) (Operand) tf.constant(x)).toList();
      List<long[]> shapes = inputs.stream().map(x -> new long[] {x[0].length}).toList();
      List<Layer.WeightSpec> specs = layer.weights(shapes);
      List<Operand<TFloating>> w = new java.util.ArrayList<>();
      for (int i = 0; i < specs.size(); i++) {
        w.add((Operand<TFloating>) (Operand) tf.constant(weights.get(i)));
      }
      CallContext c =
          training
              ? CallContext.training(f, null, tf.constant(new long[] {seed, 0}))
              // (the training step's seed: the fit's and the step count)
              : CallContext.inference(f);
      Operand<TFloating> y = layer.call(c, in, w);
      try (Result r = s.runner().fetch(y).run()) {
        return Arrays2.doubles(r.get(0));
      }
    }
  }

  static List<double[][]> inputs(double[][]... xs) {
    return List.of(xs);
  }

  static final double[][] X = {{1, 2, 4}, {-1, 0, 3}, {2, 2, -5}, {0.5, -2, 1}};

  @Test
  void batchNormalizationUsesTheBatchInTrainingAndTheMovingStatisticsInInference() {
    var bn = new BatchNormalization(0.9, 1e-3, true, true);
    double[] gamma = {1.5, 0.5, 2};
    double[] beta = {0.1, -0.2, 0.3};
    double[] mean = {0.2, -0.1, 1};
    double[] var = {2, 0.5, 4};
    List<double[]> w = List.of(gamma, beta, mean, var);
    double[] inference = run(bn, false, inputs(X), w, 0);
    double[] training = run(bn, true, inputs(X), w, 0);
    for (int i = 0; i < X.length; i++) {
      for (int j = 0; j < 3; j++) {
        double m = 0;
        double v = 0;
        for (double[] row : X) m += row[j] / X.length;
        for (double[] row : X) v += (row[j] - m) * (row[j] - m) / X.length; // biased, as Keras
        double inf = gamma[j] * (X[i][j] - mean[j]) / Math.sqrt(var[j] + 1e-3) + beta[j];
        double tr = gamma[j] * (X[i][j] - m) / Math.sqrt(v + 1e-3) + beta[j];
        assertEquals(inf, inference[i * 3 + j], 1e-12, "inference " + i + "," + j);
        assertEquals(tr, training[i * 3 + j], 1e-12, "training " + i + "," + j);
      }
    }
  }

  @Test
  void layerNormalizationNormalisesEachSample() {
    double[] gamma = {1, 2, 3};
    double[] beta = {0, 1, -1};
    double[] y = run(new LayerNormalization(), false, inputs(X), List.of(gamma, beta), 0);
    for (int i = 0; i < X.length; i++) {
      double m = (X[i][0] + X[i][1] + X[i][2]) / 3;
      double v = 0;
      for (double x : X[i]) v += (x - m) * (x - m) / 3;
      for (int j = 0; j < 3; j++) {
        assertEquals(gamma[j] * (X[i][j] - m) / Math.sqrt(v + 1e-3) + beta[j], y[i * 3 + j], 1e-12);
      }
    }
  }

  @Test
  void normalizationIsAdaptedToTheDataAndGuardsAZeroVariance() {
    double[][] data = {{1, 5, 7}, {3, 5, 9}};
    Normalization n = Normalization.adapt(data);
    assertArrayEquals(new double[] {2, 5, 8}, n.mean(), 0);
    assertArrayEquals(new double[] {1, 0, 1}, n.variance(), 0); // numpy's biased variance
    double[] y = run(n, false, inputs(X), List.of(n.mean(), n.variance(), new double[1]), 0);
    assertEquals((1 - 2) / 1.0, y[0], 1e-12);
    assertEquals((2 - 5) / 1e-7, y[1], 1e-3); // max(sqrt(0), 1e-7), Keras's epsilon
    assertTrue(Normalization.neverAdapted(List.of(new double[] {0, 0}, new double[] {1, 1})));
  }

  @Test
  void dropoutKeepsOneMinusRateScaledInTrainingAndIsTheIdentityInInference() {
    int n = 20000;
    double rate = 0.3;
    double[][] ones = new double[1][n];
    java.util.Arrays.fill(ones[0], 1);
    var d = new Dropout(rate);
    assertArrayEquals(ones[0], run(d, false, inputs(ones), List.of(), 1), 0);
    double[] a = run(d, true, inputs(ones), List.of(), 1);
    int kept = 0;
    for (double v : a) {
      if (v != 0) {
        assertEquals(1 / (1 - rate), v, 1e-12, "kept values are scaled by 1 / (1 - rate)");
        kept++;
      }
    }
    double sd = Math.sqrt(n * rate * (1 - rate));
    assertEquals(n * (1 - rate), kept, 5 * sd, "kept ~ Binomial(n, 1 - rate)");
    assertArrayEquals(
        a, run(d, true, inputs(ones), List.of(), 1), 0, "the same seed, the same mask");
    assertNotEquals(
        java.util.Arrays.toString(a),
        java.util.Arrays.toString(run(d, true, inputs(ones), List.of(), 2)),
        "another seed, another mask");
  }

  @Test
  void mergesFollowKerasShapesAndArithmetic() {
    double[][] a = {{1, 2}};
    double[][] b = {{3, -4}};
    assertArrayEquals(new double[] {4, -2}, run(new Add(), false, inputs(a, b), List.of(), 0), 0);
    assertArrayEquals(
        new double[] {-2, 6}, run(new Subtract(), false, inputs(a, b), List.of(), 0), 0);
    assertArrayEquals(
        new double[] {3, -8}, run(new Multiply(), false, inputs(a, b), List.of(), 0), 0);
    assertArrayEquals(
        new double[] {2, -1}, run(new Average(), false, inputs(a, b), List.of(), 0), 0);
    assertArrayEquals(
        new double[] {1, 2, 3, -4}, run(new Concatenate(), false, inputs(a, b), List.of(), 0), 0);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new Add().outputShape(List.of(new long[] {2}, new long[] {3})));
    assertTrue(e.getMessage().contains("inputs of one shape"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new Subtract().outputShape(List.of(new long[] {2}, new long[] {2}, new long[] {2})));
    assertArrayEquals(
        new long[] {5}, new Concatenate().outputShape(List.of(new long[] {2}, new long[] {3})));
    assertArrayEquals(
        new long[] {2, 3}, new Reshape(new long[] {2, -1}).outputShape(List.of(new long[] {6})));
    assertArrayEquals(new long[] {6}, new Flatten().outputShape(List.of(new long[] {2, 3})));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Reshape(new long[] {4}).outputShape(List.of(new long[] {6})));
  }

  @Test
  void aSequentialRefusesAMergeLayerAndNamesIt() {
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> Sequential.of(2, Dense.of(2), new Add()));
    assertTrue(
        e.getMessage().matches("layer 'add(_\\d+)?' \\(Add\\): Add takes at least 2 inputs, got 1"),
        e.getMessage());
  }

  @Test
  void regularizersEnterTheLossAsKerasAddsThem() {
    double[][] x = {{1, 2}, {3, 4}};
    double[][] y = {{1}, {0}};
    var reg = Dense.of(1).withRegularizers(Regularizer.l2(0.1), Regularizer.l1(0.5));
    try (var plain =
            Sequential.of(2, Dense.of(1))
                .dtype(TFloat64.class)
                .compile(Loss.MSE, Adam.defaults(), 3);
        var m = Sequential.of(2, reg).dtype(TFloat64.class).compile(Loss.MSE, Adam.defaults(), 3)) {
      m.setWeights(List.of(new double[] {0.5, -1}, new double[] {0.25}));
      plain.setWeights(m.getWeights());
      double penalty = 0.1 * (0.25 + 1) + 0.5 * 0.25;
      assertEquals(plain.evaluate(x, y)[0] + penalty, m.evaluate(x, y)[0], 1e-12);
      // and its gradient: 2 * l2 * w for the kernel, l1 * sign(b) for the bias
      var gp = plain.gradients(x, y);
      var gm = m.gradients(x, y);
      assertEquals(gp.get(0)[0] + 0.1 * 2 * 0.5, gm.get(0)[0], 1e-12);
      assertEquals(gp.get(1)[0] + 0.5, gm.get(1)[0], 1e-12);
    }
  }

  @Test
  void gaussianNoiseAddsNoiseOfItsStddevInTrainingOnly(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    int n = 20000;
    double[][] zeros = new double[1][n];
    var g = new GaussianNoise(0.5, null);
    assertArrayEquals(zeros[0], run(g, false, inputs(zeros), List.of(), 1), 0);
    double[] y = run(g, true, inputs(zeros), List.of(), 1);
    double mean = java.util.Arrays.stream(y).average().orElseThrow();
    double var = java.util.Arrays.stream(y).map(v -> (v - mean) * (v - mean)).sum() / n;
    assertEquals(0, mean, 5 * 0.5 / Math.sqrt(n));
    assertEquals(0.25, var, 5 * 0.25 * Math.sqrt(2.0 / n));
    // one class and one registry line: the file, the summary and the graph know it
    try (var m =
        Sequential.of(3, Dense.of(4, "relu"), g, Dense.of(1))
            .compile(Loss.MSE, Adam.defaults(), 1)) {
      m.fit(new double[][] {{1, 2, 3}, {0, 1, 0}}, new double[][] {{1}, {0}}, Fit.epochs(2));
      assertTrue(m.summary().contains("gaussian_noise"), m.summary());
      java.nio.file.Path file = dir.resolve("noise.keras");
      m.save(file);
      try (var back = Model.load(file)) {
        assertEquals(m.architecture(), back.architecture());
        assertEquals(g, back.layers().get(1));
      }
    }
  }

  /**
   * Dropout's masks are a function of the fit's seed and the step: the same fit gives the same
   * weights; without XLA the fused loop and the per-step fallback agree (the same ops); another
   * seed gives other masks. (XLA's stateless generator draws other numbers than TensorFlow's CPU
   * kernel for the same seed, so an XLA fit and a non-XLA fit differ, each deterministic.)
   */
  @Test
  void aFitWithDropoutIsDeterministicPerSeedAndPath() throws Exception {
    java.nio.file.Path file =
        java.nio.file.Path.of("src/test/resources/keras-files/functional_skip.keras");
    double[][] x = new double[12][4];
    double[][] y = new double[12][1];
    java.util.Random r = new java.util.Random(5);
    for (int i = 0; i < 12; i++) {
      for (int j = 0; j < 4; j++) x[i][j] = r.nextGaussian();
      y[i][0] = x[i][0] > 0 ? 1 : 0;
    }
    Fit base = Fit.epochs(3).batchSize(5).seed(1);
    List<Fit> fits =
        List.of(
            base, base, base.xla(false), base.fused(false), base.seed(2), base.xla(false).seed(2));
    List<String> runs = new java.util.ArrayList<>();
    for (Fit fit : fits) {
      try (Model m = Model.load(file)) {
        m.fit(x, y, fit);
        runs.add(m.getWeights().stream().map(java.util.Arrays::toString).toList().toString());
      }
    }
    assertEquals(runs.get(0), runs.get(1), "XLA: the same seed, the same fit");
    assertEquals(runs.get(2), runs.get(3), "no XLA: fused and per-step agree");
    assertNotEquals(runs.get(0), runs.get(4), "XLA: another seed, other masks");
    assertNotEquals(runs.get(2), runs.get(5), "no XLA: another seed, other masks");
  }
}
