package io.github.activationlab.serve;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.tensorflow.proto.DataType;

/**
 * {@code :predict} bodies both ways, as TensorFlow Serving's {@code json_tensor.cc} does them: the
 * row format ({@code "instances"}: one element per batch row, plain values or, for several inputs,
 * objects keyed by input) and the columnar one ({@code "inputs"}: the whole tensor, or an object of
 * tensors), {@code {"b64": ...}} strings, its type rules (a float takes any number, an int32 only
 * an integer literal) and its error messages; outputs as {@code "predictions"} (rows) or {@code
 * "outputs"} (columns): a bare value when the signature has one output, an object otherwise.
 */
final class PredictJson {
  private PredictJson() {}

  /** The two request layouts. */
  enum Format {
    ROW,
    COLUMNAR
  }

  /**
   * A parsed {@code :predict} request.
   *
   * @param signatureName the {@code signature_name} ("" when absent)
   * @param format row or columnar
   * @param inputs the tensors, by input alias
   */
  record Request(String signatureName, Format format, SortedMap<String, TensorValue> inputs) {}

  /** The signature's input dtypes by alias, for {@link #parse}. */
  interface InputTypes {
    SortedMap<String, DataType> of(String signatureName);
  }

  static String signatureName(Map<String, Object> doc) {
    Object s = doc.get("signature_name");
    if (s == null) return "";
    if (!(s instanceof String str)) {
      throw ServeException.invalid(
          "JSON Value: "
              + Json.debug(doc)
              + " not formatted correctly. 'signature_name' key must be a string value.");
    }
    return str;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object doc) {
    if (!(doc instanceof Map))
      throw ServeException.invalid("JSON Value: " + Json.debug(doc) + " Is not object");
    return (Map<String, Object>) doc;
  }

  static Request parse(Object json, InputTypes types) {
    Map<String, Object> doc = object(json);
    String sig = signatureName(doc);
    SortedMap<String, DataType> infos = types.of(sig);
    if (infos.isEmpty()) {
      throw ServeException.invalid(
          "Failed to get input map for signature: " + (sig.isEmpty() ? "DEFAULT" : sig));
    }
    Object instances = doc.get("instances");
    Object inputs = doc.get("inputs");
    if (instances != null) {
      if (inputs != null) {
        throw ServeException.invalid(
            "JSON Value: "
                + Json.debug(doc)
                + " Not formatted correctly expecting only one of 'inputs' or 'instances' keys to"
                + " exist ");
      }
      if (!(instances instanceof List<?> list)) {
        throw ServeException.invalid(
            "JSON Value: " + Json.debug(doc) + " Expecting 'instances' to be an list/array");
      }
      if (list.isEmpty()) {
        throw ServeException.invalid(
            "JSON Value: " + Json.debug(doc) + " No values in 'instances' array");
      }
      return new Request(sig, Format.ROW, rows(list, infos));
    }
    if (inputs != null) return new Request(sig, Format.COLUMNAR, columns(inputs, infos));
    throw ServeException.invalid("Missing 'inputs' or 'instances' key");
  }

  private static boolean isB64(Object v) {
    return v instanceof Map<?, ?> m && m.size() == 1 && m.get("b64") instanceof String;
  }

  private static boolean isElementObject(Object v) {
    return v instanceof Map && !isB64(v);
  }

  /** One input's values as they come in, row after row. */
  private static final class Column {
    final DataType dtype;
    final Values values;
    long[] shape; // of one row
    int rowSize = -1;

    Column(DataType dtype) {
      this.dtype = dtype;
      this.values = new Values(dtype);
    }
  }

  private static SortedMap<String, TensorValue> rows(
      List<?> list, SortedMap<String, DataType> infos) {
    if (!(list.get(0) instanceof Map) && infos.size() > 1) {
      throw ServeException.invalid(
          "instances is a plain list, but expecting list of objects as multiple input tensors"
              + " required as per tensorinfo_map");
    }
    boolean objects = isElementObject(list.get(0));
    Map<String, Column> columns = new TreeMap<>();
    int n = 0;
    for (Object elem : list) {
      if (objects) {
        if (!isElementObject(elem)) {
          throw ServeException.invalid(
              "Expecting object but got list at item " + n + " of input list");
        }
        Map<?, ?> m = (Map<?, ?>) elem;
        for (var kv : m.entrySet()) {
          String name = (String) kv.getKey();
          try {
            addItem(kv.getValue(), name, infos, columns);
          } catch (ServeException e) {
            throw ServeException.invalid(
                "Failed to process element: "
                    + n
                    + " key: "
                    + name
                    + " of 'instances' list. Error: "
                    + statusString(e));
          }
        }
        if (!m.keySet().equals(infos.keySet())) {
          throw ServeException.invalid(
              "Failed to process element: "
                  + n
                  + " of 'instances' list. JSON object: "
                  + Json.debug(elem)
                  + " keys must be equal to: "
                  + String.join(",", infos.keySet()));
        }
      } else {
        if (isElementObject(elem)) {
          throw ServeException.invalid(
              "Expecting value/list but got object at item " + n + " of input list");
        }
        try {
          addItem(elem, infos.firstKey(), infos, columns);
        } catch (ServeException e) {
          throw ServeException.invalid(
              "Failed to process element: "
                  + n
                  + " of 'instances' list. Error: "
                  + statusString(e));
        }
      }
      n++;
    }
    SortedMap<String, TensorValue> out = new TreeMap<>();
    for (var e : columns.entrySet()) {
      Column c = e.getValue();
      long[] shape = new long[c.shape.length + 1];
      shape[0] = n;
      System.arraycopy(c.shape, 0, shape, 1, c.shape.length);
      out.put(e.getKey(), new TensorValue(c.dtype, shape, c.values.array()));
    }
    return out;
  }

  /** absl's Status::ToString: {@code INVALID_ARGUMENT: message}. */
  static String statusString(ServeException e) {
    return e.code().name() + ": " + e.getMessage();
  }

  private static void addItem(
      Object item, String name, SortedMap<String, DataType> infos, Map<String, Column> columns) {
    DataType dtype = infos.get(name);
    if (dtype == null) {
      throw ServeException.invalid("JSON object: does not have named input: " + name);
    }
    Column c = columns.computeIfAbsent(name, k -> new Column(dtype));
    long[] shape = shape(item);
    int before = c.values.size();
    fill(item, 0, shape, c.values);
    int size = c.values.size() - before;
    if (c.rowSize < 0) {
      c.rowSize = size;
      c.shape = shape;
    } else if (c.rowSize != size) {
      throw ServeException.invalid("Expecting tensor size: " + c.rowSize + " but got: " + size);
    } else if (!java.util.Arrays.equals(c.shape, shape)) {
      throw ServeException.invalid(
          "Expecting shape " + shapeString(c.shape) + " but got: " + shapeString(shape));
    }
  }

  static String shapeString(long[] shape) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) b.append(i > 0 ? "," : "").append(shape[i]);
    return b.append(']').toString();
  }

  /** Deepest tensor rank a request may have (TensorFlow's own limit is 254). */
  private static final int MAX_RANK = 1024;

  /** The dense shape a value implies: the lengths down its first elements. */
  private static long[] shape(Object v) {
    int rank = 0;
    for (Object u = v; u instanceof List<?> l; u = l.isEmpty() ? null : l.get(0)) {
      if (++rank > MAX_RANK) {
        throw ServeException.invalid("JSON Value: " + Json.debug(v) + " is nested too deeply");
      }
    }
    long[] s = new long[rank];
    int i = 0;
    for (Object u = v; u instanceof List<?> l; u = l.isEmpty() ? null : l.get(0)) s[i++] = l.size();
    return s;
  }

  private static void fill(Object v, int level, long[] shape, Values values) {
    int rank = shape.length;
    if (!(v instanceof List<?> list)) {
      if (level != rank) {
        throw ServeException.invalid(
            "JSON Value: "
                + Json.debug(v)
                + " found at incorrect level: "
                + (level + 1)
                + " in the JSON DOM. Expected at level: "
                + rank);
      }
      if (v instanceof Map) {
        if (values.dtype != DataType.DT_STRING) throw typeError(v, values.dtype);
        values.addBytes(decodeB64(v));
      } else {
        values.add(v);
      }
      return;
    }
    if (level >= rank) {
      throw ServeException.invalid(
          "Encountered list at unexpected level: " + level + " expected < " + rank);
    }
    if (list.size() != shape[level]) {
      throw ServeException.invalid(
          "Encountered list at unexpected size: "
              + list.size()
              + " at level: "
              + level
              + " expected size: "
              + shape[level]);
    }
    for (Object x : list) fill(x, level + 1, shape, values);
  }

  static ServeException typeError(Object v, DataType dtype) {
    return ServeException.invalid(
        "JSON Value: "
            + Json.debug(v)
            + " Type: "
            + Json.typeName(v)
            + " is not of expected type: "
            + TensorValue.name(dtype));
  }

  static byte[] decodeB64(Object v) {
    if (!isB64(v)) {
      throw ServeException.invalid(
          "JSON Value: " + Json.debug(v) + " not formatted correctly for base64 data");
    }
    try {
      return Base64.getDecoder().decode((String) ((Map<?, ?>) v).get("b64"));
    } catch (IllegalArgumentException e) {
      throw ServeException.invalid("Unable to base64 decode");
    }
  }

  private static SortedMap<String, TensorValue> columns(
      Object val, SortedMap<String, DataType> infos) {
    SortedMap<String, TensorValue> out = new TreeMap<>();
    if (!(val instanceof Map) || isB64(val)) {
      if (infos.size() > 1) {
        throw ServeException.invalid(
            "inputs is a plain value/list, but expecting an object as multiple input tensors"
                + " required as per tensorinfo_map");
      }
      out.put(infos.firstKey(), tensor(val, infos.get(infos.firstKey())));
      return out;
    }
    Map<?, ?> m = (Map<?, ?>) val;
    for (var e : infos.entrySet()) {
      Object item = m.get(e.getKey());
      if (item == null) {
        throw ServeException.invalid("Missing named input: " + e.getKey() + " in 'inputs' object.");
      }
      out.put(e.getKey(), tensor(item, e.getValue()));
    }
    return out;
  }

  private static TensorValue tensor(Object v, DataType dtype) {
    long[] shape = shape(v);
    Values values = new Values(dtype);
    fill(v, 0, shape, values);
    return new TensorValue(dtype, shape, values.array());
  }
}
