package io.github.activationlab.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request JSON as TensorFlow Serving reads it (rapidjson with {@code kParseNanAndInfFlag}, {@code
 * kParseIterativeFlag}, {@code kParseStopWhenDoneFlag}): {@code NaN} and {@code Infinity} are
 * numbers, nesting depth is unbounded (built without recursion), text after the first complete
 * value is ignored, and a syntax error is {@code "JSON Parse error: <rapidjson's words> at offset:
 * N"}. The tree is plain Java: {@link Map} (objects, the first of duplicate keys kept), {@link
 * List} (arrays), {@link String}, {@link Boolean}, {@link Num} and {@link #NULL}. Parsing is
 * Jackson's streaming parser.
 */
final class Json {
  private Json() {}

  /** JSON's null. */
  static final Object NULL =
      new Object() {
        @Override
        public String toString() {
          return "null";
        }
      };

  static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(Integer.MAX_VALUE)
                  .maxNumberLength(Integer.MAX_VALUE)
                  .maxStringLength(Integer.MAX_VALUE)
                  .build())
          .build();

  /**
   * A JSON number with rapidjson's type flags: integral literals that fit int32 / uint32 / int64 /
   * uint64 say so; anything with a fraction or exponent, or too large for uint64, is a double.
   */
  static final class Num {
    final double value;
    final long bits; // the integer (uint64 as its two's complement) when integral
    final boolean integral;
    final boolean isInt;
    final boolean isUint;
    final boolean isInt64;
    final boolean isUint64;

    Num(double value) {
      this.value = value;
      this.bits = 0;
      this.integral = false;
      this.isInt = isUint = isInt64 = isUint64 = false;
    }

    Num(long v, boolean unsigned64) {
      this.integral = true;
      this.bits = v;
      if (unsigned64) {
        this.value = new BigInteger(Long.toUnsignedString(v)).doubleValue();
        this.isInt = isUint = isInt64 = false;
        this.isUint64 = true;
      } else {
        this.value = v;
        this.isInt = v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
        this.isUint = v >= 0 && v <= 0xFFFFFFFFL;
        this.isInt64 = true;
        this.isUint64 = v >= 0;
      }
    }

    boolean isDouble() {
      return !integral;
    }

    @Override
    public String toString() {
      if (integral) return isInt64 ? Long.toString(bits) : Long.toUnsignedString(bits);
      if (Double.isNaN(value) || Double.isInfinite(value)) return null; // rapidjson stops there
      String s = Double.toString(value);
      int e = s.indexOf('E');
      if (e < 0) return s;
      String m = s.substring(0, e);
      if (m.endsWith(".0")) m = m.substring(0, m.length() - 2);
      return m + "e" + s.substring(e + 1);
    }
  }

  /** Parses {@code body}; an empty document or a syntax error is INVALID_ARGUMENT. */
  static Object parse(byte[] body, int length) {
    if (length == 0) throw ServeException.invalid("JSON Parse error: The document is empty");
    try (JsonParser p = FACTORY.createParser(body, 0, length)) {
      return read(p);
    } catch (JsonParseException e) {
      throw ServeException.invalid(
          "JSON Parse error: " + rapidjsonWords(e) + " at offset: " + offset(e));
    } catch (IOException e) {
      throw ServeException.invalid("JSON Parse error: Invalid value. at offset: 0");
    }
  }

  private static Object read(JsonParser p) throws IOException {
    JsonToken t = p.nextToken();
    if (t == null) {
      throw ServeException.invalid("JSON Parse error: The document is empty. at offset: 0");
    }
    ArrayDeque<Object> stack = new ArrayDeque<>();
    ArrayDeque<String> keys = new ArrayDeque<>();
    Object root = null;
    for (; t != null; t = stack.isEmpty() ? null : p.nextToken()) {
      Object v;
      switch (t) {
        case START_OBJECT -> {
          stack.push(new LinkedHashMap<String, Object>());
          continue;
        }
        case START_ARRAY -> {
          stack.push(new ArrayList<>());
          continue;
        }
        case FIELD_NAME -> {
          keys.push(p.currentName());
          continue;
        }
        case END_OBJECT, END_ARRAY -> v = stack.pop();
        case VALUE_STRING -> v = p.getText();
        case VALUE_NUMBER_INT -> v = integer(p);
        case VALUE_NUMBER_FLOAT -> v = new Num(p.getDoubleValue());
        case VALUE_TRUE -> v = Boolean.TRUE;
        case VALUE_FALSE -> v = Boolean.FALSE;
        case VALUE_NULL -> v = NULL;
        default -> throw new JsonParseException(p, "Unexpected token " + t);
      }
      if (stack.isEmpty()) {
        root = v;
      } else if (stack.peek() instanceof List<?> list) {
        @SuppressWarnings("unchecked")
        List<Object> l = (List<Object>) list;
        l.add(v);
      } else {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) stack.peek();
        m.putIfAbsent(keys.pop(), v);
      }
    }
    return root;
  }

  private static Num integer(JsonParser p) throws IOException {
    switch (p.getNumberType()) {
      case INT, LONG:
        return new Num(p.getLongValue(), false);
      default:
        BigInteger b = p.getBigIntegerValue();
        if (b.signum() >= 0 && b.bitLength() <= 64) return new Num(b.longValue(), true);
        return new Num(b.doubleValue());
    }
  }

  private static long offset(JsonParseException e) {
    var loc = e.getLocation();
    if (loc == null) return 0;
    long b = loc.getByteOffset();
    return b >= 0 ? b : Math.max(0, loc.getCharOffset());
  }

  /** rapidjson's message (GetParseError_En) for what Jackson found. */
  static String rapidjsonWords(JsonParseException e) {
    String m = String.valueOf(e.getOriginalMessage());
    if (e instanceof JsonEOFException) {
      if (m.contains("String value") || m.contains("name")) {
        return "Missing a closing quotation mark in string.";
      }
      if (m.contains("Array")) return "Missing a comma or ']' after an array element.";
      if (m.contains("Object")) return "Missing a comma or '}' after an object member.";
      return "Invalid value.";
    }
    if (m.contains("double-quote to start field name")) return "Missing a name for object member.";
    if (m.contains("was expecting a colon"))
      return "Missing a colon after a name of object member.";
    if (m.contains("comma to separate Object")) {
      return "Missing a comma or '}' after an object member.";
    }
    if (m.contains("comma to separate Array")) {
      return "Missing a comma or ']' after an array element.";
    }
    if (m.contains("character escape")) return "Invalid escape character in string.";
    if (m.contains("UTF-8") || m.contains("unquoted character")) {
      return "Invalid encoding in string.";
    }
    return "Invalid value.";
  }

  /** rapidjson's GetType name, for error messages. */
  static String typeName(Object v) {
    if (v == NULL) return "Null";
    if (v instanceof Boolean b) return b ? "True" : "False";
    if (v instanceof Map) return "Object";
    if (v instanceof List) return "Array";
    if (v instanceof String) return "String";
    return "Number";
  }

  /** At most this much of a value goes into an error message (TensorFlow Serving's 256 bytes). */
  static final int DEBUG_LIMIT = 256;

  /** A value as TensorFlow Serving quotes it in errors: pretty, arrays on one line, truncated. */
  static String debug(Object v) {
    JsonOut out = new JsonOut(DEBUG_LIMIT);
    out.singleLineArrays(true);
    write(out, v);
    return out.toString();
  }

  private static void write(JsonOut out, Object v) {
    if (out.full()) return;
    if (v instanceof Map<?, ?> m) {
      out.startObject();
      for (var e : m.entrySet()) {
        if (out.full()) return;
        out.key((String) e.getKey());
        write(out, e.getValue());
      }
      out.endObject();
    } else if (v instanceof List<?> l) {
      out.startArray();
      for (Object x : l) {
        if (out.full()) return;
        write(out, x);
      }
      out.endArray();
    } else if (v instanceof String s) {
      out.string(s);
    } else if (v instanceof Num n) {
      String s = n.toString();
      if (s == null) out.stop();
      else out.raw(s);
    } else {
      out.raw(v.toString());
    }
  }
}
