package io.github.activationlab.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.activationlab.activation.ActivationGraph;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each example, run in a fast mode, gives what its doc comment says it prints. */
class ExamplesTest {
  @TempDir Path tmp;

  /** Runs {@code r} and returns what it printed. */
  static String stdout(ThrowingRunnable r) throws Exception {
    PrintStream old = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(old);
    }
    String s = bytes.toString(StandardCharsets.UTF_8);
    old.print(s);
    return s;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void xorMlpLearnsXorSavesAndTrainsOnFromItsFile() throws Exception {
    XorMlp.Result[] r = new XorMlp.Result[1];
    String out = stdout(() -> r[0] = XorMlp.runExample(tmp));
    assertTrue(out.contains("Total params: 9"), out);
    assertTrue(out.contains("final loss 0.0034, predictions [[0.05"), out); // README's figure
    assertEquals(1000, r[0].stepsSaved(), "Adam's step count is in the file");
    double[] want = {0, 1, 1, 0};
    for (int i = 0; i < 4; i++) assertEquals(want[i], r[0].predictions()[i][0], 0.1);
    assertEquals(1200, r[0].stepsAfter());
    assertTrue(r[0].lossAfter() < 0.0034, "training went on downhill: " + r[0].lossAfter());
    assertTrue(Files.size(tmp.resolve("xor.keras")) > 0);
  }

  @Test
  void aKerasWrittenFilePredictsAsKerasDidAndTrainsOn() throws Exception {
    var r = KerasFile.runExample(tmp, Path.of("data", "xor.keras"));
    // Keras 3.15's model.predict on the same file (data/make_xor_keras.py printed them)
    double[] keras = {
      0.0072448463179171085, 0.9943305850028992, 0.49668312072753906, 0.5012218952178955
    };
    for (int i = 0; i < 4; i++) assertEquals(keras[i], r.kerasPredictions()[i][0], 1e-6);
    assertEquals(100, r.stepsBefore(), "Keras's step count crossed");
    assertEquals(300, r.stepsAfter(), "100 Keras steps + 200 Java steps (batch 32: one a epoch)");
    // Keras left two inputs decided and two stuck at 0.5 (tanh's saddle): Java's 200 more epochs
    // push the decided ones further and leave the saddle, as Keras's own would (cross-check 6)
    double[][] b = r.kerasPredictions();
    double[][] a = r.predictionsAfter();
    assertTrue(a[0][0] < b[0][0] && a[1][0] > b[1][0], "the decided outputs moved on");
    assertEquals(0.5, a[2][0], 0.01);
    assertEquals(0.5, a[3][0], 0.01);
  }

  @Test
  void aSavedModelServesManyThreadsAlike() throws Exception {
    double[][] p = ServeSavedModel.runExample(Path.of("data", "keras-xor-savedmodel"), 50);
    // Keras's model.predict on this model (core's fixture keras-xor-mlp/expected.json)
    double[] keras = {
      0.05220692604780197, 0.9526538848876953, 0.9469184875488281, 0.06856665760278702
    };
    for (int i = 0; i < 4; i++) assertEquals(keras[i], p[i][0], 1e-6);
  }

  @Test
  void elusValuesAndDerivativesAreTheFormulasAndXlaAgrees() throws Exception {
    ActivationGraph.Values[] v = new ActivationGraph.Values[1];
    String out = stdout(() -> v[0] = EvaluateActivation.runExample("elu", 10_000));
    double[] x = {-2, -1, 0, 1, 2};
    for (int i = 0; i < x.length; i++) {
      double f = x[i] > 0 ? x[i] : Math.expm1(x[i]);
      double d = x[i] > 0 ? 1 : Math.exp(x[i]); // alpha = 1 at the kink x = 0
      assertEquals(f, v[0].y()[i], 1e-6, "elu(" + x[i] + ")");
      assertEquals(d, v[0].analytic()[i], 1e-6, "elu'(" + x[i] + ")");
    }
    assertArrayEquals(v[0].analytic(), v[0].autodiff(), 1e-6, "autodiff = analytic");
    assertTrue(out.contains("elu on 10,000 values through XLA: max |XLA - graph| = "), out);
    double worst =
        Double.parseDouble(out.substring(out.lastIndexOf("= ") + 2).strip().split("\\s")[0]);
    assertTrue(worst < 1e-6, "XLA and the TF graph agree within float32 ulps: " + worst);
  }
}
