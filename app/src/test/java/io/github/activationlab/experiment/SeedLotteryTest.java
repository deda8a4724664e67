package io.github.activationlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.activationlab.activation.Activations;
import io.github.activationlab.activation.ElementWise;
import io.github.activationlab.nn.Dense;
import io.github.activationlab.nn.Layer;
import io.github.activationlab.nn.PRelu;
import io.github.activationlab.nn.SweepChunks;
import io.github.activationlab.notebook.NotebookModels;
import io.github.activationlab.sweep.SeedRange;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TFloat64;

/** What a sweep trains (which layers change), its checks, and the notebook's section. */
class SeedLotteryTest {
  @TempDir Path tmp;

  static final ElementWise ELU = (ElementWise) Activations.get("elu");

  /** The layers a sweep of {@code model} with activation {@code a} trains (core's SeedRange). */
  static List<Layer> layers(String model, ElementWise a) {
    return new SeedRange.Setup(model, a.name(), 1, 0.01, "float32").spec().arch().layers();
  }

  static List<String> activations(String model, ElementWise a) {
    return layers(model, a).stream().map(Layer::activationName).toList();
  }

  @Test
  void hiddenDenseLayersAreReplacedTheOutputLayerKeepsItsOwn() {
    assertEquals(List.of("elu", "sigmoid"), activations("xor-mlp", ELU));
    assertEquals(List.of("elu", "elu", "elu", "linear"), activations("relu-serial", ELU));
    assertEquals(List.of("elu", "linear"), activations("relu-parallel", ELU));
    // a single layer is the output: replaced
    assertEquals(List.of("elu"), activations("or-sigmoid", ELU));
    assertEquals(List.of("elu"), activations("and-linear", ELU));
    // PReLU layers are kept
    var prelu = layers("xor-prelu", ELU);
    assertEquals("elu", ((Dense) prelu.get(0)).activation().name());
    assertInstanceOf(PRelu.class, prelu.get(1));
    assertEquals("sigmoid", prelu.get(2).activationName());
    assertEquals(
        "Dense(2, *) -> Dense(2, *) -> Dense(2, *) -> Dense(1, linear)",
        SeedRange.describe("relu-serial"));
  }

  @Test
  void theDefaultIsTheModelsOwnActivation() {
    assertEquals("sigmoid", SeedRange.activations("xor-mlp", null).get(0));
    assertEquals("relu", SeedRange.activations("relu-serial", null).get(0));
    assertEquals("linear", SeedRange.activations("or-linear", null).get(0));
    assertEquals("linear", SeedRange.activations("xor-prelu", null).get(0));
    var p = Sweeps.plan("relu-serial", null, 42, 300, null, null, null, 2);
    assertEquals(List.of("relu"), p.activations().stream().map(ElementWise::name).toList());
    assertEquals(100, p.epochs());
    assertEquals(0.005, p.learningRate());
    assertEquals("float32", p.dtypeName());
    assertEquals(2, p.threads(), "one activation: its chunks side by side");
    int n = NotebookModels.get("relu-serial").data(SeedRange.DATA_SEED).x().length;
    assertEquals(
        SweepChunks.chunkSize(
            Sweeps.sweepSpec(p, p.activations().get(0)), n, 300, SweepChunks.CHUNK_BYTES / 2, 2),
        p.chunk());
    var q = Sweeps.plan("xor-mlp", List.of("tanh", "swish"), 7, 10, 5, 0.1, "float64", 2);
    assertEquals(List.of("tanh", "silu"), q.activations().stream().map(ElementWise::name).toList());
    assertEquals(5, q.epochs());
    assertEquals(0.1, q.learningRate());
    assertEquals(TFloat64.class, q.dtype());
    assertEquals(7, q.firstSeed());
    assertEquals(2, q.threads());
    // two activations side by side, each one chunk at a time, share the memory budget
    var two = Sweeps.plan("relu-serial", List.of("relu", "elu"), 42, 300, null, null, null, 2);
    assertEquals(
        SweepChunks.chunkSize(
            Sweeps.sweepSpec(two, two.activations().get(0)),
            n,
            300,
            SweepChunks.CHUNK_BYTES / 2,
            1),
        two.chunk());
    // a seed too big to share the budget: one activation at a time, with all of it
    long one = bytesPerSeed("relu-serial", 1, n);
    long perEpoch = bytesPerSeed("relu-serial", 2, n) - one;
    int epochs = (int) ((0.7 * SweepChunks.CHUNK_BYTES - (one - perEpoch)) / perEpoch);
    assertTrue(bytesPerSeed("relu-serial", epochs, n) > SweepChunks.CHUNK_BYTES / 2);
    var big = Sweeps.plan("relu-serial", List.of("relu", "elu"), 42, 3, epochs, null, null, 2);
    assertEquals(1, big.threads());
    assertEquals(1, big.chunk());
  }

  static long bytesPerSeed(String model, int epochs, int n) {
    var p = Sweeps.plan(model, null, 42, 1, epochs, null, null, 1);
    return SweepChunks.bytesPerSeed(Sweeps.sweepSpec(p, p.activations().get(0)), n);
  }

  @Test
  void allIsEveryElementWiseActivationWithAGradient() {
    var all = Sweeps.plan("xor-mlp", List.of("all"), 42, 10, null, null, null, 1).activations();
    var names = all.stream().map(ElementWise::name).toList();
    long elementWise = Activations.all().stream().filter(a -> a instanceof ElementWise).count();
    assertEquals(elementWise - 1, names.size());
    assertTrue(!names.contains("binary_step") && !names.contains("softmax"), names.toString());
    assertTrue(names.containsAll(SeedLottery.NOTEBOOK_TRAINABLE), names.toString());
  }

  @Test
  void badArgumentsAreOneLineErrors() {
    assertEquals("--seeds must be positive, got 0", error("xor-mlp", null, 0, null, null, null));
    assertEquals("--epochs must be positive, got 0", error("xor-mlp", null, 5, 0, null, null));
    assertEquals(
        "--lr must be a positive number, got -0.1", error("xor-mlp", null, 5, null, -0.1, null));
    assertEquals(
        "--lr must be a positive number, got NaN",
        error("xor-mlp", null, 5, null, Double.NaN, null));
    assertTrue(
        error("nope", null, 5, null, null, null).startsWith("unknown model 'nope'; valid: "));
    assertEquals(
        "unknown --dtype 'float16'; valid: float32, float64",
        error("xor-mlp", null, 5, null, null, "float16"));
    assertTrue(
        error("xor-mlp", List.of("nope"), 5, null, null, null)
            .startsWith("unknown activation 'nope'; valid: linear, sigmoid, tanh, relu,"));
    assertTrue(
        error("xor-mlp", List.of("binary_step"), 5, null, null, null)
            .startsWith("binary_step cannot be trained by gradient descent: its derivative is 0"));
    assertTrue(
        error("xor-mlp", List.of("relu", "log_softmax"), 5, null, null, null)
            .startsWith("log_softmax is not element-wise"));
    assertEquals(
        "activation 'silu' is given twice",
        error("xor-mlp", List.of("silu", "swish"), 5, null, null, null));
    assertEquals(
        "--activation all cannot be combined with names",
        error("xor-mlp", List.of("all", "relu"), 5, null, null, null));
    assertTrue(error("relu-serial", null, 5, 10_000_000, null, null).startsWith("one seed needs "));
    assertTrue(
        error("xor-mlp", null, 2_000_000_000, null, null, null)
            .matches("2000000000 seeds x 1 activation\\(s\\) need about .* GB of Java heap.*"));
  }

  static String error(
      String model, List<String> acts, int seeds, Integer epochs, Double lr, String dtype) {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Sweeps.plan(model, acts, 42, seeds, epochs, lr, dtype, 1));
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    return e.getMessage();
  }

  /**
   * The notebook's section in a fast mode (1 epoch, 5 seeds, two activations): both tables and both
   * charts. (MainTest's notebook run goes through the whole section.)
   */
  @Test
  void notebookSectionPrintsTablesAndDrawsOneChartPerModel() throws Exception {
    var out = new ByteArrayOutputStream();
    var ctx =
        new Context(
            new PrintStream(out, true),
            tmp.resolve("models"),
            tmp.resolve("graphs"),
            true,
            42,
            1,
            null);
    var acts = List.of("sigmoid", "relu");
    SeedLottery.run(ctx, java.util.Map.of("xor-mlp", 5, "relu-serial", 5), acts);
    String o = out.toString();
    for (String model : SeedLottery.NOTEBOOK_MODELS) {
      assertTrue(o.contains("# " + model + ": "), o);
      Path png = tmp.resolve("graphs/sweep-" + model + ".png");
      assertTrue(Files.exists(png) && ctx.written.contains(png), png.toString());
    }
    for (String a : acts) {
      assertEquals(2, o.lines().filter(l -> l.startsWith(a + " ")).count(), a + "\n" + o);
    }
    assertTrue(o.contains("(this section: "), o);
    assertTrue(!Files.exists(tmp.resolve("models")), "the section exports nothing");
  }
}
