package io.github.activationlab.internal.keras;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed access to config.json with one clear message per structural surprise. */
final class JsonValues {
  private JsonValues() {}

  static JsonObject object(JsonElement e, String what) throws KerasFormatException {
    if (e == null || !e.isJsonObject()) {
      throw new KerasFormatException(what + " should be a JSON object, found " + brief(e));
    }
    return e.getAsJsonObject();
  }

  static JsonArray array(JsonElement e, String what) throws KerasFormatException {
    if (e == null || !e.isJsonArray()) {
      throw new KerasFormatException(what + " should be a JSON array, found " + brief(e));
    }
    return e.getAsJsonArray();
  }

  /** A string member, or null when absent or JSON null. */
  static String string(JsonObject o, String key, String what) throws KerasFormatException {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new KerasFormatException(
          what + ": '" + key + "' should be a string, found " + brief(e));
    }
    return e.getAsString();
  }

  static boolean bool(JsonObject o, String key, boolean fallback, String what)
      throws KerasFormatException {
    JsonElement e = o.get(key);
    if (e == null || e.isJsonNull()) {
      return fallback;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
      throw new KerasFormatException(
          what + ": '" + key + "' should be true or false, found " + brief(e));
    }
    return e.getAsBoolean();
  }

  /** An integral number (Keras writes ints as 2, never 2.0, but accept 2.0). */
  static long integer(JsonElement e, String what) throws KerasFormatException {
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      throw new KerasFormatException(what + " should be an integer, found " + brief(e));
    }
    double d = e.getAsDouble();
    if (d != Math.rint(d) || Math.abs(d) > 1L << 53) {
      throw new KerasFormatException(what + " should be an integer, found " + brief(e));
    }
    return (long) d;
  }

  static boolean isEmpty(JsonElement e) {
    return e == null || e.isJsonNull() || e.isJsonObject() && e.getAsJsonObject().size() == 0;
  }

  /**
   * A JSON value as plain Java: numbers written without fraction or exponent become {@link Long},
   * other numbers {@link Double}; objects {@link LinkedHashMap}, arrays {@link ArrayList}, null
   * stays null.
   */
  static Object plain(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (e.isJsonObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> en : e.getAsJsonObject().entrySet()) {
        m.put(en.getKey(), plain(en.getValue()));
      }
      return m;
    }
    if (e.isJsonArray()) {
      List<Object> l = new ArrayList<>();
      for (JsonElement x : e.getAsJsonArray()) {
        l.add(plain(x));
      }
      return l;
    }
    JsonPrimitive p = e.getAsJsonPrimitive();
    if (p.isBoolean()) {
      return p.getAsBoolean();
    }
    if (p.isString()) {
      return p.getAsString();
    }
    String text = p.getAsNumber().toString();
    if (text.matches("-?\\d{1,18}")) {
      return Long.parseLong(text);
    }
    return p.getAsDouble();
  }

  static String brief(JsonElement e) {
    if (e == null) {
      return "nothing";
    }
    String s = e.toString();
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
