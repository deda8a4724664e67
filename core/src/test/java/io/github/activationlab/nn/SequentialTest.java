package io.github.activationlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.activationlab.internal.tf.Arrays2;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.initializers.Glorot;
import org.tensorflow.framework.initializers.VarianceScaling;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

class SequentialTest {
  static final double[][] X = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
  static final double[][] XOR = {{0}, {1}, {1}, {0}};

  @Test
  void paramCountsMatchTheNotebooksSummaries() {
    try (var gate = Sequential.of(2, Dense.of(1, "linear")).compile(Loss.MSE, Adam.defaults(), 1);
        var parallel =
            Sequential.of(1, Dense.of(6, "relu"), Dense.of(1))
                .compile(Loss.MSE, Adam.defaults(), 1);
        var serial =
            Sequential.of(
                    1, Dense.of(2, "relu"), Dense.of(2, "relu"), Dense.of(2, "relu"), Dense.of(1))
                .compile(Loss.MSE, Adam.defaults(), 1)) {
      assertEquals(3, gate.countParams());
      assertEquals(19, parallel.countParams());
      assertEquals(19, serial.countParams());
      String s = serial.summary();
      assertTrue(
          s.contains("Total params: 19") && s.contains("(None, 2)") && s.contains("Layer (type)"),
          s);
      assertTrue(
          s.contains("(Dense)")
              && s.contains("Trainable params: 19")
              && s.contains("Non-trainable params: 0"),
          s);
    }
  }

  @Test
  void glorotUniformIsSymmetricWithinTheLimit() {
    int in = 200;
    int out = 300;
    double limit = Math.sqrt(6.0 / (in + out));
    double[] w = Initializers.glorotUniform(new SplittableRandom(3), in, out);
    double sum = 0;
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (double v : w) {
      assertTrue(v > -limit && v < limit, "outside (-limit, limit): " + v);
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertEquals(0, sum / w.length, 0.01 * limit);
    assertTrue(min < -0.99 * limit && max > 0.99 * limit, "covers both sides");
  }

  /** Pins the framework's one-sided Glorot, so that an upgrade that fixes it is noticed. */
  @Test
  void frameworkGlorotUniformIsOneSidedInTfJava110() {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var init =
          new Glorot<TFloat64>(VarianceScaling.Distribution.UNIFORM, 7L)
              .call(tf, tf.constant(new long[] {200, 300}), TFloat64.class);
      try (Result r = s.runner().fetch(init).run()) {
        double[] w = Arrays2.doubles(r.get(0));
        double min = java.util.Arrays.stream(w).min().orElseThrow();
        assertTrue(
            min >= 0,
            "tensorflow-framework's Glorot(UNIFORM) now draws negatives: min "
                + min
                + " -- it was fixed; Initializers could use it");
      }
    }
  }

  /** Keras's Adam in plain Java (double), on a linear model with the mse loss, full batch. */
  static double[] referenceAdam(
      double[] w0, double[][] x, double[] y, Adam a, int steps, double[][] trace) {
    double[] w = w0.clone(); // [w1, w2, b]
    double[] m = new double[3];
    double[] v = new double[3];
    for (int t = 1; t <= steps; t++) {
      double[] g = new double[3];
      for (int i = 0; i < x.length; i++) {
        double err = x[i][0] * w[0] + x[i][1] * w[1] + w[2] - y[i];
        g[0] += 2 * err * x[i][0] / x.length;
        g[1] += 2 * err * x[i][1] / x.length;
        g[2] += 2 * err / x.length;
      }
      double alpha =
          a.learningRate() * Math.sqrt(1 - Math.pow(a.beta2(), t)) / (1 - Math.pow(a.beta1(), t));
      for (int k = 0; k < 3; k++) {
        m[k] += (g[k] - m[k]) * (1 - a.beta1());
        v[k] += (g[k] * g[k] - v[k]) * (1 - a.beta2());
        w[k] -= alpha * m[k] / (Math.sqrt(v[k]) + a.epsilon());
      }
      if (trace != null) trace[t - 1] = g;
    }
    return w;
  }

  @Test
  void adamMatchesKerasSemanticsOver200Steps() {
    double[][] y = {{0.1}, {1.2}, {0.7}, {2.0}};
    Adam adam = Adam.learningRate(0.01);
    for (var dtype : List.of(TFloat64.class, org.tensorflow.types.TFloat32.class)) {
      try (var model = Sequential.of(2, Dense.of(1)).dtype(dtype).compile(Loss.MSE, adam, 5)) {
        List<double[]> w0 = model.getWeights();
        double[] start = {w0.get(0)[0], w0.get(0)[1], w0.get(1)[0]};
        model.fit(X, y, Fit.epochs(200).batchSize(4).shuffle(false));
        double[] ref = referenceAdam(start, X, new double[] {0.1, 1.2, 0.7, 2.0}, adam, 200, null);
        List<double[]> w = model.getWeights();
        double[] got = {w.get(0)[0], w.get(0)[1], w.get(1)[0]};
        for (int k = 0; k < 3; k++) {
          assertEquals(
              ref[k], got[k], 1e-5 * Math.abs(ref[k]), dtype.getSimpleName() + " weight " + k);
        }
      }
    }
  }

  @Test
  void firstAdamStepMovesEachWeightByTheLearningRate() {
    double lr = 0.01;
    try (var model =
        Sequential.of(2, Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid"))
            .dtype(TFloat64.class)
            .compile(Loss.MSE, Adam.learningRate(lr), 3)) {
      List<double[]> before = model.getWeights();
      List<double[]> g = model.gradients(X, XOR);
      model.fit(X, XOR, Fit.epochs(1).batchSize(4).shuffle(false));
      List<double[]> after = model.getWeights();
      for (int i = 0; i < before.size(); i++) {
        for (int j = 0; j < before.get(i).length; j++) {
          double gij = g.get(i)[j];
          // step 1: m = 0.1 g, v = 0.001 g^2 (1 - beta in double), alpha = lr sqrt(1 - b2) / (1 -
          // b1) with Keras's float32 learning-rate variable and float32-cast betas (also for a
          // float64 model), so the move is about lr * sign(g)
          double lr32 = (float) lr;
          double alpha = lr32 * Math.sqrt(1 - (double) 0.999f) / (1 - (double) 0.9f);
          double m = (1 - 0.9) * gij;
          double v = (1 - 0.999) * gij * gij;
          double expected = -(m * alpha) / (Math.sqrt(v) + 1e-7);
          assertEquals(
              expected, after.get(i)[j] - before.get(i)[j], 1e-12, "weight " + i + "," + j);
        }
      }
    }
  }

  static double sig(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  @Test
  void twoTwoOneSigmoidNetworkMatchesAHandComputedBackwardPass() {
    double[] k1 = {0.3, -0.8, 0.5, 0.9}; // [in=2, out=2] row-major
    double[] b1 = {0.1, -0.2};
    double[] k2 = {1.5, -1.1};
    double[] b2 = {0.05};
    double loss = 0;
    double[] gk1 = new double[4];
    double[] gb1 = new double[2];
    double[] gk2 = new double[2];
    double[] gb2 = new double[1];
    for (int i = 0; i < 4; i++) {
      double[] h = new double[2];
      for (int j = 0; j < 2; j++) h[j] = sig(X[i][0] * k1[j] + X[i][1] * k1[2 + j] + b1[j]);
      double o = sig(h[0] * k2[0] + h[1] * k2[1] + b2[0]);
      double err = o - XOR[i][0];
      loss += err * err / 4;
      double dz2 = 2 * err / 4 * o * (1 - o);
      gb2[0] += dz2;
      for (int j = 0; j < 2; j++) {
        gk2[j] += dz2 * h[j];
        double dz1 = dz2 * k2[j] * h[j] * (1 - h[j]);
        gb1[j] += dz1;
        gk1[j] += dz1 * X[i][0];
        gk1[2 + j] += dz1 * X[i][1];
      }
    }
    try (var model =
        Sequential.of(2, Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid"))
            .dtype(TFloat64.class)
            .compile(Loss.MSE, Adam.defaults(), 0)) {
      model.setWeights(List.of(k1, b1, k2, b2));
      assertEquals(loss, model.evaluate(X, XOR)[0], 1e-15);
      List<double[]> g = model.gradients(X, XOR);
      assertArrayEquals(gk1, g.get(0), 1e-15);
      assertArrayEquals(gb1, g.get(1), 1e-15);
      assertArrayEquals(gk2, g.get(2), 1e-15);
      assertArrayEquals(gb2, g.get(3), 1e-15);
    }
  }

  @Test
  void sameSeedGivesBitIdenticalTrainingInSeparateGraphs() {
    double[][] q = new double[100][1];
    double[][] qy = new double[100][1];
    for (int i = 0; i < 100; i++) {
      q[i][0] = -5 + i / 10.0;
      qy[i][0] = q[i][0] * q[i][0];
    }
    History h1;
    History h2;
    List<double[]> w1;
    List<double[]> w2;
    try (var a =
        Sequential.of(1, Dense.of(6, "relu"), Dense.of(1))
            .compile(Loss.MSE, Adam.learningRate(0.005), 11)) {
      h1 = a.fit(q, qy, Fit.epochs(5).batchSize(32).seed(3));
      w1 = a.getWeights();
    }
    try (var b =
        Sequential.of(1, Dense.of(6, "relu"), Dense.of(1))
            .compile(Loss.MSE, Adam.learningRate(0.005), 11)) {
      h2 = b.fit(q, qy, Fit.epochs(5).batchSize(32).seed(3));
      w2 = b.getWeights();
    }
    assertEquals(h1.loss(), h2.loss());
    for (int i = 0; i < w1.size(); i++) assertArrayEquals(w1.get(i), w2.get(i));
    // Keras's batching: 100 samples in batches of 32 -> 32, 32, 32, 4, reshuffled every epoch
    assertEquals(List.of(32, 32, 32, 4), h1.batches().get(0).stream().map(b -> b.length).toList());
    assertTrue(!java.util.Arrays.equals(h1.batches().get(0).get(0), h1.batches().get(1).get(0)));
  }

  @Test
  void xorMlpLearnsXor() {
    try (var model =
        Sequential.of(2, Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid"))
            .compile(Loss.MSE, Adam.learningRate(0.01), 42)) {
      History h = model.fit(X, XOR, Fit.epochs(1000));
      double[][] p = model.predict(X);
      assertEquals(1000, h.loss().size());
      assertTrue(h.finalLoss() < h.loss().get(0), "loss decreases");
      assertEquals(4, p.length);
    }
  }

  @Test
  void badInputIsRefusedClearly() {
    try (var model = Sequential.of(2, Dense.of(1)).compile(Loss.MSE, Adam.defaults(), 0)) {
      var e =
          assertThrows(
              IllegalArgumentException.class, () -> model.predict(new double[][] {{1, 2, 3}}));
      assertEquals("x row 0 has 3 columns, the model expects 2", e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> Fit.epochs(0));
      assertThrows(
          IllegalArgumentException.class, () -> model.predict(new double[][] {{1, Double.NaN}}));
    }
  }
}
