package io.github.activationlab.internal.keras;

import static io.github.activationlab.internal.keras.KerasTestFiles.config;
import static io.github.activationlab.internal.keras.KerasTestFiles.fixture;
import static io.github.activationlab.internal.keras.KerasTestFiles.h5;
import static io.github.activationlab.internal.keras.KerasTestFiles.json;
import static io.github.activationlab.internal.keras.KerasTestFiles.replaced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jhdf.api.WritableGroup;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  void customObject() throws Exception {
    JsonObject c = config("xor_mlp.keras");
    JsonObject layer =
        c.getAsJsonObject("config").getAsJsonArray("layers").get(2).getAsJsonObject();
    layer.addProperty("module", "my_package.layers");
    layer.addProperty("class_name", "MyDense");
    layer.addProperty("registered_name", "my_package>MyDense");
    assertEquals(
        "x.keras: layer 'output' of class MyDense (registered as 'my_package>MyDense')"
            + " is a custom object, not supported",
        read(replaced("xor_mlp.keras", "config.json", json(c)), "x.keras"));
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
  void nanOrInfWeights() throws Exception {
    byte[] zip =
        xorWithWeights(
            l -> {
              dense(l, "dense", new float[2][2], new float[2]);
              dense(l, "dense_1", new float[2][1], new float[] {Float.NaN});
            });
    assertEquals(
        "x.keras: layer 'output' (Dense): layers/dense_1/vars/1 holds NaN at index 0 (row-major)",
        read(zip, "x.keras"));
    byte[] inf =
        xorWithWeights(
            l -> {
              dense(l, "dense", new float[][] {{0, 0}, {0, Float.NEGATIVE_INFINITY}}, new float[2]);
              dense(l, "dense_1", new float[2][1], new float[1]);
            });
    assertTrue(
        read(inf, "x.keras")
            .contains("layer 'hidden' (Dense): layers/dense/vars/0 holds -Infinity at index 3"));
  }

  @Test
  void missingWeightDataset() throws Exception {
    byte[] zip =
        xorWithWeights(
            l -> {
              dense(l, "dense", new float[2][2], new float[2]);
              WritableGroup vars = l.putGroup("dense_1").putGroup("vars");
              vars.putDataset("0", new float[2][1]);
              vars.putDataset("2", new float[1]);
            });
    assertEquals(
        "x.keras: layer 'output' (Dense): layers/dense_1/vars/1 is missing (layers/dense_1/vars"
            + " holds 2 entries, not numbered 0..1)",
        read(zip, "x.keras"));
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
            "{\"module\": \"keras.optimizers\", \"class_name\": \"Lion\", \"config\": {\"name\":"
                + " \"lion\", \"learning_rate\": 0.1}, \"registered_name\": null}"));
    KerasModelFile m =
        KerasTestFiles.read(replaced("xor_mlp.keras", "config.json", json(c)), "x.keras");
    assertEquals("my_fancy_loss", m.compile().loss());
    assertEquals("Lion", m.compile().optimizer());
    assertEquals(0.1, m.compile().optimizerNumber("learning_rate", 0));
    assertEquals(3, m.layers().size());
  }

  @Test
  void compiledButNeverTrainedHasNoOptimizerVariables() throws Exception {
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
    assertEquals(List.of(), m.optimizer().variables());
  }

  // ------------------------------------------------------------------------- Functional graphs

  /** functional_skip's config with its layers edited. */
  private static byte[] functionalEdited(Consumer<JsonArray> edit) throws Exception {
    JsonObject c = config("functional_skip.keras");
    edit.accept(c.getAsJsonObject("config").getAsJsonArray("layers"));
    return replaced("functional_skip.keras", "config.json", json(c));
  }

  private static JsonObject layer(JsonArray layers, String name) {
    for (var l : layers) {
      if (l.getAsJsonObject().get("name").getAsString().equals(name)) return l.getAsJsonObject();
    }
    throw new AssertionError(name);
  }

  /** Points layer {@code name}'s (first) inbound tensor at layer {@code from}. */
  private static void reads(JsonArray layers, String name, String from) {
    var args =
        layer(layers, name)
            .getAsJsonArray("inbound_nodes")
            .get(0)
            .getAsJsonObject()
            .getAsJsonArray("args");
    var t = args.get(0).isJsonArray() ? args.get(0).getAsJsonArray().get(0) : args.get(0);
    t.getAsJsonObject()
        .getAsJsonObject("config")
        .getAsJsonArray("keras_history")
        .set(0, new com.google.gson.JsonPrimitive(from));
  }

  /** The name of the {@code k}-th layer of class {@code cls} in functional_skip. */
  private static String named(String cls, int k) throws Exception {
    int seen = 0;
    for (var l :
        config("functional_skip.keras").getAsJsonObject("config").getAsJsonArray("layers")) {
      JsonObject o = l.getAsJsonObject();
      if (o.get("class_name").getAsString().equals(cls) && seen++ == k)
        return o.get("name").getAsString();
    }
    throw new AssertionError(cls);
  }

  @Test
  void aCycleIsRefused() throws Exception {
    String first = named("Dense", 0);
    String last = named("Dense", 2);
    byte[] zip = functionalEdited(l -> reads(l, first, last));
    assertTrue(
        read(zip, "x.keras").matches("x\\.keras: layer '\\w+' is part of a cycle"),
        read(zip, "x.keras"));
  }

  @Test
  void aMissingInboundLayerIsRefused() throws Exception {
    String bn = named("BatchNormalization", 0);
    byte[] zip = functionalEdited(l -> reads(l, bn, "nowhere"));
    assertEquals(
        "x.keras: layer '" + bn + "' reads layer 'nowhere', which the model does not define",
        read(zip, "x.keras"));
  }

  @Test
  void aSharedLayerIsRefused() {
    String m = fails(() -> KerasFiles.read(fixture("shared.keras")));
    assertTrue(m.endsWith("is called 2 times (shared layers are not supported)"), m);
  }

  @Test
  void aModelOfAnotherClassIsRefused() throws Exception {
    JsonObject c = config("xor_mlp.keras");
    c.addProperty("class_name", "MyModel");
    assertEquals(
        "x.keras: the model's class 'MyModel' is not supported; only Sequential and Functional"
            + " models are",
        read(replaced("xor_mlp.keras", "config.json", json(c)), "x.keras"));
  }

  // ------------------------------------------------------------------------------- writing

  private static String writeFails(KerasModelFile m) {
    IllegalArgumentException x =
        assertThrows(
            IllegalArgumentException.class, () -> KerasFiles.write(m, new ByteArrayOutputStream()));
    return x.getMessage();
  }

  private static KerasModelFile with(
      KerasModelFile m, List<KerasLayer> layers, KerasOptimizerState o) {
    return new KerasModelFile(
        m.className(), m.name(), layers, m.inputs(), m.outputs(), m.compile(), o, m.kerasVersion());
  }

  @Test
  void inconsistentModelsAreRefused() throws Exception {
    KerasModelFile m = KerasFiles.read(fixture("xor_mlp.keras"));
    KerasLayer out = m.layers().get(2);
    KerasLayer nan =
        out.withWeights(
            List.of(
                out.weights().get(0),
                new KerasWeight("1", new long[] {1}, new double[] {Double.NaN})));
    assertEquals(
        "layer 'output' (Dense): weight 1 holds NaN at index 0",
        writeFails(with(m, List.of(m.layers().get(0), m.layers().get(1), nan), m.optimizer())));
    assertEquals(
        "layer 'hidden' (Dense): layer names must be unique in a model",
        writeFails(
            with(
                m,
                List.of(m.layers().get(0), m.layers().get(1), m.layers().get(1)),
                m.optimizer())));
    KerasOptimizerState otherLr = new KerasOptimizerState(5, 0.02, m.optimizer().variables());
    assertTrue(
        writeFails(with(m, m.layers(), otherLr))
            .contains("differs from the compile config's learning_rate"));
    assertTrue(
        writeFails(with(m, m.layers().subList(1, 3), m.optimizer()))
            .contains("a Sequential's first layer must be its InputLayer"));
  }
}
