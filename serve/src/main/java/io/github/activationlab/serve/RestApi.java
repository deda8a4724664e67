package io.github.activationlab.serve;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;

/**
 * TensorFlow Serving's REST API over HTTP-free inputs (method, path, body), as its {@code
 * http_rest_api_handler.cc} routes them: {@code POST /v1/models/NAME[/versions/N|/labels/L]} {@code
 * :predict|:classify|:regress}, {@code GET /v1/models/NAME[/versions/N|/labels/L]} (status) and
 * {@code .../metadata}. Every answer is JSON; an error is {@code {"error": "..."}} with TensorFlow
 * Serving's HTTP status and, where its tests check them, its words.
 */
final class RestApi {
  private static final Pattern PREDICT =
      Pattern.compile(
          "(?i)/v1/models/([^/:]+)(?:(?:/versions/(\\d+))|(?:/labels/([^/:]+)))?"
              + ":(classify|regress|predict)");
  private static final Pattern STATUS =
      Pattern.compile(
          "(?i)/v1/models(?:/([^/:]+))?(?:(?:/versions/(\\d+))|(?:/labels/([^/:]+)))?"
              + "(?:/(metadata))?");

  /**
   * An answer.
   *
   * @param status the HTTP status
   * @param body the JSON body
   * @param model the model name ("" if none)
   * @param api predict, classify, regress, status or metadata ("" for a malformed request)
   * @param code TensorFlow's status code name ({@code OK}, {@code INVALID_ARGUMENT}, ...)
   */
  record Response(int status, String body, String model, String api, String code) {}

  private final Map<String, ModelVersions> models;
  private final long timeoutMillis;

  RestApi(Map<String, ModelVersions> models, long timeoutMillis) {
    this.models = models;
    this.timeoutMillis = timeoutMillis;
  }

  /** Answers one request; never throws. */
  Response handle(String method, String path, byte[] body, int length) {
    String model = "";
    String api = "";
    try {
      Matcher m;
      if (method.equals("POST") && (m = PREDICT.matcher(path)).matches()) {
        model = decode(m.group(1));
        api = m.group(4);
        Spec spec = spec(model, m.group(2), m.group(3));
        String out =
            switch (api) {
              case "predict" -> predict(spec, body, length);
              case "classify", "regress" -> classifyOrRegress(spec, api, body, length);
              default -> throw malformed(method, path);
            };
        return new Response(200, out, model, api, "OK");
      }
      if (method.equals("GET") && (m = STATUS.matcher(path)).matches()) {
        model = m.group(1) == null ? "" : decode(m.group(1));
        api = m.group(4) == null ? "status" : "metadata";
        if (model.isEmpty()) throw ServeException.invalid("Missing model name in request.");
        Spec spec = spec(model, m.group(2), m.group(3));
        String out = api.equals("status") ? status(spec) : metadata(spec);
        return new Response(200, out, model, api, "OK");
      }
      throw malformed(method, path);
    } catch (ServeException e) {
      return error(e.code().http(), e.getMessage(), model, api, e.code().name());
    } catch (RuntimeException e) {
      return error(500, String.valueOf(e.getMessage()), model, api, "INTERNAL");
    }
  }

  static Response error(int status, String message, String model, String api, String code) {
    String body = new JsonOut().startObject().key("error").string(message).endObject().toString();
    return new Response(status, body, model, api, code);
  }

  private static ServeException malformed(String method, String path) {
    return ServeException.invalid("Malformed request: " + method + " " + path);
  }

  private static String decode(String s) {
    // curl_easy_unescape: %XX only ('+' stays)
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** A model spec: name and optionally a version or a label. */
  private record Spec(String name, Long version, String label) {}

  private static Spec spec(String name, String version, String label) {
    Long v = null;
    if (version != null) {
      try {
        v = Long.parseLong(version);
      } catch (NumberFormatException e) {
        throw ServeException.invalid("Failed to convert version: " + version + " to numeric.");
      }
    }
    return new Spec(name, v, label == null ? null : decode(label));
  }

  /** A version to run on. */
  private record Handle(ModelVersions model, long version, Servable servable) {}

  private Handle resolve(Spec spec) {
    ModelVersions mv = models.get(spec.name);
    Long v = spec.version;
    if (spec.label != null) {
      if (mv == null || !mv.labels.containsKey(spec.label)) {
        throw ServeException.invalid("Unrecognized servable version label: " + spec.label);
      }
      v = mv.labels.get(spec.label);
    }
    if (v == null) {
      var latest = mv == null ? null : mv.latest();
      if (latest == null) {
        throw ServeException.notFound("Servable not found for request: Latest(" + spec.name + ")");
      }
      return new Handle(mv, latest.getKey(), latest.getValue());
    }
    Servable s = mv == null ? null : mv.version(v);
    if (s == null) {
      throw ServeException.notFound(
          "Servable not found for request: Specific(" + spec.name + ", " + v + ")");
    }
    return new Handle(mv, v, s);
  }

  /** Runs {@code call} on the resolved version; a version unloaded meanwhile is looked up again. */
  private <T> T withServable(Spec spec, java.util.function.Function<Handle, T> call) {
    for (int attempt = 0; ; attempt++) {
      Handle h = resolve(spec);
      try {
        return call.apply(h);
      } catch (Servable.Closed e) {
        if (attempt == 20) {
          throw new ServeException(ServeException.Code.UNAVAILABLE, "the model is being unloaded");
        }
      }
    }
  }

  private static SignatureDef signature(Handle h, String name) {
    String key = name.isEmpty() ? "serving_default" : name;
    SignatureDef sig = h.servable.signatures().get(key);
    if (sig == null) {
      throw ServeException.invalid(
          "Serving signature name: \"" + key + "\" not found in signature def");
    }
    return sig;
  }

  private String predict(Spec spec, byte[] body, int length) {
    FastPredict.Request fast = FastPredict.parse(body, length);
    if (fast != null) {
      String out =
          withServable(
              spec,
              h -> {
                String key =
                    fast.signatureName().isEmpty() ? "serving_default" : fast.signatureName();
                SignatureDef sig = signature(h, key);
                if (sig.getInputsCount() != 1) return null;
                var in = sig.getInputsMap().entrySet().iterator().next();
                TensorValue t = FastPredict.tensor(fast, in.getValue().getDtype());
                if (t == null) return null;
                List<String> outputs = new ArrayList<>(new TreeMap<>(sig.getOutputsMap()).keySet());
                return Predictions.write(
                    h.servable.run(key, Map.of(in.getKey(), t), outputs, timeoutMillis),
                    fast.format());
              });
      if (out != null) return out;
    }
    Object doc = Json.parse(body, length);
    PredictJson.signatureName(PredictJson.object(doc)); // TensorFlow Serving's order of checks
    return withServable(
        spec,
        h -> {
          PredictJson.Request req =
              PredictJson.parse(
                  doc,
                  sigName -> {
                    SortedMap<String, DataType> types = new TreeMap<>();
                    signature(h, sigName)
                        .getInputsMap()
                        .forEach((k, info) -> types.put(k, info.getDtype()));
                    return types;
                  });
          String key = req.signatureName().isEmpty() ? "serving_default" : req.signatureName();
          SignatureDef sig = signature(h, key);
          List<String> outputs = new ArrayList<>(new TreeMap<>(sig.getOutputsMap()).keySet());
          return Predictions.write(
              h.servable.run(key, req.inputs(), outputs, timeoutMillis), req.format());
        });
  }

  private String classifyOrRegress(Spec spec, String api, byte[] body, int length) {
    ExamplesJson.Request req = ExamplesJson.parse(Json.parse(body, length));
    return withServable(
        spec,
        h -> {
          String key = req.signatureName().isEmpty() ? "serving_default" : req.signatureName();
          SignatureDef sig = h.servable.signatures().get(key);
          if (sig == null) {
            throw ServeException.invalid("No signature was found with the name: " + key);
          }
          Map<String, TensorValue> in = Map.of("inputs", ExamplesJson.tensor(req.examples()));
          int n = req.examples().length;
          if (api.equals("classify")) {
            List<String> outs = ExamplesJson.classifyOutputs(sig);
            return ExamplesJson.classifyResults(h.servable.run(key, in, outs, timeoutMillis), n);
          }
          ExamplesJson.checkRegression(sig);
          var out = h.servable.run(key, in, List.of("outputs"), timeoutMillis);
          return ExamplesJson.regressResults(out.get("outputs"), n);
        });
  }

  private String status(Spec spec) {
    ModelVersions mv = models.get(spec.name);
    Long v = spec.version;
    if (spec.label != null) v = resolve(spec).version;
    Map<Long, ModelVersions.Status> all = mv == null ? Map.of() : mv.status();
    JsonOut w = new JsonOut().startObject().key("model_version_status").startArray();
    if (v != null) {
      ModelVersions.Status s = all.get(v);
      if (s == null) {
        throw ServeException.notFound("Could not find version " + v + " of model " + spec.name);
      }
      versionStatus(w, v, s);
    } else {
      if (all.isEmpty()) {
        throw ServeException.notFound("Could not find any versions of model " + spec.name);
      }
      all.forEach((k, s) -> versionStatus(w, k, s));
    }
    return w.endArray().endObject().toString();
  }

  private static void versionStatus(JsonOut w, long v, ModelVersions.Status s) {
    w.startObject().key("version").string(Long.toString(v));
    w.key("state").string(s.state().name());
    w.key("status").startObject();
    w.key("error_code").string(s.error().isEmpty() ? "OK" : "UNKNOWN");
    w.key("error_message").string(s.error());
    w.endObject().endObject();
  }

  private String metadata(Spec spec) {
    return withServable(
        spec,
        h -> {
          StringBuilder b = new StringBuilder("{\n\"model_spec\":");
          b.append(
              new JsonOut()
                  .startObject()
                  .key("name")
                  .string(spec.name)
                  .key("signature_name")
                  .string("")
                  .key("version")
                  .string(Long.toString(h.version))
                  .endObject());
          b.append(",\n\"metadata\": {\"signature_def\": {\n \"signature_def\": {");
          JsonFormat.Printer p =
              JsonFormat.printer().preservingProtoFieldNames().includingDefaultValueFields();
          boolean first = true;
          for (var e : new TreeMap<>(h.servable.signatures()).entrySet()) {
            b.append(first ? "\n" : ",\n");
            first = false;
            b.append("  ").append(new JsonOut().string(e.getKey())).append(": ");
            try {
              b.append(p.print(e.getValue()));
            } catch (InvalidProtocolBufferException x) {
              throw new IllegalStateException(x);
            }
          }
          return b.append("\n }\n}\n}\n}\n").toString();
        });
  }
}
