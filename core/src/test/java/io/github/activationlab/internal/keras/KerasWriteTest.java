package io.github.activationlab.internal.keras;

import static io.github.activationlab.internal.keras.KerasTestFiles.READABLE;
import static io.github.activationlab.internal.keras.KerasTestFiles.entries;
import static io.github.activationlab.internal.keras.KerasTestFiles.fixture;
import static io.github.activationlab.internal.keras.KerasTestFiles.tree;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Writing .keras files: exact round trips, Keras's layout, no empty HDF5 groups. */
class KerasWriteTest {
  static final Instant T = Instant.parse("2026-01-02T03:04:05Z");
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "xor_mlp",
        "bce",
        "prelu_tanh",
        "float64_input",
        "float64",
        "activation_layers",
        "uncompiled"
      })
  void roundTripIsExact(String name) throws Exception {
    KerasModelFile m = KerasFiles.read(fixture(name + ".keras"));
    byte[] bytes = KerasFiles.toBytes(m, T);
    assertEquals(m, KerasTestFiles.read(bytes, name));
    assertArrayEquals(bytes, KerasFiles.toBytes(m, T), "the writer is deterministic");
  }

  @ParameterizedTest
  @ValueSource(strings = {"xor_mlp", "prelu_tanh", "float64", "activation_layers", "uncompiled"})
  void writesNoEmptyGroup(String name) throws Exception {
    byte[] h5 =
        entries(KerasFiles.toBytes(KerasFiles.read(fixture(name + ".keras")), T))
            .get("model.weights.h5");
    try (HdfFile f = HdfFile.fromBytes(h5)) {
      assertNoEmptyGroup(f);
    }
  }

  private static void assertNoEmptyGroup(Group g) {
    assertFalse(g.getChildren().isEmpty(), "empty group " + g.getPath());
    for (Node n : g.getChildren().values()) {
      if (n instanceof Group c) {
        assertNoEmptyGroup(c);
      }
    }
  }

  @Test
  void h5LayoutIsKerasOne() throws Exception {
    KerasModelFile m = KerasFiles.read(fixture("activation_layers.keras"));
    byte[] h5 = entries(KerasFiles.toBytes(m, T)).get("model.weights.h5");
    try (HdfFile f = HdfFile.fromBytes(h5)) {
      List<String> groups = tree(f).stream().filter(p -> p.endsWith("/")).toList();
      // by class, numbered per class; activation layers (no weights) get no group
      assertEquals(
          List.of(
              "layers/",
              "layers/dense/",
              "layers/dense/vars/",
              "layers/dense_1/",
              "layers/dense_1/vars/",
              "layers/dense_2/",
              "layers/dense_2/vars/",
              "layers/dense_3/",
              "layers/dense_3/vars/",
              "layers/dense_4/",
              "layers/dense_4/vars/",
              "optimizer/",
              "optimizer/vars/"),
          groups.stream().sorted().toList());
      assertEquals(
          m.layers().get(0).name(),
          f.getByPath("layers/dense/vars").getAttribute("name").getData());
      Dataset it = f.getDatasetByPath("optimizer/vars/0");
      assertEquals(0, it.getDimensions().length);
      assertEquals(2L, it.getData());
      assertEquals(Float.class, f.getDatasetByPath("optimizer/vars/1").getData().getClass());
      assertEquals(22, ((Group) f.getByPath("optimizer/vars")).getChildren().size());
      // m, v interleaved per weight: vars/2 and vars/3 have the first kernel's shape [2, 3]
      assertArrayEquals(new int[] {2, 3}, f.getDatasetByPath("optimizer/vars/3").getDimensions());
      assertArrayEquals(new int[] {3}, f.getDatasetByPath("optimizer/vars/4").getDimensions());
    }
    KerasModelFile f64 = KerasFiles.read(fixture("float64.keras"));
    byte[] h564 = entries(KerasFiles.toBytes(f64, T)).get("model.weights.h5");
    try (HdfFile f = HdfFile.fromBytes(h564)) {
      assertEquals(
          double[][].class, f.getDatasetByPath("layers/dense/vars/0").getData().getClass());
      assertEquals(double[].class, f.getDatasetByPath("optimizer/vars/5").getData().getClass());
      assertEquals(Float.class, f.getDatasetByPath("optimizer/vars/1").getData().getClass());
    }
  }

  @Test
  void zipAndJsonLayout() throws Exception {
    KerasModelFile m = KerasFiles.read(fixture("activation_layers.keras"));
    List<String> names = new ArrayList<>();
    try (ZipInputStream z =
        new ZipInputStream(new ByteArrayInputStream(KerasFiles.toBytes(m, T)))) {
      for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
        names.add(e.getName());
        assertEquals(ZipEntry.STORED, e.getMethod());
      }
    }
    assertEquals(List.of("metadata.json", "config.json", "model.weights.h5"), names);
    Map<String, byte[]> e = entries(KerasFiles.toBytes(m, T));
    assertEquals(
        "{\"keras_version\":\"3.15.1\",\"date_saved\":\"2026-01-02@03:04:05\"}",
        new String(e.get("metadata.json"), StandardCharsets.UTF_8));
    JsonObject c =
        JsonParser.parseString(new String(e.get("config.json"), StandardCharsets.UTF_8))
            .getAsJsonObject();
    assertEquals("Sequential", c.get("class_name").getAsString());
    var layers = c.getAsJsonObject("config").getAsJsonArray("layers");
    List<String> classes = new ArrayList<>();
    layers.forEach(l -> classes.add(l.getAsJsonObject().get("class_name").getAsString()));
    assertEquals(
        List.of(
            "InputLayer",
            "Dense",
            "LeakyReLU",
            "Dense",
            "ELU",
            "Dense",
            "Activation",
            "Dense",
            "ReLU",
            "Dense",
            "Softmax"),
        classes);
    JsonObject relu = layers.get(8).getAsJsonObject().getAsJsonObject("config");
    assertEquals(6.0, relu.get("max_value").getAsDouble());
    assertEquals(0.0, relu.get("negative_slope").getAsDouble());
    JsonObject dense = layers.get(1).getAsJsonObject();
    assertEquals("{\"input_shape\":[null,2]}", dense.get("build_config").toString());
    assertEquals(
        "{\"module\":\"keras\",\"class_name\":\"DTypePolicy\",\"config\":"
            + "{\"name\":\"float32\"},\"registered_name\":null}",
        dense.getAsJsonObject("config").get("dtype").toString());
    JsonObject opt = c.getAsJsonObject("compile_config").getAsJsonObject("optimizer");
    assertEquals("Adam", opt.get("class_name").getAsString());
    assertEquals("keras.optimizers", opt.get("module").getAsString());
  }

  @Test
  void uncompiledWritesEmptyCompileConfigAndNoOptimizer() throws Exception {
    KerasModelFile m = KerasFiles.read(fixture("uncompiled.keras"));
    Map<String, byte[]> e = entries(KerasFiles.toBytes(m, T));
    JsonObject c =
        JsonParser.parseString(new String(e.get("config.json"), StandardCharsets.UTF_8))
            .getAsJsonObject();
    assertEquals("{}", c.get("compile_config").toString());
    try (HdfFile f = HdfFile.fromBytes(e.get("model.weights.h5"))) {
      assertFalse(f.getChildren().containsKey("optimizer"));
    }
  }

  @Test
  void adamLearningRateComesFromTheStateWhenTheConfigHasNone() throws Exception {
    KerasModelFile m = JavaModels.xorMlp();
    KerasModelFile noLr =
        new KerasModelFile(
            m.name(),
            m.inputDim(),
            m.inputDtype(),
            m.layers(),
            new KerasCompile("mse", "Adam", Map.of(), List.of()),
            m.adam(),
            m.kerasVersion());
    KerasModelFile back = KerasTestFiles.read(KerasFiles.toBytes(noLr, T), "no-lr");
    assertEquals(m.adam().learningRate(), back.compile().optimizerNumber("learning_rate", 0));
    assertEquals(m.adam(), back.adam());
  }

  @Test
  void writeLeavesTheStreamOpenAndWriteTemporaryWritesBesideTheTarget() throws Exception {
    KerasModelFile m = JavaModels.xorMlp();
    var out =
        new ByteArrayOutputStream() {
          boolean closed;

          @Override
          public void close() {
            closed = true;
          }
        };
    KerasFiles.write(m, out);
    assertFalse(out.closed);
    assertEquals(completed(m), KerasTestFiles.read(out.toByteArray(), "stream"));
    Path target = tmp.resolve("xor-mlp.keras");
    Path t = KerasFiles.writeTemporary(m, target);
    assertEquals(tmp, t.getParent());
    assertTrue(t.getFileName().toString().startsWith(".xor-mlp.keras."));
    assertFalse(Files.exists(target));
    assertEquals(completed(m), KerasFiles.read(t));
  }

  @Test
  void javaBuiltModelsRoundTrip() throws Exception {
    for (KerasModelFile m : JavaModels.all()) {
      assertEquals(completed(m), KerasTestFiles.read(KerasFiles.toBytes(m, T), m.name()), m.name());
    }
  }

  /** {@code m} with the optimizer config the writer writes (Keras's Adam defaults filled in). */
  static KerasModelFile completed(KerasModelFile m) {
    KerasCompile c = m.compile();
    return new KerasModelFile(
        m.name(),
        m.inputDim(),
        m.inputDtype(),
        m.layers(),
        new KerasCompile(c.loss(), c.optimizer(), ConfigWriter.optimizerConfig(m), c.metrics()),
        m.adam(),
        m.kerasVersion());
  }

  /**
   * Writes target/keras-roundtrip/: every readable fixture read and written again by Java, and
   * models built in Java (known weights and Adam state), each with an expected.json for
   * scripts/check_keras_file.py (which loads them in Keras and takes one more Adam step).
   */
  @Test
  void writesFilesForThePythonCheck() throws Exception {
    Path dir = Path.of("target", "keras-roundtrip");
    Files.createDirectories(dir);
    for (String name : READABLE) {
      KerasModelFile m = KerasFiles.read(fixture(name + ".keras"));
      try (var out = Files.newOutputStream(dir.resolve(name + ".keras"))) {
        KerasFiles.write(m, out);
      }
      Files.copy(
          fixture(name + ".expected.json"),
          dir.resolve(name + ".expected.json"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    for (KerasModelFile m : JavaModels.all()) {
      try (var out = Files.newOutputStream(dir.resolve(m.name() + ".keras"))) {
        KerasFiles.write(m, out);
      }
      Files.writeString(dir.resolve(m.name() + ".expected.json"), JavaModels.expectedJson(m));
    }
    assertTrue(Files.exists(dir.resolve("java-xor-mlp.keras")));
  }
}
