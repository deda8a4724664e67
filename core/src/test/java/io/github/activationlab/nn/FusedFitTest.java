package io.github.activationlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * The three ways to run fit — one Session.run per step, the fused while loop, and the fused loop
 * compiled by XLA — train the same model to the same weights and the same history.
 *
 * <p>Without XLA the per-step path and the fused loop run the same ops ({@link TrainStep} with
 * {@link Adam#update}; the state carried in the model's variables between the per-step runs), so
 * they agree bit for bit in float32 and float64. XLA fuses and reorders the arithmetic: float64
 * agrees to 1e-12, float32 to 1e-5 (relative to the largest weight).
 */
class FusedFitTest {
  static double[][] data(int n, boolean y) {
    double[][] out = new double[n][1];
    for (int i = 0; i < n; i++) {
      double x = -5 + 10.0 * i / n;
      out[i][0] = y ? x * x : x;
    }
    return out;
  }

  static List<double[]> train(
      Class<? extends TFloating> dtype, Fit fit, double[][] x, double[][] y, double[] lossOut) {
    try (var m =
        Sequential.of(1, Dense.of(6, "relu"), Dense.of(1))
            .dtype(dtype)
            .compile(Loss.MSE, Adam.learningRate(0.005), 7)) {
      History h = m.fit(x, y, fit);
      lossOut[0] = h.finalLoss();
      lossOut[1] = h.batches().get(h.batches().size() - 1).size();
      return m.getWeights();
    }
  }

  /**
   * 100 samples, batch 32: 32, 32, 32, 4 (padded in the fused loop), the schedule fed. 5 samples:
   * one batch per epoch, which the fused loop draws itself ({@link DrawnShuffle}) while the
   * per-step path is fed Batching's: bit for bit the same without XLA.
   */
  @ParameterizedTest(name = "{0}, fused={1}, xla={2}, {4} samples")
  @CsvSource({
    "float64, true, false, 0, 100",
    "float64, true, true, 1e-12, 100",
    "float32, true, false, 0, 100",
    "float32, true, true, 1e-5, 100",
    "float64, true, false, 0, 5",
    "float32, true, false, 0, 5",
    "float32, true, true, 1e-5, 5"
  })
  void fusedAndXlaMatchThePerStepPath(
      String type, boolean fused, boolean xla, double tol, int samples) {
    Class<? extends TFloating> dtype = type.equals("float64") ? TFloat64.class : TFloat32.class;
    double[][] x = data(samples, false);
    double[][] y = data(samples, true);
    Fit base = Fit.epochs(samples < 32 ? 200 : 20).batchSize(32).seed(5);
    double[] l0 = new double[2];
    double[] l1 = new double[2];
    List<double[]> ref = train(dtype, base.fused(false), x, y, l0);
    List<double[]> got = train(dtype, base.fused(fused).xla(xla), x, y, l1);
    assertEquals(l0[1], l1[1], "same batches per epoch");
    assertEquals(l0[0], l1[0], tol * Math.max(1, Math.abs(l0[0])), "final epoch loss");
    for (int i = 0; i < ref.size(); i++) {
      double[] r = ref.get(i);
      double[] g = got.get(i);
      double scale = 1;
      for (double v : r) scale = Math.max(scale, Math.abs(v));
      assertArrayEquals(r, g, tol * scale, "weight " + i);
    }
  }
}
