package io.github.activationlab.serve;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON compared as TensorFlow Serving's tests compare it (rapidjson's {@code ==}): objects by keys
 * whatever their order, numbers by value (12 equals 12.0; NaN equals NaN), the rest exactly.
 */
final class JsonAssert {
  private JsonAssert() {}

  /** The JSON as plain Java values, numbers as Double. */
  static Object parse(String json) {
    return plain(
        Json.parse(
            json.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8).length));
  }

  private static Object plain(Object v) {
    if (v instanceof Json.Num n) return n.value;
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object x : l) out.add(plain(x));
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put((String) k, plain(x)));
      return out;
    }
    return v;
  }
}
