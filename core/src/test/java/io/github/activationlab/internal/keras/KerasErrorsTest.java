package io.github.activationlab.internal.keras;

import static io.github.activationlab.internal.keras.KerasTestFiles.config;
import static io.github.activationlab.internal.keras.KerasTestFiles.fixture;
import static io.github.activationlab.internal.keras.KerasTestFiles.h5;
import static io.github.activationlab.internal.keras.KerasTestFiles.json;
import static io.github.activationlab.internal.keras.KerasTestFiles.replaced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jhdf.api.WritableGroup;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input gives one clear, one-line message naming the file, layer or class. */
class KerasErrorsTest {
  @TempDir Path tmp;

  private static String fails(Executable e) {
    KerasFormatException x = assertThrows(KerasFormatException.class, e);
    assertTrue(!x.getMessage().contains("\n"), "one line: " + x.getMessage());
    return x.getMessage();
  }

  private static String read(byte[] zip, String source) {
    return fails(() -> KerasTestFiles.read(zip, source));
  }

  @Test
  void notAZip() throws Exception {
    Path p = tmp.resolve("model.keras");
    Files.writeString(p, "hello, not a zip");
    assertEquals(
        p + ": not a Keras 3 .keras file (not a zip archive)", fails(() -> KerasFiles.read(p)));
    Path empty = tmp.resolve("empty.keras");
    Files.write(empty, new byte[0]);
    assertTrue(fails(() -> KerasFiles.read(empty)).contains("not a zip archive"));
    byte[] whole = Files.readAllBytes(fixture("xor_mlp.keras"));
    byte[] cut = java.util.Arrays.copyOf(whole, 2000); // inside config.json
    assertTrue(
        read(cut, "cut.keras")
            .startsWith("cut.keras: not a Keras 3 .keras file (broken" + " zip: "),
        read(cut, "cut.keras"));
  }

  @Test
  void zipWithoutConfigJson() throws Exception {
    byte[] zip = replaced("xor_mlp.keras", "config.json", null);
    assertEquals(
        "m.keras: no config.json in the zip: not a Keras 3 .keras file", read(zip, "m.keras"));
  }

  @Test
  void keras2Hdf5() {
    Path p = fixture("keras2.h5");
    assertEquals(
        p
            + ": this is a Keras 2 HDF5 file; re-save it in Keras 3 with"
            + " model.save('model.keras')",
        fails(() -> KerasFiles.read(p)));
  }

  @Test
  void functionalModel() {
    Path p = fixture("functional.keras");
    assertEquals(
        p
            + ": the model is a Functional model (class_name 'Functional'); only"
            + " Sequential models are supported",
        fails(() -> KerasFiles.read(p)));
  }

  @Test
  void unsupportedLayer() {
    Path p = fixture("conv2d.keras");
    String m = fails(() -> KerasFiles.read(p));
    assertTrue(m.startsWith(p + ": layer 'conv2d"), m);
    assertTrue(
        m.contains(
            "of class Conv2D is not supported; supported layers: [InputLayer,"
                + " Dense, PReLU, Activation, LeakyReLU, ELU, ReLU, Softmax]"),
        m);
  }

  @Test
  void customObject() throws Exception {
    JsonObject c = config("xor_mlp.keras");
    JsonObject layer =
        c.getAsJsonObject("config").getAsJsonArray("layers").get(2).getAsJsonObject();
    layer.addProperty("module", "my_package.layers");
    layer.addProperty("class_name", "MyDense");
    layer.addProperty("registered_name", "my_package>MyDense");
    assertEquals(
        "x.keras: layer 'output' of class MyDense (registered as 'my_package>MyDense')"
            + " is a custom object, not supported; supported layers: [InputLayer, Dense, PReLU,"
            + " Activation, LeakyReLU, ELU, ReLU, Softmax]",
        read(replaced("xor_mlp.keras", "config.json", json(c)), "x.keras"));
  }

  @Test
  void dropoutIsNotSupported() throws Exception {
    JsonObject c = config("xor_mlp.keras");
    var layers = c.getAsJsonObject("config").getAsJsonArray("layers");
    JsonObject dropout =
        JsonParser.parseString(
                "{\"module\": \"keras.layers\", \"class_name\": \"Dropout\", \"config\": {\"name\":"
                    + " \"dropout\", \"rate\": 0.5}, \"registered_name\": null}")
            .getAsJsonObject();
    layers.add(dropout);
    assertTrue(
        read(replaced("xor_mlp.keras", "config.json", json(c)), "x.keras")
            .startsWith("x.keras: layer 'dropout' of class Dropout is not supported"));
  }

  /** The xor_mlp fixture's config with an h5 built by hand. */
  private byte[] xorWithWeights(Consumer<WritableGroup> layers) throws Exception {
    return replaced(
        "xor_mlp.keras", "model.weights.h5", h5(tmp, f -> layers.accept(f.putGroup("layers"))));
  }

  private static void dense(WritableGroup layers, String path, Object kernel, Object bias) {
    WritableGroup vars = layers.putGroup(path).putGroup("vars");
    vars.putDataset("0", kernel);
    if (bias != null) {
      vars.putDataset("1", bias);
    }
  }

  @Test
  void weightShapeDoesNotMatchTheConfig() throws Exception {
    byte[] zip =
        xorWithWeights(
            l -> {
              dense(l, "dense", new float[3][2], new float[2]);
              dense(l, "dense_1", new float[2][1], new float[1]);
            });
    assertEquals(
        "x.keras: layer 'hidden' (Dense): weight kernel (layers/dense/vars/0) has"
            + " shape [3, 2], expected [2, 2] for Dense(2) on 2 inputs",
        read(zip, "x.keras"));
  }

  @Test
  void nanOrInfWeights() throws Exception {
    byte[] zip =
        xorWithWeights(
            l -> {
              dense(l, "dense", new float[2][2], new float[2]);
              dense(l, "dense_1", new float[2][1], new float[] {Float.NaN});
            });
    assertEquals(
        "x.keras: layer 'output' (Dense): weight bias (layers/dense_1/vars/1) holds"
            + " NaN at index 0 (row-major)",
        read(zip, "x.keras"));
    byte[] inf =
        xorWithWeights(
            l -> {
              dense(l, "dense", new float[][] {{0, 0}, {0, Float.NEGATIVE_INFINITY}}, new float[2]);
              dense(l, "dense_1", new float[2][1], new float[1]);
            });
    assertTrue(
        read(inf, "x.keras")
            .contains("weight kernel (layers/dense/vars/0) holds" + " -Infinity at index 3"));
  }

  @Test
  void missingWeightDataset() throws Exception {
    byte[] zip =
        xorWithWeights(
            l -> {
              dense(l, "dense", new float[2][2], new float[2]);
              dense(l, "dense_1", new float[2][1], null);
            });
    assertEquals(
        "x.keras: layer 'output' (Dense): missing weight dataset layers/dense_1/vars/1"
            + " (bias [1])",
        read(zip, "x.keras"));
    byte[] noGroup = xorWithWeights(l -> dense(l, "dense", new float[2][2], new float[2]));
    assertEquals(
        "x.keras: layer 'output' (Dense): no weights in model.weights.h5 (expected"
            + " layers/dense_1/vars with [kernel [2, 1], bias [1]])",
        read(noGroup, "x.keras"));
    assertEquals(
        "x.keras: no model.weights.h5 in the zip (weights stored in another format,"
            + " such as model.weights.npz or sharded files, are not supported)",
        read(replaced("xor_mlp.keras", "model.weights.h5", null), "x.keras"));
  }

  @Test
  void notHdf5Weights() throws Exception {
    byte[] zip =
        replaced("xor_mlp.keras", "model.weights.h5", "garbage".getBytes(StandardCharsets.UTF_8));
    assertTrue(read(zip, "x.keras").startsWith("x.keras: model.weights.h5 could not be read"));
  }

  @Test
  void brokenConfigJson() throws Exception {
    byte[] zip =
        replaced(
            "xor_mlp.keras", "config.json", "{\"class_name\": ".getBytes(StandardCharsets.UTF_8));
    assertTrue(read(zip, "x.keras").startsWith("x.keras: config.json is not valid JSON"));
  }

  @Test
  void unknownLossAndOptimizerStillRead() throws Exception {
    JsonObject c = config("xor_mlp.keras");
    JsonObject cc = c.getAsJsonObject("compile_config");
    cc.addProperty("loss", "my_fancy_loss");
    cc.add(
        "optimizer",
        JsonParser.parseString(
            "{\"module\": \"keras.optimizers\", \"class_name\": \"SGD\", \"config\": {\"name\":"
                + " \"SGD\", \"learning_rate\": 0.1, \"momentum\": 0.0, \"nesterov\": false},"
                + " \"registered_name\": null}"));
    KerasModelFile m =
        KerasTestFiles.read(replaced("xor_mlp.keras", "config.json", json(c)), "x.keras");
    assertEquals("my_fancy_loss", m.compile().loss());
    assertEquals("SGD", m.compile().optimizer());
    assertEquals(0.1, m.compile().optimizerNumber("learning_rate", 0));
    assertEquals(false, m.compile().optimizerConfig().get("nesterov"));
    assertNull(m.adam()); // the optimizer/vars of the file belong to no Adam here
    assertEquals(2, m.layers().size());
  }

  @Test
  void amsgradAdamKeepsConfigButNoState() throws Exception {
    JsonObject c = config("xor_mlp.keras");
    c.getAsJsonObject("compile_config")
        .getAsJsonObject("optimizer")
        .getAsJsonObject("config")
        .addProperty("amsgrad", true);
    KerasModelFile m =
        KerasTestFiles.read(replaced("xor_mlp.keras", "config.json", json(c)), "x.keras");
    assertEquals(true, m.compile().optimizerConfig().get("amsgrad"));
    assertNull(m.adam());
  }

  @Test
  void optimizerVariableCountMismatch() throws Exception {
    byte[] zip =
        replaced(
            "xor_mlp.keras",
            "model.weights.h5",
            h5(
                tmp,
                f -> {
                  WritableGroup l = f.putGroup("layers");
                  dense(l, "dense", new float[2][2], new float[2]);
                  dense(l, "dense_1", new float[2][1], new float[1]);
                  WritableGroup o = f.putGroup("optimizer").putGroup("vars");
                  o.putDataset("0", 3L);
                  o.putDataset("1", 0.01f);
                  o.putDataset("2", new float[2][2]);
                }));
    assertEquals(
        "x.keras: optimizer/vars holds 3 datasets; Adam over 4 trainable weights has"
            + " 10 (iterations, learning_rate, then m and v per weight)",
        read(zip, "x.keras"));
  }

  @Test
  void compiledButNeverTrainedHasNoAdamState() throws Exception {
    // what Keras 3.15 saves after compile() without fit(): iterations and learning_rate only
    byte[] zip =
        replaced(
            "xor_mlp.keras",
            "model.weights.h5",
            h5(
                tmp,
                f -> {
                  WritableGroup l = f.putGroup("layers");
                  dense(l, "dense", new float[2][2], new float[2]);
                  dense(l, "dense_1", new float[2][1], new float[1]);
                  WritableGroup o = f.putGroup("optimizer").putGroup("vars");
                  o.putDataset("0", 0L);
                  o.putDataset("1", 0.01f);
                }));
    KerasModelFile m = KerasTestFiles.read(zip, "x.keras");
    assertEquals("Adam", m.compile().optimizer());
    assertNull(m.adam());
  }

  @Test
  void softmaxOverAnotherAxisAndFrozenLayers() throws Exception {
    JsonObject c = config("activation_layers.keras");
    var layers = c.getAsJsonObject("config").getAsJsonArray("layers");
    JsonObject softmax = layers.get(layers.size() - 1).getAsJsonObject().getAsJsonObject("config");
    softmax.addProperty("axis", 1);
    assertTrue(
        read(replaced("activation_layers.keras", "config.json", json(c)), "a.keras")
            .endsWith(
                "(Softmax): Softmax over axis 1 is not supported (only axis -1, the features)"));
    JsonObject f = config("xor_mlp.keras");
    f.getAsJsonObject("config")
        .getAsJsonArray("layers")
        .get(1)
        .getAsJsonObject()
        .getAsJsonObject("config")
        .addProperty("trainable", false);
    assertEquals(
        "x.keras: layer 'hidden' of class Dense is frozen (trainable: false); only"
            + " trainable layers are supported",
        read(replaced("xor_mlp.keras", "config.json", json(f)), "x.keras"));
  }

  // ------------------------------------------------------------------------------- writing

  private static String writeFails(KerasModelFile m) {
    IllegalArgumentException x =
        assertThrows(
            IllegalArgumentException.class, () -> KerasFiles.write(m, new ByteArrayOutputStream()));
    return x.getMessage();
  }

  private static KerasModelFile with(KerasModelFile m, List<KerasLayer> layers) {
    return new KerasModelFile(
        m.name(), m.inputDim(), m.inputDtype(), layers, m.compile(), null, m.kerasVersion());
  }

  @Test
  void denseActivationWithParametersIsRefused() {
    KerasModelFile m = JavaModels.xorMlp();
    KerasLayer h = m.layers().get(0);
    KerasLayer leaky =
        new KerasLayer(
            "Dense",
            "hidden",
            "float32",
            2,
            true,
            "leaky_relu",
            Map.of("negative_slope", 0.1),
            h.weights());
    assertEquals(
        "layer 'hidden' (Dense): Keras stores a Dense activation by name only, so"
            + " leaky_relu's parameters {negative_slope=0.1} would be lost; write"
            + " Dense(activation='linear') followed by an activation layer",
        writeFails(with(m, List.of(leaky, m.layers().get(1)))));
  }

  @Test
  void parameterisedActivationWithoutKerasLayerIsRefused() {
    KerasModelFile m = JavaModels.xorMlp();
    KerasLayer selu =
        KerasLayer.activation("act", "float32", "binary_step", Map.of("threshold", 0.5));
    String msg = writeFails(with(m, List.of(m.layers().get(0), selu, m.layers().get(1))));
    assertTrue(
        msg.startsWith(
            "layer 'act': Keras has no layer that stores binary_step's"
                + " parameters {threshold=0.5}"),
        msg);
    KerasLayer elu = KerasLayer.activation("act", "float32", "elu", Map.of("slope", 0.5));
    assertEquals(
        "layer 'act': Keras's ELU layer takes [alpha], not 'slope'",
        writeFails(with(m, List.of(m.layers().get(0), elu, m.layers().get(1)))));
  }

  @Test
  void inconsistentModelsAreRefused() {
    KerasModelFile m = JavaModels.xorMlp();
    KerasLayer out = m.layers().get(1);
    KerasLayer wide =
        KerasLayer.dense(
            "output",
            "float32",
            "sigmoid",
            new KerasWeight("kernel", new long[] {3, 1}, new double[3]),
            out.weight("bias"));
    assertEquals(
        "layer 'output' (Dense): weight 0 is kernel [3, 1], expected kernel [2, 1]",
        writeFails(with(m, List.of(m.layers().get(0), wide))));
    KerasLayer nan =
        KerasLayer.dense(
            "output",
            "float32",
            "sigmoid",
            out.weight("kernel"),
            new KerasWeight("bias", new long[] {1}, new double[] {Double.NaN}));
    assertEquals(
        "layer 'output' (Dense): weight bias holds NaN at index 0",
        writeFails(with(m, List.of(m.layers().get(0), nan))));
    assertEquals(
        "layer 'hidden' (Dense): layer names must be unique in a model",
        writeFails(with(m, List.of(m.layers().get(0), m.layers().get(0)))));
    KerasModelFile noCompile =
        new KerasModelFile(m.name(), 2, "float32", m.layers(), null, m.adam(), null);
    assertTrue(writeFails(noCompile).contains("Adam state needs a compile config"));
    KerasAdamState short1 =
        new KerasAdamState(
            1, m.adam().learningRate(), m.adam().m().subList(0, 3), m.adam().v().subList(0, 3));
    assertEquals(
        "model 'java-xor-mlp': Adam state has m and v for 3 weights, the model has 4"
            + " trainable weights",
        writeFails(m.withAdam(short1)));
    KerasModelFile otherLr =
        new KerasModelFile(
            m.name(), 2, "float32", m.layers(), KerasCompile.adam("mse", 0.02), m.adam(), null);
    assertTrue(writeFails(otherLr).contains("differs from the compile config's learning_rate"));
  }
}
