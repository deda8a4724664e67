package io.github.activationlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.activationlab.activation.Activations;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/** The sweep's contract: seed s of a sweep ends with the weights fit gives with seed s alone. */
class SeedSweepTest {
  static final double[][] X = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
  static final double[][] XOR = {{0}, {1}, {1}, {0}};

  static double[][] ramp(int n, boolean square) {
    double[][] out = new double[n][1];
    for (int i = 0; i < n; i++) {
      double x = -3 + 6.0 * i / n;
      out[i][0] = square ? x * x : x;
    }
    return out;
  }

  /**
   * fit's weights for one seed (compile seed s, fit seed s), flat in Keras's order; lossOut[0] gets
   * History's final loss.
   */
  static double[] fitAlone(
      Layer[] layers,
      Class<? extends TFloating> dtype,
      Loss loss,
      Optimizer optimizer,
      double[][] x,
      double[][] y,
      int epochs,
      int batch,
      long seed,
      double[] lossOut) {
    try (var m = Sequential.of(x[0].length, layers).dtype(dtype).compile(loss, optimizer, seed)) {
      lossOut[0] = m.fit(x, y, Fit.epochs(epochs).batchSize(batch).seed(seed)).finalLoss();
      List<Double> flat = new ArrayList<>();
      for (double[] w : m.getWeights()) for (double v : w) flat.add(v);
      return flat.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "xor, float32, 1e-5",
    "xor, float64, 1e-10",
    "relu, float32, 1e-5",
    "relu, float64, 1e-10",
    "prelu-bce, float64, 1e-10",
    "relu-sgd-mae, float64, 1e-10",
    "xor-rmsprop-huber, float64, 1e-10",
    "xor-amsgrad, float32, 1e-5"
  })
  void eachSeedEndsWhereFitWithThatSeedEnds(String model, String type, double tol) {
    Class<? extends TFloating> dtype = type.equals("float64") ? TFloat64.class : TFloat32.class;
    Layer[] layers;
    double[][] x;
    double[][] y;
    Loss loss = Loss.MSE;
    int epochs;
    Optimizer opt;
    switch (model) {
      case "xor" -> {
        layers = new Layer[] {Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid")};
        x = X;
        y = XOR;
        epochs = 300;
        opt = Adam.learningRate(0.01);
      }
      case "relu" -> { // 50 samples in batches of 16: 16, 16, 16, 2 (padded, masked)
        layers = new Layer[] {Dense.of(3, "relu"), Dense.of(1)};
        x = ramp(50, false);
        y = ramp(50, true);
        epochs = 20;
        opt = Adam.learningRate(0.005);
      }
      case "relu-sgd-mae" -> { // the other optimizers and losses: their slots on the seed axis
        layers = new Layer[] {Dense.of(3, "relu"), Dense.of(1)};
        x = ramp(50, false);
        y = ramp(50, true);
        loss = Loss.MAE;
        epochs = 20;
        opt = SGD.learningRate(0.01).momentum(0.9).nesterov(true);
      }
      case "xor-rmsprop-huber" -> {
        layers =
            new Layer[] {
              Dense.of(3), new ActivationLayer(Activations.get("tanh")), Dense.of(1, "sigmoid")
            };
        x = X;
        y = XOR;
        loss = Loss.HUBER;
        epochs = 100;
        opt = RMSprop.learningRate(0.01).momentum(0.5).centered(true);
      }
      case "xor-amsgrad" -> {
        layers = new Layer[] {Dense.of(2, "tanh"), Dense.of(1, "sigmoid")};
        x = X;
        y = XOR;
        epochs = 200;
        opt = Adam.learningRate(0.01).amsgrad(true);
      }
      default -> {
        layers = new Layer[] {Dense.of(3), new PRelu(0.1), Dense.of(1, "sigmoid")};
        x = X;
        y = XOR;
        loss = Loss.BINARY_CROSSENTROPY;
        epochs = 100;
        opt = Adam.learningRate(0.01);
      }
    }
    int batch = model.startsWith("relu") ? 16 : 32;
    var spec =
        new SeedSweep.Spec(
            Architecture.of(x[0].length, List.of(layers)),
            dtype,
            loss,
            opt,
            epochs,
            batch,
            true,
            true);
    List<SeedSweep.Outcome> got;
    // 5 seeds in chunks of 2, two chunks at a time: the last chunk is padded with a repeated seed,
    // the outcomes come in seed order
    try (var sweep = new SeedSweep(spec, x.length, 2)) {
      got = sweep.run(x, y, y, 40, 5, 2, done -> {});
    }
    assertEquals(5, got.size());
    for (int i = 0; i < 5; i++) assertEquals(40 + i, got.get(i).seed());
    for (SeedSweep.Outcome o : got) {
      double[] lastLoss = new double[1];
      double[] alone = fitAlone(layers, dtype, loss, opt, x, y, epochs, batch, o.seed(), lastLoss);
      assertEquals(lastLoss[0], o.loss(), tol * Math.max(1, lastLoss[0]), "History's final loss");
      double scale = 1;
      for (double v : alone) scale = Math.max(scale, Math.abs(v));
      for (int i = 0; i < alone.length; i++) {
        assertEquals(alone[i], o.weights()[i], tol * scale, "seed " + o.seed() + " weight " + i);
      }
    }
  }

  @Test
  void evaluationCountsDeadUnitsAndCollapsedOutputs() {
    var arch = Architecture.of(1, List.of(Dense.of(2, "relu"), Dense.of(1)));
    var spec =
        new SeedSweep.Spec(
            arch, TFloat64.class, Loss.MSE, Adam.learningRate(0.01), 2, 32, false, false);
    double[][] zeros = new double[10][1]; // every input the same: every unit and the output too
    double[][] ramp = ramp(10, false);
    try (var sweep = new SeedSweep(spec, 10, 3)) {
      for (var o : sweep.run(zeros, ramp(10, true), ramp(10, true), 1, 3, 1, d -> {})) {
        assertEquals(2, o.deadUnits()[0], "constant inputs: both hidden units constant");
        assertTrue(o.collapsed(), "constant inputs: a constant output");
        assertEquals(0, o.outputRange(), 0);
      }
      for (var o : sweep.run(ramp, ramp(10, true), ramp(10, true), 1, 3, 1, d -> {})) {
        assertTrue(o.deadUnits()[0] < 2, "a ramp from -3 to 3 reaches one side of each ReLU");
        assertTrue(!o.collapsed() && o.outputRange() > 0);
        assertEquals(o.evalLoss(), o.mseVsTruth(), 1e-12, "mse against y = the loss here");
      }
    }
  }

  @Test
  void aSeedThatCannotFitInTheBudgetIsRefusedBeforeAnyAllocation() {
    var spec =
        new SeedSweep.Spec(
            Architecture.of(1, List.of(Dense.of(2, "relu"), Dense.of(1))),
            TFloat32.class,
            Loss.MSE,
            Adam.defaults(),
            10_000_000,
            32,
            true,
            true);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SweepChunks.chunkSize(spec, 2001, 1000, SweepChunks.CHUNK_BYTES, 1));
    assertTrue(e.getMessage().contains("one seed needs"), e.getMessage());
    var small =
        new SeedSweep.Spec(
            spec.arch(), TFloat32.class, Loss.MSE, Adam.defaults(), 100, 32, true, true);
    int chunk = SweepChunks.chunkSize(small, 2001, 1000, SweepChunks.CHUNK_BYTES, 1);
    assertTrue(chunk > 0 && chunk <= 1000);
    assertTrue(SweepChunks.bytesPerSeed(small, 2001) * chunk <= SweepChunks.CHUNK_BYTES);
  }

  /**
   * What the seed axis would mix is refused when the sweep is built, in one line that names it: a
   * Functional graph, a normalising, random or stateful layer, a row-wise activation, a
   * regularizer, a categorical cross-entropy. (Adam and mse otherwise.)
   */
  @Test
  void whatASweepCannotTrainIsRefusedInOneLine() {
    var in = Functional.builder();
    var x = in.input(2);
    var skip = in.apply(Dense.of(2, "relu"), x);
    var functional =
        in.build(in.apply(Dense.of(1, "sigmoid"), in.apply(new Add(), skip, x))).architecture();
    assertEquals(
        "a seed sweep trains Sequential stacks of Dense, PReLU and activation layers on flat"
            + " samples; not a Functional graph",
        refused(functional, Loss.MSE));
    assertTrue(
        refused(seq(Dense.of(4), new BatchNormalization(), Dense.of(1)), Loss.MSE)
            .matches(
                "a seed sweep trains Sequential stacks of Dense, PReLU and activation layers; not"
                    + " layer 'batch_normalization(_\\d+)?' \\(BatchNormalization\\)"));
    assertTrue(
        refused(seq(Dense.of(4, "relu"), new Dropout(0.5), Dense.of(1)), Loss.MSE)
            .contains("(Dropout)"));
    assertTrue(
        refused(seq(Dense.of(4, "relu"), Dense.of(3, "softmax")), Loss.MSE)
            .endsWith(
                "(Dense): its activation softmax is row-wise (it would mix the seeds);"
                    + " element-wise activations only"));
    var decayed = Dense.of(4, "relu").withRegularizers(Regularizer.l2(1e-4), null);
    assertTrue(
        refused(seq(decayed, Dense.of(1)), Loss.MSE)
            .endsWith("(Dense) with a regularizer (its penalty would be summed over all seeds)"));
    assertEquals(
        "a seed sweep trains with mse, mae, huber, binary_crossentropy; not"
            + " categorical_crossentropy",
        refused(seq(Dense.of(3)), Loss.CATEGORICAL_CROSSENTROPY));
  }

  static Architecture seq(Layer... layers) {
    return Architecture.of(2, List.of(layers));
  }

  static String refused(Architecture arch, Loss loss) {
    var spec = new SeedSweep.Spec(arch, TFloat32.class, loss, Adam.defaults(), 10, 32, true, true);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> {
              try (var sweep = new SeedSweep(spec, 4, 2)) {
                sweep.seedsPerChunk();
              }
            });
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    return e.getMessage();
  }
}
