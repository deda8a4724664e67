package io.github.activationlab.perceptron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PerceptronTest {
  @ParameterizedTest
  @ValueSource(longs = {0, 1, 2, 3, 42})
  void tfPerceptronGivesExactlyThePlainJavaWeights(long seed) {
    for (double[] labels : new double[][] {Gates.OR, Gates.AND, Gates.XOR}) {
      Perceptron p = new Perceptron(2, seed);
      double[] w0 = p.weights();
      double b0 = p.bias();
      p.train(Gates.X, labels, 300, null);
      double[] tf = TfPerceptron.train(w0, b0, 0.01, Gates.X, labels, 300);
      assertArrayEquals(p.weights(), java.util.Arrays.copyOf(tf, 2), 0.0);
      assertEquals(p.bias(), tf[2], 0.0);
    }
  }

  @Test
  void learnsOrAndAndButNotXorUnlessGivenTheProductFeature() {
    for (long seed = 0; seed < 10; seed++) {
      Perceptron or = new Perceptron(2, seed);
      or.train(Gates.X, Gates.OR, 1000, null);
      assertEquals(1.0, or.accuracy(Gates.X, Gates.OR));
      Perceptron and = new Perceptron(2, seed);
      and.train(Gates.X, Gates.AND, 1000, null);
      assertEquals(1.0, and.accuracy(Gates.X, Gates.AND));
      Perceptron xor = new Perceptron(2, seed);
      xor.train(Gates.X, Gates.XOR, 1000, null);
      assertTrue(xor.accuracy(Gates.X, Gates.XOR) < 1.0, "XOR is not linearly separable");
      Perceptron xor3 = new Perceptron(3, seed);
      xor3.train(Gates.X_WITH_PRODUCT, Gates.XOR, 1000, null);
      assertEquals(1.0, xor3.accuracy(Gates.X_WITH_PRODUCT, Gates.XOR), "seed " + seed);
    }
  }
}
