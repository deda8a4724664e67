package io.github.activationlab.internal.keras;

import static io.github.activationlab.internal.keras.KerasTestFiles.READABLE;
import static io.github.activationlab.internal.keras.KerasTestFiles.entries;
import static io.github.activationlab.internal.keras.KerasTestFiles.expectedJson;
import static io.github.activationlab.internal.keras.KerasTestFiles.fixture;
import static io.github.activationlab.internal.keras.KerasTestFiles.tree;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code .keras} format, read and written (scripts/make_keras_fixtures.py wrote the fixtures
 * with Keras 3.15): every layer's class, name, config and weights, Functional connections and
 * Keras's layer order, the compile config and the optimizer's variables in Keras's order; what the
 * writer writes is what it reads back, laid out as Keras lays it out.
 */
class KerasFilesTest {
  static final Instant T = Instant.parse("2026-12-04T10:00:00Z");

  static List<String> readable() {
    return READABLE;
  }

  static double[] flat(JsonElement e) {
    JsonArray a = e.getAsJsonArray();
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsDouble();
    return out;
  }

  @ParameterizedTest
  @MethodSource("readable")
  void readsWhatKerasSaved(String name) throws Exception {
    KerasModelFile m = KerasFiles.read(fixture(name + ".keras"));
    JsonObject e = expectedJson(name);
    assertEquals(e.get("class_name").getAsString(), m.className());
    assertEquals(e.get("name").getAsString(), m.name());
    assertEquals("3.15.1", m.kerasVersion());
    List<KerasLayer> layers = new ArrayList<>(m.weightedLayers());
    if (!m.sequential()) layers.removeIf(l -> l.className().equals(KerasLayer.INPUT));
    JsonArray el = e.getAsJsonArray("layers");
    if (!m.sequential()) {
      // expected.json lists Keras's model.layers (InputLayers too): the same order, inputs aside
      List<JsonElement> kept = new ArrayList<>();
      el.forEach(
          x -> {
            if (!x.getAsJsonObject().get("class_name").getAsString().equals("InputLayer"))
              kept.add(x);
          });
      el = new JsonArray();
      kept.forEach(el::add);
      assertEquals(names(e.getAsJsonArray("inputs")), m.inputs());
      assertEquals(names(e.getAsJsonArray("outputs")), m.outputs());
    }
    assertEquals(el.size(), layers.size(), "layers");
    for (int i = 0; i < layers.size(); i++) {
      JsonObject want = el.get(i).getAsJsonObject();
      KerasLayer got = layers.get(i);
      assertEquals(want.get("name").getAsString(), got.name());
      assertEquals(want.get("class_name").getAsString(), got.className());
      JsonArray ws = want.getAsJsonArray("weights");
      assertEquals(ws.size(), got.weights().size(), got.name() + " weights");
      for (int k = 0; k < ws.size(); k++) {
        JsonObject w = ws.get(k).getAsJsonObject();
        // exactly: float32 values widened to double
        assertArrayEquals(flat(w.get("values")), got.weights().get(k).values(), 0, got.name());
        assertArrayEquals(
            KerasTestFiles.GSON.fromJson(w.get("shape"), long[].class),
            got.weights().get(k).shape());
      }
    }
    if (e.get("compile").isJsonNull()) {
      assertNull(m.compile());
      return;
    }
    JsonObject c = e.getAsJsonObject("compile");
    assertEquals(c.get("loss").getAsString(), m.compile().loss());
    assertEquals(c.get("optimizer").getAsString(), m.compile().optimizer());
    assertEquals(
        JsonValues.plain(c.get("optimizer_config")), m.compile().optimizerConfig(), "optimizer");
    assertEquals(JsonValues.plain(c.get("loss_config")), m.compile().lossConfig(), "loss config");
    List<String> metrics = new ArrayList<>();
    c.getAsJsonArray("metrics").forEach(x -> metrics.add(x.getAsString()));
    assertEquals(metrics, m.compile().metrics());
    JsonObject o = e.getAsJsonObject("optimizer");
    assertEquals(o.get("iterations").getAsLong(), m.optimizer().iterations());
    assertEquals(o.get("learning_rate").getAsDouble(), m.optimizer().learningRate());
    JsonArray vars = o.getAsJsonArray("variables");
    assertEquals(vars.size(), m.optimizer().variables().size(), "optimizer variables");
    for (int i = 0; i < vars.size(); i++) {
      assertArrayEquals(flat(vars.get(i)), m.optimizer().variables().get(i).values(), 0);
    }
  }

  private static List<String> names(JsonArray a) {
    List<String> out = new ArrayList<>();
    a.forEach(x -> out.add(x.getAsString()));
    return out;
  }

  @ParameterizedTest
  @MethodSource("readable")
  void whatItWritesItReadsBackAndLaysOutAsKeras(String name) throws Exception {
    KerasModelFile m = KerasFiles.read(fixture(name + ".keras"));
    byte[] bytes = KerasFiles.toBytes(m, T);
    KerasModelFile back = KerasTestFiles.read(bytes, name);
    assertEquals(m.className(), back.className());
    assertEquals(m.inputs(), back.inputs());
    assertEquals(m.outputs(), back.outputs());
    assertEquals(m.compile(), back.compile());
    assertEquals(m.optimizer(), back.optimizer());
    assertEquals(m.layers().size(), back.layers().size());
    for (int i = 0; i < m.layers().size(); i++) {
      KerasLayer a = m.layers().get(i);
      KerasLayer b = back.layers().get(i);
      assertEquals(a.name(), b.name());
      assertEquals(a.className(), b.className());
      assertEquals(a.config(), b.config(), a.name());
      assertEquals(a.inbound(), b.inbound(), a.name());
      assertEquals(a.weights(), b.weights(), a.name());
    }
    // the h5 Keras itself wrote and the one written here hold the same datasets, no empty group
    List<String> kerasTree = datasets(entries(fixture(name + ".keras")).get("model.weights.h5"));
    List<String> ours = datasets(entries(bytes).get("model.weights.h5"));
    assertEquals(kerasTree, ours, name);
    try (HdfFile f = HdfFile.fromBytes(entries(bytes).get("model.weights.h5"))) {
      assertNoEmptyGroup(f);
    }
  }

  private static List<String> datasets(byte[] h5) {
    try (HdfFile f = HdfFile.fromBytes(h5)) {
      return tree(f).stream().filter(p -> !p.endsWith("/")).sorted().toList();
    }
  }

  private static void assertNoEmptyGroup(Group g) {
    for (Node n : g.getChildren().values()) {
      if (n instanceof Group child) {
        assertFalse(child.getChildren().isEmpty(), "empty group " + child.getPath());
        assertNoEmptyGroup(child);
      }
    }
  }

  @Test
  void zipAndJsonLayout() throws Exception {
    KerasModelFile m = KerasFiles.read(fixture("two_inputs.keras"));
    Map<String, byte[]> e = entries(KerasFiles.toBytes(m, T));
    assertEquals(
        List.of("metadata.json", "config.json", "model.weights.h5"), List.copyOf(e.keySet()));
    JsonObject meta =
        JsonParser.parseString(new String(e.get("metadata.json"), StandardCharsets.UTF_8))
            .getAsJsonObject();
    assertEquals("2026-12-04@10:00:00", meta.get("date_saved").getAsString());
    JsonObject c =
        JsonParser.parseString(new String(e.get("config.json"), StandardCharsets.UTF_8))
            .getAsJsonObject();
    assertEquals("Functional", c.get("class_name").getAsString());
    assertEquals("keras.src.models.functional", c.get("module").getAsString());
    JsonObject cfg = c.getAsJsonObject("config");
    assertEquals("[[\"a\",0,0],[\"b\",0,0]]", cfg.get("input_layers").toString());
    JsonObject concat = null;
    for (JsonElement l : cfg.getAsJsonArray("layers")) {
      if (l.getAsJsonObject().get("class_name").getAsString().equals("Concatenate"))
        concat = l.getAsJsonObject();
    }
    // a merge layer takes its inputs as one list argument
    JsonArray args =
        concat.getAsJsonArray("inbound_nodes").get(0).getAsJsonObject().getAsJsonArray("args");
    assertEquals(1, args.size());
    assertEquals(2, args.get(0).getAsJsonArray().size());
    assertEquals(
        "__keras_tensor__",
        args.get(0).getAsJsonArray().get(0).getAsJsonObject().get("class_name").getAsString());
  }

  @Test
  void functionalLayersAreInKerasOrderWhateverOrderTheyAreGiven() throws Exception {
    KerasModelFile m = KerasFiles.read(fixture("merges.keras"));
    List<KerasLayer> shuffled = new ArrayList<>(m.layers());
    java.util.Collections.reverse(shuffled);
    KerasModelFile r =
        new KerasModelFile(
            m.className(),
            m.name(),
            shuffled,
            m.inputs(),
            m.outputs(),
            m.compile(),
            m.optimizer(),
            null);
    KerasModelFile back = KerasTestFiles.read(KerasFiles.toBytes(r, T), "r");
    assertEquals(
        m.layers().stream().map(KerasLayer::name).toList(),
        back.layers().stream().map(KerasLayer::name).toList());
    // Keras's order: by depth from the outputs, then by first visit; the second input last
    assertEquals("left", m.layers().get(0).name());
    assertEquals("right", m.layers().get(1).name());
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
      assertTrue(tree(f).stream().noneMatch(p -> p.startsWith("optimizer")));
    }
  }

  @Test
  void writeLeavesTheStreamOpenAndWriteTemporaryWritesBesideTheTarget(@TempDir Path dir)
      throws Exception {
    KerasModelFile m = KerasFiles.read(fixture("xor_mlp.keras"));
    boolean[] closed = {false};
    OutputStream out =
        new ByteArrayOutputStream() {
          @Override
          public void close() {
            closed[0] = true;
          }
        };
    KerasFiles.write(m, out);
    assertFalse(closed[0]);
    Path tmp = KerasFiles.writeTemporary(m, dir.resolve("m.keras"));
    assertEquals(dir, tmp.getParent());
    assertTrue(tmp.getFileName().toString().startsWith(".m.keras."));
    assertEquals(m.layers(), KerasFiles.read(tmp).layers());
    Files.delete(tmp);
  }
}
