package io.github.activationlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat64;

class LayersAndLossesTest {
  static final double[][] X = {{0, 0}, {1, 0}, {0, 1}, {1, 1}, {-1, 2}};
  static final double[][] Y = {{0}, {1}, {1}, {0}, {1}};

  /** A PReLU layer: one alpha per unit, initial value as given, trained; its gradient is right. */
  @Test
  void preluLayerTrainsOneAlphaPerUnit() {
    try (var m =
        Sequential.of(2, Dense.of(3), new PRelu(0.1), Dense.of(1))
            .dtype(TFloat64.class)
            .compile(Loss.MSE, Adam.learningRate(0.01), 4)) {
      assertEquals(3 * 3 + 3 + 4, m.countParams());
      assertTrue(m.summary().contains("(PReLU)"), m.summary());
      double[] alpha0 = m.getWeights().get(2);
      assertEquals(List.of(0.1, 0.1, 0.1), List.of(alpha0[0], alpha0[1], alpha0[2]));
      // autodiff d loss / d alpha against a central difference of evaluate()
      List<double[]> w = m.getWeights();
      double[] g = m.gradients(X, Y).get(2);
      for (int k = 0; k < 3; k++) {
        double h = 1e-6;
        List<double[]> plus = copy(w);
        List<double[]> minus = copy(w);
        plus.get(2)[k] += h;
        minus.get(2)[k] -= h;
        m.setWeights(plus);
        double lp = m.evaluate(X, Y)[0];
        m.setWeights(minus);
        double lm = m.evaluate(X, Y)[0];
        assertEquals((lp - lm) / (2 * h), g[k], 1e-7, "alpha " + k);
      }
      m.setWeights(w);
      m.fit(X, Y, Fit.epochs(50));
      assertNotEquals(alpha0[0], m.getWeights().get(2)[0], "alpha is trained");
    }
  }

  static List<double[]> copy(List<double[]> w) {
    List<double[]> c = new ArrayList<>();
    for (double[] a : w) c.add(a.clone());
    return c;
  }

  /** binary_crossentropy: Keras's value, from the logits after a sigmoid output layer. */
  @Test
  void binaryCrossentropyMatchesTheFormula() {
    double[] k = {0.7, -1.2};
    double[] b = {0.3};
    try (var m =
        Sequential.of(2, Dense.of(1, "sigmoid"))
            .dtype(TFloat64.class)
            .compile(Loss.BINARY_CROSSENTROPY, Adam.defaults(), 0)) {
      m.setWeights(List.of(k, b));
      double expected = 0;
      for (int i = 0; i < X.length; i++) {
        double p = 1 / (1 + Math.exp(-(X[i][0] * k[0] + X[i][1] * k[1] + b[0])));
        expected -= (Y[i][0] * Math.log(p) + (1 - Y[i][0]) * Math.log(1 - p)) / X.length;
      }
      assertEquals(expected, m.evaluate(X, Y)[0], 1e-12);
      m.fit(X, Y, Fit.epochs(20));
      assertTrue(m.evaluate(X, Y)[0] < expected, "training lowers the loss");
    }
    assertEquals(Loss.BINARY_CROSSENTROPY, Loss.of("binary_crossentropy"));
  }
}
