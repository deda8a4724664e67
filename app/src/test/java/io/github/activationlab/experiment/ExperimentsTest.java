package io.github.activationlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every experiment, in a fast mode where it can be, with its outputs checked. */
class ExperimentsTest {
  @TempDir Path tmp;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();

  Context ctx(Integer epochs) {
    return new Context(
        new PrintStream(out, true),
        tmp.resolve("models"),
        tmp.resolve("graphs"),
        true,
        42,
        epochs,
        null);
  }

  static void assertPng(Path p, int w, int h) throws Exception {
    assertTrue(Files.exists(p), p + " written");
    BufferedImage img = ImageIO.read(p.toFile());
    assertEquals(w, img.getWidth(), p + " width");
    assertEquals(h, img.getHeight(), p + " height");
  }

  @Test
  void gatesAtFullLengthTheMlpBeatsTheSingleLayerOnXor() throws Exception {
    var r = GatesExperiment.run(ctx(null));
    assertEquals(0.0625, r.get("or-linear").loss(), 1e-4, "least squares");
    assertEquals(0.25, r.get("xor-sigmoid").loss(), 1e-3, "one layer cannot do XOR");
    assertTrue(r.get("xor-mlp").loss() < 0.05, "the MLP learns XOR with seed 42");
    assertEquals(1.0, r.get("xor-mlp").accuracy());
    assertTrue(r.get("xor-mlp").accuracy() > r.get("xor-sigmoid").accuracy());
    assertTrue(out.toString().contains("Total params: 9"), out.toString());
    assertPng(tmp.resolve("graphs/gates-linear.png"), 960, 720);
    assertPng(tmp.resolve("graphs/gates-sigmoid.png"), 960, 1080);
    assertPng(tmp.resolve("graphs/xor-mlp.png"), 960, 360);
    assertTrue(Files.exists(tmp.resolve("models/xor-mlp/run.json")));
  }

  @Test
  void reluFitFastModeHas19ParamsPerModelAndDrawsTheFit() throws Exception {
    var r = ReluFitExperiment.run(ctx(2));
    assertEquals(2, r.size());
    String o = out.toString();
    assertEquals(2, o.split("Total params: 19").length - 1, o);
    assertPng(tmp.resolve("graphs/relu-fit.png"), 960, 480);
    assertTrue(Files.exists(tmp.resolve("models/relu-serial/1/saved_model.pb")));
  }

  @Test
  void perceptronPrintsAsTheNotebookAndChecksItsTfTwin() throws Exception {
    PerceptronExperiment.run(ctx(null));
    String o = out.toString();
    assertTrue(o.contains("999th epoch, accuracy : 1.0"), o);
    assertTrue(o.contains("TF-ops perceptron (OR, same start): identical weights"), o);
    assertPng(tmp.resolve("graphs/perceptron-gates.png"), 960, 720);
  }

  @Test
  void activationGalleryDrawsTheNotebooksFourPanels() throws Exception {
    new ActivationsExperiment(java.util.List.of("relu", "elu", "softmax"), ctx(null)).run();
    assertPng(tmp.resolve("graphs/activations/relu.png"), 960, 720);
    assertPng(tmp.resolve("graphs/activations/elu.png"), 960, 720);
    assertTrue(Files.exists(tmp.resolve("models/activations/1/saved_model.pb")));
  }

  @Test
  void imageIsPreparedAsTheNotebookDoes() throws Exception {
    Images img = Images.load(null);
    assertEquals(451, img.width());
    assertEquals(300, img.height());
    double[] sorted = img.pixels().clone();
    java.util.Arrays.sort(sorted);
    assertEquals(
        0.0,
        (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2,
        1e-12,
        "median-centred");
  }
}
