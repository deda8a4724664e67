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
import io.github.activationlab.tf.Arrays2;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** The activations SavedModel, loaded back in Java: every signature gives what the graph gives. */
class ActivationsExportTest {
  @TempDir static Path tmp;
  static Path model;

  @BeforeAll
  static void export() throws IOException {
    model = ActivationsExport.export(tmp.resolve("activations"), Activations.all(), false);
  }

  @Test
  void everySignatureReproducesTheGraphBitForBit() {
    double[] x = {-1e4, -100, -3, -1, -0.5, 0, 0.25, 0.5, 1, 3, 6, 100, 1e4};
    double[] ones = new double[x.length];
    java.util.Arrays.fill(ones, 1);
    double[] row = {-2, -1, 0, 1, 2, 3};
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve")) {
      assertEquals(Activations.names().size(), b.signatures().size());
      for (Activation a : Activations.all()) {
        boolean rows = a instanceof RowWise;
        double[] in = rows ? row : x;
        Shape shape = rows ? Shape.of(1, row.length) : Shape.of(x.length);
        var expected = ActivationGraph.evaluate(a, TFloat32.class, in, rows ? row.length : 1,
            rows ? new double[a.outputWidth(row.length)] : ones);
        try (Tensor t = Arrays2.tensor(TFloat32.class, shape, in);
            Result r = b.function(a.name()).call(Map.of("x", t))) {
          assertArrayEquals(Arrays2.floats(floatTensor(expected.y())), Arrays2.floats(r.get("y").orElseThrow()), a.name());
          if (!rows) {
            assertArrayEquals(Arrays2.floats(floatTensor(expected.autodiff())),
                Arrays2.floats(r.get("dydx").orElseThrow()), a.name() + " dydx");
          } else {
            assertFalse(r.get("dydx").isPresent(), a.name() + " has no dydx");
          }
        }
      }
    }
  }

  private static Tensor floatTensor(double[] v) {
    return Arrays2.tensor(TFloat32.class, Shape.of(v.length), v);
  }

  @Test
  void signaturesDeclareFloat32InputsOfDynamicBatch() {
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve")) {
      var relu = b.function("relu").signature();
      // (Shape.equals is false for unknown dimensions: compare the dimension arrays)
      assertArrayEquals(new long[] {-1}, relu.getInputs().get("x").shape.asArray());
      assertEquals(org.tensorflow.proto.DataType.DT_FLOAT, relu.getInputs().get("x").dataType);
      assertEquals(List.of("dydx", "y"), relu.getOutputs().keySet().stream().sorted().toList());
      assertArrayEquals(new long[] {-1, -1}, b.function("softmax").signature().getInputs().get("x").shape.asArray());
    }
  }

  @Test
  void refusesAnExistingExportAndLeavesItUntouched() throws IOException {
    Path dir = tmp.resolve("existing");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("keep.txt"), "mine");
    var e = assertThrows(FileAlreadyExistsException.class,
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
    assertThrows(IllegalStateException.class, () -> ExportDirectory.write(parent.resolve("m"), false, d -> {
      Files.writeString(d.resolve("half.txt"), "half");
      throw new IllegalStateException("boom");
    }));
    try (Stream<Path> left = Files.list(parent)) {
      assertEquals(List.of(), left.toList());
    }
  }
}
