package io.github.activationlab.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TensorFlow Serving's {@code http_rest_api_handler_test.cc}, case by case, on this project's own
 * half_plus_two (versions 00000123 and 00000124, the policy serving 123 only, the label {@code
 * Version_Label} on it): the same requests, the same expected bodies (compared as parsed JSON) and
 * status codes, and the same error substrings.
 */
class RestApiTest {
  static final String MODEL = "saved_model_half_plus_two_2_versions";
  @TempDir static Path tmp;
  static ModelVersions versions;
  static RestApi api;

  @BeforeAll
  static void load() throws Exception {
    Path base = tmp.resolve(MODEL);
    HalfPlusTwo.write(base.resolve("00000123"));
    HalfPlusTwo.write(base.resolve("00000124"));
    versions =
        new ModelVersions(
            MODEL,
            base,
            new VersionPolicy.Specific(java.util.List.of(123L)),
            Map.of("Version_Label", 123L),
            p -> ModelServer.load(p, new String[] {"serve"}),
            line -> {},
            (m, ok) -> {});
    versions.poll();
    versions.poll();
    api = new RestApi(Map.of(MODEL, versions), -1);
  }

  @AfterAll
  static void close() {
    versions.close();
  }

  static RestApi.Response call(String method, String path, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return api.handle(method, path, b, b.length);
  }

  static void error(RestApi.Response r, int status, String substring) {
    assertEquals(status, r.status(), r.body());
    String msg =
        (String) ((Map<?, ?>) Json.parse(r.body().getBytes(), r.body().length())).get("error");
    assertTrue(
        msg != null && msg.contains(substring),
        () -> "expected '" + substring + "' in " + r.body());
  }

  static void ok(RestApi.Response r, String expectedJson) {
    assertEquals(200, r.status(), r.body());
    assertEquals(JsonAssert.parse(expectedJson), JsonAssert.parse(r.body()), r.body());
  }

  @Test
  void unsupportedApiCalls() {
    error(call("GET", "/v1/foo", ""), 400, "Malformed request");
    error(call("POST", "/v1/foo", ""), 400, "Malformed request");
    error(call("GET", "/v1/models", ""), 400, "Missing model name");
    error(call("GET", "/v1/models/debug/model_name", ""), 400, "Malformed request");
    error(call("POST", "/v1/models", ""), 400, "Malformed request");
    error(call("GET", "/v1/models/foo:predict", ""), 400, "Malformed request");
    error(call("GET", "/v1/models/foo/version/50:predict", ""), 400, "Malformed request");
    error(call("POST", "/v1/models/foo/version/50:regress", ""), 400, "Malformed request");
    error(call("POST", "/v1/models/foo/versions/HELLO:regress", ""), 400, "Malformed request");
    error(
        call("POST", "/v1/models/foo/versions/18446744073709551615:regress", ""),
        400,
        "Failed to convert version");
    error(call("POST", "/v1/models/foo/metadata", ""), 400, "Malformed request");
    error(call("POST", "/v1/models/foo/label/some_label:regress", ""), 400, "Malformed request");
    error(
        call("POST", "/v1/models/foo/versions/50/labels/some_label:regress", ""),
        400,
        "Malformed request");
    error(call("POST", "/v1/models/foo/versions/some_label:regress", ""), 400, "Malformed request");
  }

  @Test
  void predictModelNameVersionErrors() {
    assertEquals(404, call("POST", "/v1/models/foo:predict", "{ \"instances\": [1] }").status());
    assertEquals(
        404, call("POST", "/v1/models/foo/versions/50:predict", "{ \"instances\": [1] }").status());
    assertEquals(
        404,
        call("POST", "/v1/models/" + MODEL + "/versions/99:predict", "{ \"instances\": [1] }")
            .status());
    // 124 is on disk but not served (the policy asks for 123 only)
    assertEquals(
        404,
        call("POST", "/v1/models/" + MODEL + "/versions/124:predict", "{ \"instances\": [1] }")
            .status());
  }

  @Test
  void predictRequestErrors() {
    String path = "/v1/models/" + MODEL + ":predict";
    error(call("POST", path, ""), 400, "JSON Parse error: The document is empty");
    error(call("POST", path, "instances = [1, 2]"), 400, "JSON Parse error: Invalid value");
    error(
        call("POST", path, "{ \"instances\": [\"x\", \"y\"] }"),
        400,
        "not of expected type: float");
    error(
        call(
            "POST",
            "/v1/models/" + MODEL + "/labels/Version_Nonexistent:predict",
            "{ \"instances\": [\"x\", \"y\"] }"),
        400,
        "Unrecognized servable version label");
    error(
        call("POST", path, "{ \"signature_name\": 100 }"),
        400,
        "'signature_name' key must be a string value.");
    error(
        call("POST", path, "{ \"signature_name\": \"nope\", \"instances\": [1] }"),
        400,
        "Serving signature name: \"nope\" not found in signature def");
  }

  @Test
  void predict() {
    String v = "/v1/models/" + MODEL;
    ok(
        call("POST", v + ":predict", "{\"instances\": [[1.0, 2.0], [3.0, 4.0]]}"),
        "{ \"predictions\": [[2.5, 3.0], [3.5, 4.0]] }");
    ok(
        call("POST", v + "/versions/123:predict", "{\"instances\": [1.0, 2.0]}"),
        "{ \"predictions\": [2.5, 3.0] }");
    ok(
        call("POST", v + "/labels/Version_Label:predict", "{\"instances\": [1.0, 2.0]}"),
        "{ \"predictions\": [2.5, 3.0] }");
    ok(
        call(
            "POST",
            v + "/versions/123:predict",
            "{\"signature_name\": \"serving_default\", \"instances\": [3.0, 4.0]}"),
        "{ \"predictions\": [3.5, 4.0] }");
    ok(
        call(
            "POST",
            v + "/versions/123:predict",
            "{\"signature_name\": \"serving_default\", \"inputs\": [3.0, 4.0]}"),
        "{ \"outputs\": [3.5, 4.0] }");
  }

  @Test
  void predictSeveralInputsAndOutputs() {
    String v = "/v1/models/" + MODEL + ":predict";
    // row format: objects keyed by input; the "_bytes" output comes back as base64
    ok(
        call(
            "POST",
            v,
            "{\"signature_name\": \"echo\", \"instances\": [{\"x\": [1.0], \"s\": {\"b64\":"
                + " \"aGVsbG8=\"}}, {\"x\": [3.0], \"s\": \"world\"}]}"),
        "{\"predictions\": [{\"y\": [2.5], \"s_bytes\": {\"b64\": \"aGVsbG8=\"}},"
            + " {\"y\": [3.5], \"s_bytes\": {\"b64\": \"d29ybGQ=\"}}]}");
    // columnar: an object of tensors in, an object out
    ok(
        call(
            "POST",
            v,
            "{\"signature_name\": \"echo\", \"inputs\": {\"x\": [[1.0], [NaN]], \"s\":"
                + " [\"a\", \"b\"]}}"),
        "{\"outputs\": {\"y\": [[2.5], [NaN]], \"s_bytes\": [{\"b64\": \"YQ==\"}, {\"b64\":"
            + " \"Yg==\"}]}}");
    error(
        call("POST", v, "{\"signature_name\": \"echo\", \"instances\": [1.0]}"),
        400,
        "instances is a plain list, but expecting list of objects");
    error(
        call("POST", v, "{\"signature_name\": \"echo\", \"inputs\": {\"x\": [[1.0]]}}"),
        400,
        "Missing named input: s in 'inputs' object.");
  }

  @Test
  void nonFiniteNumbersAreWrittenAsTensorFlowServingWritesThem() {
    var r =
        call(
            "POST",
            "/v1/models/" + MODEL + ":predict",
            "{\"instances\": [[NaN], [Infinity], [-Infinity], [1e30]]}");
    assertEquals(200, r.status(), r.body());
    assertTrue(r.body().contains("[[NaN], [Infinity], [-Infinity], [5e+29]"), r.body());
  }

  @Test
  void regress() {
    String body = "{\"signature_name\": \"regress_x_to_y\", \"examples\": [ { \"x\": 80.0 } ] }";
    String v = "/v1/models/" + MODEL;
    ok(call("POST", v + ":regress", body), "{ \"results\": [42] }");
    ok(call("POST", v + "/versions/123:regress", body), "{ \"results\": [42] }");
    ok(call("POST", v + "/labels/Version_Label:regress", body), "{ \"results\": [42] }");
    ok(
        call(
            "POST",
            v + ":regress",
            "{\"signature_name\": \"regress_x_to_y2\", \"examples\": [{\"x\": 80.0}, {\"x\":"
                + " 10.0}]}"),
        "{ \"results\": [43, 8] }");
    // the context is merged into every example: x from the context
    ok(
        call(
            "POST",
            v + ":regress",
            "{\"signature_name\": \"regress_x_to_y\", \"context\": {\"x\": 4.0},"
                + " \"examples\": [{\"x2\": 1.0}, {\"x2\": 2.0}]}"),
        "{ \"results\": [4, 4] }");
    // regress_x2_to_y3 takes a float tensor, not examples: TensorFlow's own error, 400
    error(
        call(
            "POST",
            v + ":regress",
            "{\"signature_name\": \"regress_x2_to_y3\", \"examples\": [{\"x\": 1.0}]}"),
        400,
        "Expects arg[0] to be float but string is provided");
  }

  @Test
  void classify() {
    String v = "/v1/models/" + MODEL;
    ok(
        call(
            "POST",
            v + ":classify",
            "{\"signature_name\": \"classify_x_to_y\", \"examples\": [ { \"x\": 20.0 } ] }"),
        "{ \"results\": [[[\"\", 12]]] }");
    ok(
        call(
            "POST",
            v + "/labels/Version_Label:classify",
            "{\"signature_name\": \"classify_x_to_y\", \"examples\": [ { \"x\": 10.0 } ] }"),
        "{ \"results\": [[[\"\", 7]]] }");
    error(
        call("POST", v + ":classify", "{\"examples\": [ { \"x\": 10.0 } ] }"),
        400,
        "No classification inputs found in SignatureDef");
    error(
        call("POST", v + ":classify", "{\"signature_name\": \"classify_x_to_y\"}"),
        400,
        "'examples' is expected and was not found");
  }

  @Test
  void getStatus() {
    String expected =
        "{\"model_version_status\": [{\"version\": \"123\", \"state\": \"AVAILABLE\", \"status\":"
            + " {\"error_code\": \"OK\", \"error_message\": \"\"}}]}";
    String v = "/v1/models/" + MODEL;
    ok(call("GET", v, ""), expected);
    ok(call("GET", v + "/versions/123", ""), expected);
    ok(call("GET", v + "/labels/Version_Label", ""), expected);
    error(call("GET", v + "/versions/7", ""), 404, "Could not find version 7 of model " + MODEL);
    error(call("GET", "/v1/models/foo", ""), 404, "Could not find any versions of model foo");
  }

  @Test
  @SuppressWarnings("unchecked")
  void getModelMetadata() {
    var r = call("GET", "/v1/models/" + MODEL + "/metadata", "");
    assertEquals(200, r.status(), r.body());
    Map<String, Object> doc = (Map<String, Object>) JsonAssert.parse(r.body());
    assertEquals(
        Map.of("name", MODEL, "signature_name", "", "version", "123"), doc.get("model_spec"));
    Map<String, Object> sigs =
        (Map<String, Object>)
            ((Map<String, Object>) ((Map<String, Object>) doc.get("metadata")).get("signature_def"))
                .get("signature_def");
    assertEquals(
        java.util.Set.of(
            "serving_default",
            "regress_x_to_y",
            "regress_x_to_y2",
            "regress_x2_to_y3",
            "classify_x_to_y",
            "echo"),
        sigs.keySet());
    // TensorFlow Serving's saved_model_half_plus_two_2_versions_metadata.json, serving_default
    assertEquals(
        JsonAssert.parse(
            "{\"inputs\": {\"x\": {\"dtype\": \"DT_FLOAT\", \"tensor_shape\": {\"dim\": [{\"size\":"
                + " \"-1\", \"name\": \"\"}, {\"size\": \"1\", \"name\": \"\"}], \"unknown_rank\":"
                + " false}, \"name\": \"x:0\"}}, \"outputs\": {\"y\": {\"dtype\": \"DT_FLOAT\","
                + " \"tensor_shape\": {\"dim\": [{\"size\": \"-1\", \"name\": \"\"}, {\"size\":"
                + " \"1\", \"name\": \"\"}], \"unknown_rank\": false}, \"name\": \"y:0\"}},"
                + " \"method_name\": \"tensorflow/serving/predict\", \"defaults\": {}}"),
        sigs.get("serving_default"));
  }
}
