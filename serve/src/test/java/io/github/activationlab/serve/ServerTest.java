package io.github.activationlab.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.activationlab.nn.Adam;
import io.github.activationlab.nn.Concatenate;
import io.github.activationlab.nn.Dense;
import io.github.activationlab.nn.Functional;
import io.github.activationlab.nn.Loss;
import io.github.activationlab.nn.Sequential;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;

/** The server over HTTP on loopback: models, limits, metrics, the access log, versions, config. */
class ServerTest {
  @TempDir Path tmp;

  static ModelServer.Options options(PrintStream access, long maxBody) {
    return new ModelServer.Options(
        "127.0.0.1", 0, 8, -1, 0, maxBody, access, false, new String[] {"serve"}, 10_000);
  }

  static ModelConfigFile.ModelConfig model(String name, Path base) {
    return new ModelConfigFile.ModelConfig(name, base, new VersionPolicy.Latest(1), Map.of());
  }

  @Test
  void predictsOverHttpWithLimitsMetricsAndAccessLog() throws Exception {
    HalfPlusTwo.write(tmp.resolve("hp2/1"));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream access = new PrintStream(log, true);
    try (ModelServer s =
            ModelServer.start(
                options(access, 1000), List.of(model("hp2", tmp.resolve("hp2"))), System.err);
        Http h = new Http(s.port())) {
      var r = h.call("POST", "/v1/models/hp2:predict", "{\"instances\": [1.0, 2.0, 5.0]}");
      assertEquals(200, r.status());
      assertEquals(
          JsonAssert.parse("{\"predictions\": [2.5, 3.0, 4.5]}"), JsonAssert.parse(r.body()));
      // the same keep-alive connection: 413 beyond the body limit, the body never read
      var big =
          h.call(
              "POST", "/v1/models/hp2:predict", "{\"instances\": [" + "1.0,".repeat(400) + "1]}");
      assertEquals(413, big.status());
      assertTrue(big.body().contains("exceeds the limit of 1000 bytes"), big.body());
    }
  }

  @Test
  void notFoundMetricsAndAccessLog() throws Exception {
    HalfPlusTwo.write(tmp.resolve("hp2/1"));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (ModelServer s =
            ModelServer.start(
                options(new PrintStream(log, true), 1 << 20),
                List.of(model("hp2", tmp.resolve("hp2"))),
                System.err);
        Http h = new Http(s.port())) {
      assertEquals(
          200, h.call("POST", "/v1/models/hp2:predict", "{\"instances\": [1.0]}").status());
      assertEquals(
          404, h.call("POST", "/v1/models/nope:predict", "{\"instances\": [1.0]}").status());
      assertEquals(400, h.call("POST", "/v1/models/hp2:predict", "{").status());
      assertEquals(404, h.call("GET", "/v2/anything", "").status());
      var m = h.call("GET", HttpFront.METRICS_PATH, "");
      assertEquals(200, m.status());
      assertTrue(
          m.body()
              .contains(
                  ":tensorflow:serving:request_count_total{API=\"predict\",model_name=\"hp2\",status=\"OK\"}"
                      + " 1"),
          m.body());
      assertTrue(m.body().contains("status=\"NOT_FOUND\""), m.body());
      assertTrue(m.body().contains("status=\"INVALID_ARGUMENT\""), m.body());
      assertTrue(
          m.body().contains(":tensorflow:serving:request_latency_bucket{API=\"predict\""),
          m.body());
      assertTrue(
          m.body()
              .contains(
                  ":tensorflow:serving:load_attempt_count_total{model_name=\"hp2\",status=\"OK\"}"
                      + " 1"),
          m.body());
      assertTrue(m.body().contains("jvm_memory_used_bytes"), m.body());
    }
    String lines = log.toString();
    assertTrue(lines.contains("\"POST /v1/models/hp2:predict HTTP/1.1\" 200"), lines);
    assertTrue(lines.contains("\"POST /v1/models/nope:predict HTTP/1.1\" 404"), lines);
  }

  @Test
  void servesAFunctionalKerasFileWithItsInputsAndOutputsSideBySide() throws Exception {
    Path file = tmp.resolve("two.keras");
    double[][] x = {{0, 0, 1}, {1, 0, 0.5}, {0, 1, -1}, {1, 1, 2}};
    double[][] want;
    Functional.Builder b = Functional.builder();
    var a = b.input(2);
    var c = b.input(1);
    var h = b.apply(Dense.of(3, "tanh"), b.apply(new Concatenate(), a, c));
    try (Functional m =
        b.build(b.apply(Dense.of(1), h), b.apply(Dense.of(2, "sigmoid"), h))
            .compile(Loss.MSE, Adam.learningRate(0.01), 42)) {
      want = m.predict(x);
      m.save(file);
    }
    try (ModelServer s =
            ModelServer.start(options(null, 1 << 20), List.of(model("two", file)), System.err);
        Http h2 = new Http(s.port())) {
      var r =
          h2.call(
              "POST",
              "/v1/models/two:predict",
              "{\"instances\": [[0,0,1],[1,0,0.5],[0,1,-1],[1,1,2]]}");
      assertEquals(200, r.status(), r.body());
      List<?> p = (List<?>) ((Map<?, ?>) JsonAssert.parse(r.body())).get("predictions");
      for (int i = 0; i < 4; i++) {
        List<?> row = (List<?>) p.get(i);
        assertEquals(3, row.size(), "one output of 1 and one of 2, side by side");
        for (int j = 0; j < 3; j++) {
          assertEquals((float) want[i][j], ((Double) row.get(j)).floatValue());
        }
      }
      var bad = h2.call("POST", "/v1/models/two:predict", "{\"instances\": [[0,0]]}");
      assertEquals(400, bad.status());
      assertTrue(bad.body().contains("must have shape [batch, 3]"), bad.body());
    }
  }

  @Test
  void servesKerasFilesAsAFileOrInAVersionDirectory() throws Exception {
    Path file = tmp.resolve("xor.keras");
    double[][] x = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
    double[][] want;
    try (Sequential m =
        Sequential.of(2, Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid"))
            .compile(Loss.MSE, Adam.learningRate(0.01), 42)) {
      want = m.predict(x);
      m.save(file);
    }
    Files.createDirectories(tmp.resolve("k/3"));
    Files.copy(file, tmp.resolve("k/3/model.keras"));
    try (ModelServer s =
            ModelServer.start(
                options(null, 1 << 20),
                List.of(model("xor", file), model("k", tmp.resolve("k"))),
                System.err);
        Http h = new Http(s.port())) {
      for (String path : List.of("/v1/models/xor:predict", "/v1/models/k/versions/3:predict")) {
        var r = h.call("POST", path, "{\"instances\": [[0,0],[1,0],[0,1],[1,1]]}");
        assertEquals(200, r.status(), r.body());
        List<?> p = (List<?>) ((Map<?, ?>) JsonAssert.parse(r.body())).get("predictions");
        for (int i = 0; i < 4; i++) {
          assertEquals((float) want[i][0], ((Double) ((List<?>) p.get(i)).get(0)).floatValue());
        }
      }
      var bad = h.call("POST", "/v1/models/xor:predict", "{\"instances\": [[0,0,1]]}");
      assertEquals(400, bad.status());
      assertTrue(bad.body().contains("must have shape [batch, 2]"), bad.body());
      var meta = h.call("GET", "/v1/models/xor/metadata", "");
      assertTrue(meta.body().contains("\"output_0\""), meta.body());
    }
  }

  @Test
  void halfWrittenAndBrokenVersionsAreNotServed() throws Exception {
    HalfPlusTwo.write(tmp.resolve("m/1"));
    try (ModelServer s =
            ModelServer.start(
                options(null, 1 << 20), List.of(model("m", tmp.resolve("m"))), System.err);
        Http h = new Http(s.port())) {
      // files of the served version touched: it keeps serving (a version is never reloaded)
      Path v1 = Files.list(tmp.resolve("m/1/variables")).findFirst().orElseThrow();
      Files.setLastModifiedTime(v1, java.nio.file.attribute.FileTime.fromMillis(12345));
      s.pollNow();
      assertEquals(200, h.call("POST", "/v1/models/m:predict", "{\"instances\": [1.0]}").status());
      // a version being written: its files change between scans, so it is not loaded yet
      HalfPlusTwo.write(tmp.resolve("m/2"), 3f, 4f);
      s.pollNow();
      Path var = Files.list(tmp.resolve("m/2/variables")).findFirst().orElseThrow();
      Files.setLastModifiedTime(
          var, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
      s.pollNow();
      assertEquals(
          404,
          h.call("POST", "/v1/models/m/versions/2:predict", "{\"instances\": [1.0]}").status());
      s.pollNow(); // unchanged since the last scan: complete, loaded, and the latest
      assertEquals(
          JsonAssert.parse("{\"predictions\": [3.5]}"),
          JsonAssert.parse(
              h.call("POST", "/v1/models/m:predict", "{\"instances\": [1.0]}").body()));
      // a broken version 3: logged and skipped, version 2 keeps serving
      Files.createDirectories(tmp.resolve("m/3"));
      Files.writeString(tmp.resolve("m/3/saved_model.pb"), "not a SavedModel");
      s.pollNow();
      s.pollNow();
      assertEquals(
          JsonAssert.parse("{\"predictions\": [3.5]}"),
          JsonAssert.parse(
              h.call("POST", "/v1/models/m:predict", "{\"instances\": [1.0]}").body()));
      var st = h.call("GET", "/v1/models/m", "");
      assertTrue(st.body().contains("\"version\": \"3\""), st.body());
      assertTrue(st.body().contains("cannot load SavedModel"), st.body());
      assertTrue(
          st.body().contains("\"version\": \"1\",\n            \"state\": \"END\""), st.body());
    }
  }

  @Test
  void refusesAModelWithOneLine() throws Exception {
    Files.createDirectories(tmp.resolve("bad/1"));
    Files.writeString(tmp.resolve("bad/1/saved_model.pb"), "junk");
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ModelServer.start(
                    options(null, 1), List.of(model("bad", tmp.resolve("bad"))), System.err));
    assertTrue(e.getMessage().startsWith("model bad: cannot load SavedModel"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ModelServer.start(
                options(null, 1), List.of(model("none", tmp.resolve("none"))), System.err));
  }

  @Test
  void aCallOverTheTimeoutIs504AndCorsPreflightsAreAnswered() throws Exception {
    Path dir = tmp.resolve("slow/1");
    io.github.activationlab.tf.NativeRuntime.load();
    try (org.tensorflow.Graph g = new org.tensorflow.Graph();
        org.tensorflow.Session session = new org.tensorflow.Session(g)) {
      var tf = org.tensorflow.op.Ops.create(g);
      var x =
          tf.withName("x")
              .placeholder(
                  org.tensorflow.types.TFloat32.class,
                  org.tensorflow.op.core.Placeholder.shape(
                      org.tensorflow.ndarray.Shape.of(-1, -1)));
      org.tensorflow.Operand<org.tensorflow.types.TFloat32> y = x;
      for (int i = 0; i < 60; i++) y = tf.math.tanh(tf.linalg.matMul(y, x)); // seconds at 400x400
      org.tensorflow.SavedModelBundle.exporter(dir.toString())
          .withSession(session)
          .withSignature(
              org.tensorflow.Signature.builder("serving_default")
                  .input("x", x)
                  .output("y", y)
                  .build())
          .export();
    }
    StringBuilder body = new StringBuilder("{\"inputs\": [");
    for (int i = 0; i < 400; i++) {
      body.append(i > 0 ? ", [" : "[").append("0.001, ".repeat(399)).append("0.001]");
    }
    body.append("]}");
    var o =
        new ModelServer.Options(
            "127.0.0.1", 0, 4, 5, 0, 1 << 24, null, true, new String[] {"serve"}, 10_000);
    try (ModelServer s =
            ModelServer.start(o, List.of(model("slow", tmp.resolve("slow"))), System.err);
        Http h = new Http(s.port())) {
      var r = h.call("POST", "/v1/models/slow:predict", body.toString());
      assertEquals(504, r.status(), r.body());
      assertTrue(r.body().contains("\"error\""), r.body());
      assertEquals(400, h.call("OPTIONS", "/v1/models/slow:predict", "").status());
    }
  }

  @Test
  void refusesJaxExportsAtLoad() {
    MetaGraphDef jax =
        MetaGraphDef.newBuilder()
            .setGraphDef(
                GraphDef.newBuilder()
                    .setLibrary(
                        FunctionDefLibrary.newBuilder()
                            .addFunction(
                                FunctionDef.newBuilder()
                                    .addNodeDef(
                                        NodeDef.newBuilder()
                                            .setName("call")
                                            .setOp("XlaCallModule")))))
            .build();
    String why = SavedModelServable.unsupported(jax);
    assertTrue(why.contains("XlaCallModule") && why.contains(".keras"), why);
    assertNull(SavedModelServable.unsupported(MetaGraphDef.getDefaultInstance()));
  }

  @Test
  void readsModelConfigFiles() throws Exception {
    Path f = tmp.resolve("models.config");
    Files.writeString(
        f,
        "model_config_list {\n"
            + "  config { name: 'a' base_path: '/m/a' model_platform: 'tensorflow'\n"
            + "    model_version_policy { specific { versions: 1 versions: 2 } }\n"
            + "    version_labels { key: 'stable' value: 1 } version_labels { key: 'canary' value:"
            + " 2 } }\n"
            + "  config { name: 'b' base_path: '/m/b' model_version_policy { all {} } }\n"
            + "  config { name: 'c' base_path: '/m/c' model_version_policy { latest { num_versions:"
            + " 2 } }\n"
            + "    logging_config { } }\n"
            + "}\n");
    var c = ModelConfigFile.read(f);
    assertEquals(3, c.size());
    assertEquals(new VersionPolicy.Specific(List.of(1L, 2L)), c.get(0).policy());
    assertEquals(Map.of("stable", 1L, "canary", 2L), c.get(0).labels());
    assertEquals(new VersionPolicy.All(), c.get(1).policy());
    assertEquals(new VersionPolicy.Latest(2), c.get(2).policy());
    Files.writeString(f, "model_config_list { config { name: 'a' base_path: }");
    var e = assertThrows(IllegalArgumentException.class, () -> ModelConfigFile.read(f));
    assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
  }
}
