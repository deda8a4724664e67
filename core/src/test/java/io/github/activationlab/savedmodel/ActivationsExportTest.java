package io.github.activationlab.savedmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.activationlab.activation.Activation;
import io.github.activationlab.activation.ActivationGraph;
import io.github.activationlab.activation.Activations;
import io.github.activationlab.activation.RowWise;
import io.github.activationlab.internal.tf.Arrays2;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * The activations SavedModel, loaded back in Java: every signature gives what the graph gives
 * (element-wise: y and dydx; row-wise: y and the VJP for an upstream gradient g).
 */
class ActivationsExportTest {
  @TempDir static Path tmp;
  static Path model;

  @BeforeAll
  static void export() throws IOException {
    model = ActivationsExport.export(tmp.resolve("activations"), Activations.all(), false);
  }

  @Test
  void everySignatureReproducesTheGraphBitForBit() {
    double[] x = {-1e4, -100, -3, -1, -0.5, 0, 0.25, 0.5, 1, 3, 6, 100, 1e4, 3e38, -3e38};
    double[] ones = new double[x.length];
    Arrays.fill(ones, 1);
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve")) {
      assertEquals(Activations.names().size(), b.signatures().size());
      for (Activation a : Activations.all()) {
        if (a instanceof RowWise) continue; // below
        var expected = ActivationGraph.evaluate(a, TFloat32.class, x, 1, ones);
        try (Tensor t = Arrays2.tensor(TFloat32.class, Shape.of(x.length), x);
            Result r = b.function(a.name()).call(Map.of("x", t))) {
          assertArrayEquals(
              floats(expected.y()), Arrays2.floats(r.get("y").orElseThrow()), a.name());
          assertArrayEquals(
              floats(expected.autodiff()),
              Arrays2.floats(r.get("dydx").orElseThrow()),
              a.name() + " dydx");
          assertFalse(r.get("vjp").isPresent(), a.name() + " has no vjp");
        }
      }
    }
  }

  /** Rows of six: the gallery's row, huge entries, a huge spread, ties. */
  static final double[][] ROWS = {
    {-2, -1, 0, 1, 2, 3},
    {1e8, 1e8, 0, 0, -1, 5},
    {3e38, -3e38, 0, 1, 1, 2},
    {0.5, 0.5, 0.5, 0.5, 0.5, 0.5},
    {-7, 30, -30, 0.25, 4, -0.5}
  };

  /**
   * Row-wise signatures take x and the upstream gradient g and give y and vjp, the gradient of
   * sum(y * g) by TF autodiff: the graph's own autodiff bit for bit, and the plain-Java reference
   * VJP within ActivationsTest's float32 tolerance (1e-6 relative, 10 x 16 ulps of 1 absolute).
   */
  @Test
  void rowWiseSignaturesGiveTheVjpForTheUpstreamGradient() {
    int w = ROWS[0].length;
    double[] x = Arrays.stream(ROWS).flatMapToDouble(Arrays::stream).toArray();
    Random rnd = new Random(3);
    int checked = 0;
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve")) {
      for (Activation a : Activations.all()) {
        if (!(a instanceof RowWise)) continue;
        int ow = a.outputWidth(w);
        double[] g = new double[ROWS.length * ow];
        for (int i = 0; i < g.length; i++) g[i] = (float) (2 * rnd.nextDouble() - 1);
        var expected = ActivationGraph.evaluate(a, TFloat32.class, x, w, g);
        try (Tensor xt = Arrays2.tensor(TFloat32.class, Shape.of(ROWS.length, w), x);
            Tensor gt = Arrays2.tensor(TFloat32.class, Shape.of(ROWS.length, ow), g);
            Result r = b.function(a.name()).call(Map.of("x", xt, "g", gt))) {
          float[] y = Arrays2.floats(r.get("y").orElseThrow());
          float[] vjp = Arrays2.floats(r.get("vjp").orElseThrow());
          assertArrayEquals(floats(expected.y()), y, a.name());
          assertArrayEquals(floats(expected.autodiff()), vjp, a.name() + " vjp");
          assertFalse(r.get("dydx").isPresent(), a.name() + " has no dydx");
          for (int i = 0; i < ROWS.length; i++) {
            double[] gi = Arrays.copyOfRange(g, i * ow, (i + 1) * ow);
            double[] ref = a.referenceVjp(ROWS[i], gi);
            for (int j = 0; j < w; j++) {
              double e = (float) ref[j];
              double tol = 1e-6 * Math.abs(e) + 10 * 16 * 0x1.0p-23;
              assertEquals(
                  e,
                  vjp[i * w + j],
                  tol,
                  a.name() + " vjp " + Arrays.toString(ROWS[i]) + "[" + j + "]");
              checked++;
            }
          }
        }
      }
    }
    assertEquals(4 * ROWS.length * w, checked, "softmax, log_softmax, sparsemax, glu");
  }

  private static float[] floats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
    return f;
  }

  @Test
  void signaturesDeclareFloat32InputsOfDynamicBatch() {
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve")) {
      var relu = b.function("relu").signature();
      // (Shape.equals is false for unknown dimensions: compare the dimension arrays)
      assertArrayEquals(new long[] {-1}, relu.getInputs().get("x").shape.asArray());
      assertEquals(DataType.DT_FLOAT, relu.getInputs().get("x").dataType);
      assertEquals(List.of("x"), List.copyOf(relu.getInputs().keySet()));
      assertEquals(List.of("dydx", "y"), relu.getOutputs().keySet().stream().sorted().toList());
      for (String name : List.of("softmax", "log_softmax", "sparsemax", "glu")) {
        var s = b.function(name).signature();
        assertEquals(List.of("g", "x"), s.getInputs().keySet().stream().sorted().toList(), name);
        assertEquals(List.of("vjp", "y"), s.getOutputs().keySet().stream().sorted().toList(), name);
        for (String in : List.of("x", "g")) {
          assertArrayEquals(new long[] {-1, -1}, s.getInputs().get(in).shape.asArray(), name);
          assertEquals(DataType.DT_FLOAT, s.getInputs().get(in).dataType, name + " " + in);
        }
      }
    }
  }

  @Test
  void refusesAnExistingExportAndLeavesItUntouched() throws IOException {
    Path dir = tmp.resolve("existing");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("keep.txt"), "mine");
    var e =
        assertThrows(
            FileAlreadyExistsException.class,
            () -> ActivationsExport.export(dir, Activations.all(), false));
    assertTrue(e.getMessage().contains("--force"), e.getMessage());
    assertEquals("mine", Files.readString(dir.resolve("keep.txt")));
    ActivationsExport.export(dir, List.of(Activations.get("relu")), true);
    assertFalse(Files.exists(dir.resolve("keep.txt")));
    assertTrue(Files.exists(dir.resolve("1/saved_model.pb")));
  }

  @Test
  void aFailedExportLeavesNothingBehind() throws IOException {
    Path parent = tmp.resolve("failing");
    Files.createDirectories(parent);
    assertThrows(
        IllegalStateException.class,
        () ->
            ExportDirectory.write(
                parent.resolve("m"),
                false,
                d -> {
                  Files.writeString(d.resolve("half.txt"), "half");
                  throw new IllegalStateException("boom");
                }));
    try (Stream<Path> left = Files.list(parent)) {
      assertEquals(List.of(), left.toList());
    }
  }
}
