package io.github.activationlab.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Example;

/**
 * TensorFlow Serving's {@code json_tensor_test.cc} in this project's words: requests to tensors
 * (row and columnar, named and unnamed, b64, NaN and Infinity, precision, deep nesting) and their
 * error messages; tensors to responses ({@code WriteDecimal}'s digits, non-finite literals, b64 for
 * {@code _bytes}); examples for classify and regress.
 */
class JsonTensorTest {
  static SortedMap<String, DataType> types(Object... nameType) {
    SortedMap<String, DataType> m = new TreeMap<>();
    for (int i = 0; i < nameType.length; i += 2)
      m.put((String) nameType[i], (DataType) nameType[i + 1]);
    return m;
  }

  static PredictJson.Request parse(String json, SortedMap<String, DataType> types) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return PredictJson.parse(Json.parse(b, b.length), sig -> types);
  }

  static String error(String json, SortedMap<String, DataType> types) {
    return assertThrows(ServeException.class, () -> parse(json, types)).getMessage();
  }

  @Test
  void singleUnnamedTensor() {
    var r = parse("{\"instances\": [[1,2],[3,4],[5,6]]}", types("default", DataType.DT_INT32));
    assertEquals(PredictJson.Format.ROW, r.format());
    TensorValue t = r.inputs().get("default");
    assertArrayEquals(new long[] {3, 2}, t.shape());
    assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, (int[]) t.data());
  }

  @Test
  void deeplyNestedWellFormedAndMalformed() {
    String deep = "[".repeat(500000) + "]".repeat(500000);
    var r =
        parse("{\"instances\":[1], \"nested\":" + deep + "}", types("default", DataType.DT_INT32));
    assertEquals(1, r.inputs().size());
    assertTrue(
        error("{\"signature_name\":" + deep + "}", types("default", DataType.DT_INT32))
            .contains("key must be a string value"));
  }

  @Test
  void mixedNumbersForFloatAndDouble() {
    var f =
        parse("{\"instances\": [1, 2.0, 3, 4, 5.003, 0.007, 0.0]}", types("d", DataType.DT_FLOAT));
    assertArrayEquals(
        new float[] {1, 2, 3, 4, 5.003f, 0.007f, 0}, (float[]) f.inputs().get("d").data());
    var d = parse("{\"instances\": [1.0, 2, 3, 4, 0.662, 0, 0.0]}", types("d", DataType.DT_DOUBLE));
    assertArrayEquals(
        new double[] {1, 2, 3, 4, 0.662, 0, 0}, (double[]) d.inputs().get("d").data());
  }

  @Test
  void floatPrecisionLossOverflowAndUnderflow() {
    var t = types("d", DataType.DT_FLOAT);
    assertEquals(
        1435774380f,
        ((float[]) parse("{\"instances\": [1435774380]}", t).inputs().get("d").data())[0]);
    assertEquals(
        1435774380f,
        ((float[]) parse("{\"instances\": [1435774380.0]}", t).inputs().get("d").data())[0]);
    assertEquals(
        Float.POSITIVE_INFINITY,
        ((float[]) parse("{\"instances\": [1.7976931348623157e308]}", t).inputs().get("d").data())
            [0]);
    assertEquals(
        Float.NEGATIVE_INFINITY,
        ((float[]) parse("{\"instances\": [-1.7976931348623157e308]}", t).inputs().get("d").data())
            [0]);
    assertEquals(
        0f,
        ((float[]) parse("{\"instances\": [2.2250738585072014e-308]}", t).inputs().get("d").data())
            [0]);
    assertEquals(
        -0f,
        ((float[]) parse("{\"instances\": [-2.2250738585072014e-308]}", t).inputs().get("d").data())
            [0]);
  }

  @Test
  void signatureNameAndBase64() {
    var r =
        parse(
            "{\"signature_name\": \"predict_images\", \"instances\": [[1,2]]}",
            types("default", DataType.DT_INT32));
    assertEquals("predict_images", r.signatureName());
    var s = types("default", DataType.DT_STRING);
    var b =
        parse("{\"instances\": [ { \"b64\" : \"aGVsbG8=\" }, { \"b64\": \"d29ybGQ=\" } ]}", s)
            .inputs()
            .get("default");
    assertArrayEquals(new long[] {2}, b.shape());
    assertEquals("hello", new String(((byte[][]) b.data())[0], StandardCharsets.UTF_8));
    var l =
        parse("{\"instances\": [ [{ \"b64\" : \"aGVsbG8=\" }], [{ \"b64\": \"d29ybGQ=\" }] ]}", s)
            .inputs()
            .get("default");
    assertArrayEquals(new long[] {2, 1}, l.shape());
    var n =
        parse(
                "{\"instances\": [{\"default\": [ [{ \"b64\" : \"aGVsbG8=\" }], [{ \"b64\":"
                    + " \"d29ybGQ=\" }] ]}]}",
                s)
            .inputs()
            .get("default");
    assertArrayEquals(new long[] {1, 2, 1}, n.shape());
    assertEquals("world", new String(((byte[][]) n.data())[1], StandardCharsets.UTF_8));
  }

  @Test
  void multipleNamedTensorsWithNaNAndInfinity() {
    var t =
        types(
            "int_tensor",
            DataType.DT_INT32,
            "str_tensor",
            DataType.DT_STRING,
            "float_tensor",
            DataType.DT_FLOAT,
            "dbl_tensor",
            DataType.DT_DOUBLE);
    var r =
        parse(
            "{\"instances\": [{\"int_tensor\": [[1,2],[3,4],[5,6]], \"str_tensor\": [\"foo\","
                + " \"bar\"], \"float_tensor\": [1.0, NaN], \"dbl_tensor\": [NaN]},"
                + " {\"int_tensor\": [[7,8],[9,0],[1,2]], \"str_tensor\": [\"baz\", \"bat\"],"
                + " \"float_tensor\": [2.0, Infinity], \"dbl_tensor\": [2.0]}]}",
            t);
    assertArrayEquals(new long[] {2, 3, 2}, r.inputs().get("int_tensor").shape());
    assertArrayEquals(new long[] {2, 2}, r.inputs().get("str_tensor").shape());
    assertArrayEquals(
        new float[] {1, Float.NaN, 2, Float.POSITIVE_INFINITY},
        (float[]) r.inputs().get("float_tensor").data());
    assertArrayEquals(new double[] {Double.NaN, 2}, (double[]) r.inputs().get("dbl_tensor").data());
  }

  @Test
  void columnarFormat() {
    var one = types("int_tensor", DataType.DT_INT32);
    var a = parse("{\"inputs\": {\"int_tensor\": [[[1,2],[3,4],[5,6]]]}}", one);
    assertEquals(PredictJson.Format.COLUMNAR, a.format());
    assertArrayEquals(new long[] {1, 3, 2}, a.inputs().get("int_tensor").shape());
    var b = parse("{\"inputs\": [[[1,2],[3,4],[5,6]]]}", one);
    assertArrayEquals(new long[] {1, 3, 2}, b.inputs().get("int_tensor").shape());
    var t =
        types(
            "int_tensor",
            DataType.DT_INT32,
            "str_tensor",
            DataType.DT_STRING,
            "bin_tensor",
            DataType.DT_STRING);
    var c =
        parse(
            "{\"inputs\": {\"int_tensor\": [[[1,2],[3,4],[5,6]]], \"str_tensor\": [\"foo\","
                + " \"bar\"], \"bin_tensor\": { \"b64\" : \"aGVsbG8=\" }}}",
            t);
    assertArrayEquals(new long[] {}, c.inputs().get("bin_tensor").shape());
    assertEquals(
        "hello",
        new String(((byte[][]) c.inputs().get("bin_tensor").data())[0], StandardCharsets.UTF_8));
  }

  @Test
  void singleUnnamedTensorErrors() {
    var t = types("default", DataType.DT_INT32);
    assertTrue(
        assertThrows(ServeException.class, () -> Json.parse(new byte[0], 0))
            .getMessage()
            .contains("document is empty"));
    assertTrue(
        error("{\"signature_name\": 5, \"instances\": [[1,2],[3,4],[5,6,7]]}", t)
            .contains("must be a string value"));
    assertTrue(
        error("{\"instances\": [[1,2],[3,4],[5,6,7]], \"inputs\": [[1,2],[3,4],[5,6,7]]}", t)
            .contains("Not formatted correctly"));
    assertTrue(
        error("{\"instances\": [[1,2],[3,4],[5,6,7]]}", t).contains("Expecting tensor size"));
    assertTrue(error("{\"instances\": [[1,2],[3,4],[[5,6]]]}", t).contains("Expecting shape"));
    assertTrue(error("{\"instances\": [1, [1]]}", t).contains("Expecting shape"));
    assertTrue(
        error("{\"instances\": [[1,2],[\"a\", \"b\"]]}", t).contains("not of expected type"));
    assertTrue(
        error("{\"instances\": [1.5]}", t).contains("Type: Number is not of expected type: int32"));
    assertTrue(error("{\"instances\": []}", t).contains("No values in 'instances' array"));
    assertTrue(error("{\"foo\": []}", t).contains("Missing 'inputs' or 'instances' key"));
    assertTrue(error("[1]", t).contains("Is not object"));
  }

  @Test
  void multipleNamedTensorErrors() {
    var t = types("int_tensor", DataType.DT_INT32, "str_tensor", DataType.DT_STRING);
    assertTrue(
        error(
                "{\"instances\": [{\"int_tensor\": [[1,2],[3,4],[5,6]], \"str_tensor\": [\"foo\","
                    + " \"bar\"]}, {\"int_tensor\": [[[7,8],[9,0],[1,2]]], \"str_tensor\":"
                    + " [\"baz\", \"bat\"]}]}",
                t)
            .contains("Expecting shape"));
    assertTrue(
        error(
                "{\"instances\": [{\"int_tensor\": [[1,2],[3,4],[5,6],[7,8]], \"str_tensor\":"
                    + " [\"foo\", \"bar\"]}, {\"int_tensor\": [[7,8],[9,0],[1,2]], \"str_tensor\":"
                    + " [\"baz\", \"bat\"]}]}",
                t)
            .contains("Expecting tensor size"));
    assertTrue(
        error(
                "{\"instances\": [{\"int_tensor\": [[1,2],[3,4],[5,6]], \"str_tensor\": [\"foo\","
                    + " \"bar\"]}, [1, 20, 30]]}",
                t)
            .contains("Expecting object but got list"));
    assertTrue(
        error(
                "{\"instances\": [[\"baz\", \"bar\"], {\"str_tensor\": [\"baz\", \"bat\"]}]}",
                types("str_tensor", DataType.DT_STRING))
            .contains("Expecting value/list but got object"));
    assertTrue(
        error("{\"instances\": [{\"int_tensor\": [1]}]}", t)
            .contains("keys must be equal to: int_tensor,str_tensor"));
  }

  static String json(SortedMap<String, TensorValue> m, PredictJson.Format f) {
    return Predictions.write(m, f);
  }

  static SortedMap<String, TensorValue> tensors(Object... nameValue) {
    SortedMap<String, TensorValue> m = new TreeMap<>();
    for (int i = 0; i < nameValue.length; i += 2)
      m.put((String) nameValue[i], (TensorValue) nameValue[i + 1]);
    return m;
  }

  @Test
  void tensorsToJson() {
    var ints =
        new TensorValue(
            DataType.DT_INT32,
            new long[] {2, 3, 2},
            new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2});
    assertEquals(
        JsonAssert.parse("{\"predictions\": [[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 0], [1, 2]]]}"),
        JsonAssert.parse(json(tensors("int_tensor", ints), PredictJson.Format.ROW)));
    assertEquals(
        JsonAssert.parse("{\"outputs\": [[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 0], [1, 2]]]}"),
        JsonAssert.parse(json(tensors("int_tensor", ints), PredictJson.Format.COLUMNAR)));
    var bytes =
        new TensorValue(
            DataType.DT_STRING,
            new long[] {2, 2},
            new byte[][] {
              "hello".getBytes(), "world".getBytes(), "tf".getBytes(), "serving".getBytes()
            });
    assertEquals(
        JsonAssert.parse(
            "{\"predictions\": [[{\"b64\": \"aGVsbG8=\"}, {\"b64\": \"d29ybGQ=\"}], [{\"b64\":"
                + " \"dGY=\"}, {\"b64\": \"c2VydmluZw==\"}]]}"),
        JsonAssert.parse(json(tensors("str_tensor_bytes", bytes), PredictJson.Format.ROW)));
    // several outputs: an object per row (row format), an object of tensors (columnar)
    var f = new TensorValue(DataType.DT_FLOAT, new long[] {2, 1}, new float[] {1, 2});
    var d = new TensorValue(DataType.DT_DOUBLE, new long[] {2}, new double[] {8, 9});
    assertEquals(
        JsonAssert.parse(
            "{\"predictions\": [{\"double_scalar_tensor\": 8.0, \"float_tensor\": [1.0]},"
                + " {\"double_scalar_tensor\": 9.0, \"float_tensor\": [2.0]}]}"),
        JsonAssert.parse(
            json(tensors("float_tensor", f, "double_scalar_tensor", d), PredictJson.Format.ROW)));
    assertEquals(
        JsonAssert.parse(
            "{\"outputs\": {\"double_scalar_tensor\": [8.0, 9.0], \"float_tensor\": [[1.0],"
                + " [2.0]]}}"),
        JsonAssert.parse(
            json(
                tensors("float_tensor", f, "double_scalar_tensor", d),
                PredictJson.Format.COLUMNAR)));
    var one = new TensorValue(DataType.DT_INT32, new long[] {1, 3}, new int[] {1, 2, 3});
    assertTrue(
        assertThrows(
                ServeException.class,
                () -> json(tensors("a", ints, "b", one), PredictJson.Format.ROW))
            .getMessage()
            .contains("inconsistent batch size"));
    assertTrue(
        assertThrows(ServeException.class, () -> json(tensors(), PredictJson.Format.ROW))
            .getMessage()
            .contains("empty tensor map"));
    var scalar = new TensorValue(DataType.DT_INT32, new long[] {}, new int[] {1});
    assertTrue(
        assertThrows(ServeException.class, () -> json(tensors("t", scalar), PredictJson.Format.ROW))
            .getMessage()
            .contains("no shape information"));
    assertEquals(
        JsonAssert.parse("{\"predictions\": []}"),
        JsonAssert.parse(
            json(
                tensors("t", new TensorValue(DataType.DT_INT32, new long[] {0, 2}, new int[0])),
                PredictJson.Format.ROW)));
  }

  @Test
  void writeDecimalDigitsAsTensorFlowServing() {
    var f =
        new TensorValue(
            DataType.DT_FLOAT,
            new long[] {2, 3},
            new float[] {9000000, 999999, 0.5f, .0003f, .00003f, 555557.5f});
    String out = json(tensors("float_tensor", f), PredictJson.Format.ROW);
    assertTrue(out.contains("[9e+06, 999999.0, 0.5], [0.0003, 3e-05, 555557.5]"), out);
    var n =
        new TensorValue(
            DataType.DT_FLOAT,
            new long[] {2, 2},
            new float[] {Float.NaN, Float.POSITIVE_INFINITY, 3, Float.NEGATIVE_INFINITY});
    assertTrue(
        json(tensors("float_tensor", n), PredictJson.Format.ROW)
            .contains("[[NaN, Infinity], [3.0, -Infinity]"));
    // rapidjson's pretty layout, as TensorFlow Serving's responses look
    assertEquals(
        "{\n    \"predictions\": [2.5, 3.0\n    ]\n}",
        json(
            tensors(
                "y", new TensorValue(DataType.DT_FLOAT, new long[] {2}, new float[] {2.5f, 3f})),
            PredictJson.Format.ROW));
    // %.9g when six digits do not read back as the same float; %.17g for doubles
    assertEquals("0.943127096", JsonOut.decimal(0.943127096f));
    assertEquals("0.1", JsonOut.decimal(0.1f));
    assertEquals("0.10000000000000002", JsonOut.decimal(Math.nextUp(0.1)));
    assertEquals("-0.0", JsonOut.decimal(-0f));
    assertEquals("1.4013e-45", JsonOut.decimal(Float.MIN_VALUE));
    // the fast path agrees with exact decimal arithmetic on many floats
    java.util.Random rnd = new java.util.Random(42);
    for (int i = 0; i < 200_000; i++) {
      float v = Float.intBitsToFloat(rnd.nextInt());
      if (Float.isNaN(v) || Float.isInfinite(v)) continue;
      String s = JsonOut.decimal(v);
      assertEquals(v, Float.parseFloat(s), s);
      String exact6 =
          new java.math.BigDecimal(v)
              .round(new java.math.MathContext(6, java.math.RoundingMode.HALF_EVEN))
              .toString();
      if (Float.parseFloat(exact6) == v)
        assertEquals(Float.parseFloat(exact6), Float.parseFloat(s), s);
    }
  }

  /**
   * The fast float writer (no BigDecimal, no reading back) writes what the exact path writes: on
   * floats of every exponent (random bits) and on ordinary magnitudes (Gaussians scaled by 1e-10 to
   * 1e9), negative, subnormal and whole ones included.
   */
  @Test
  void fastFloatDigitsEqualTheExactPaths() {
    java.util.Random r = new java.util.Random(11);
    int checked = 0;
    for (int i = 0; i < 400_000; i++) {
      float v =
          i % 2 == 0
              ? Float.intBitsToFloat(r.nextInt())
              : (float) (r.nextGaussian() * Math.pow(10, r.nextInt(20) - 10));
      if (i % 1000 == 0) v = Math.round(v * 1e4f) / 1e4f; // few digits: 6 read back
      if (Float.isNaN(v) || Float.isInfinite(v)) continue;
      assertEquals(
          JsonOut.decimalExact(v), JsonOut.decimal(v), "float bits " + Float.floatToRawIntBits(v));
      checked++;
    }
    assertTrue(checked > 390_000, "checked " + checked);
    for (float v :
        new float[] {1f, 10f, 123456f, 1234567f, 1e-4f, 9.99999e-5f, 1e9f, 0.5f, -2.5e-7f}) {
      assertEquals(JsonOut.decimalExact(v), JsonOut.decimal(v), Float.toString(v));
    }
  }

  @Test
  void examplesForClassifyAndRegress() throws Exception {
    String json =
        "{\"signature_name\": \"custom_signture\", \"context\": {\"query\": \"pizza\","
            + " \"location\": [\"sfo\"]}, \"examples\": [{\"names\": [\"foo\", \"bar\"],"
            + " \"ratings\": [8.0, 9.0, NaN, Infinity], \"age\": 20}, {\"names\": [\"baz\","
            + " {\"b64\": \"aGVsbG8=\"}], \"ratings\": 6.0, \"intboolmix\": [1, true, false]},"
            + " {\"names\": \"bar\", \"ratings\": -Infinity}]}";
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    var r = ExamplesJson.parse(Json.parse(b, b.length));
    assertEquals("custom_signture", r.signatureName());
    assertEquals(3, r.examples().length);
    Example e0 = Example.parseFrom(r.examples()[0]); // context merged in
    assertEquals(
        "pizza",
        e0.getFeatures().getFeatureOrThrow("query").getBytesList().getValue(0).toStringUtf8());
    assertEquals(20, e0.getFeatures().getFeatureOrThrow("age").getInt64List().getValue(0));
    assertEquals(
        Float.POSITIVE_INFINITY,
        e0.getFeatures().getFeatureOrThrow("ratings").getFloatList().getValue(3));
    Example e1 = Example.parseFrom(r.examples()[1]);
    assertEquals(
        "hello",
        e1.getFeatures().getFeatureOrThrow("names").getBytesList().getValue(1).toStringUtf8());
    assertEquals(
        java.util.List.of(1L, 1L, 0L),
        e1.getFeatures().getFeatureOrThrow("intboolmix").getInt64List().getValueList());
    String[][] errors = {
      {
        "{\"signature_name\": [\"hello\"], \"examples\": [{\"names\": [\"foo\"]}]}",
        "'signature_name' key must be a string"
      },
      {"{\"context\": [{\"names\": [\"foo\", \"bar\"]}]}", "Example must be JSON object"},
      {"{\"examples\": {\"names\": [\"foo\", \"bar\"]}}", "list/array"},
      {"{\"examples\": [[{\"names\": [\"foo\", \"bar\"]}]]}", "Example must be JSON object"},
      {
        "{\"examples\": [{\"names\": [10, null]}]}",
        "names has element with unexpected JSON type: Null"
      },
      {"{\"examples\": [{\"names\": [10, 10.0]}]}", "feature: names expecting type: int64"},
      {
        "{\"examples\": [{\"names\": [10, {\"test\": 10}]}]}",
        "names has element with unexpected JSON type: Object"
      },
      {
        "{\"examples\": [{\"names\": [[10], 20]}]}",
        "names has element with unexpected JSON type: Array"
      },
      {"{\"examples\": [{\"names\": [20, 18446744073709551603]}]}", "Only int64_t is supported"},
    };
    for (String[] c : errors) {
      byte[] x = c[0].getBytes(StandardCharsets.UTF_8);
      String m =
          assertThrows(ServeException.class, () -> ExamplesJson.parse(Json.parse(x, x.length)))
              .getMessage();
      assertTrue(m.contains(c[1]), m);
    }
  }

  @Test
  void fastPathGivesTheGeneralPathsTensorOrStandsAside() {
    var t = types("x", DataType.DT_FLOAT);
    for (String body :
        new String[] {
          "{\"instances\": [[1.0, 2.0], [3, -4.5e3]]}",
          "{\"instances\": [1.0, NaN, -Infinity], \"signature_name\": \"s\"}",
          "{\"signature_name\": \"s\", \"inputs\": [[[1], [2]], [[3], [4]]]}",
          "\n{ \"instances\" :[ [ -0 ,-0.0],[0e0, 1E+2] ] \t}",
          "{\"instances\": [1435774380, 1.7976931348623157e308]}"
        }) {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      var fast = FastPredict.parse(b, b.length);
      var general = parse(body, t);
      TensorValue g = general.inputs().get("x");
      TensorValue f = FastPredict.tensor(fast, DataType.DT_FLOAT);
      assertEquals(general.signatureName(), fast.signatureName(), body);
      assertEquals(general.format(), fast.format(), body);
      assertArrayEquals(g.shape(), f.shape(), body);
      assertArrayEquals((float[]) g.data(), (float[]) f.data(), body);
    }
    for (String body :
        new String[] {
          "{\"instances\": [[1.0], [1.0, 2.0]]}",
          "{\"instances\": [1, [1]]}",
          "{\"instances\": [[1], 1]}",
          "{\"instances\": []}",
          "{\"instances\": [[]]}",
          "{\"instances\": [\"a\"]}",
          "{\"instances\": [{\"x\": 1}]}",
          "{\"instances\": [1], \"inputs\": [1]}",
          "{\"instances\": [1], \"instances\": [2]}",
          "{\"signature_name\": 5, \"instances\": [1]}",
          "{\"inputs\": 1.0}",
          "{\"instances\": [1.0",
          "{\"instances\": [1], \"other\": {\"a\": [1]}}",
          "{\"instances\": [01]}",
          "{\"instances\": [1.]}",
          "{\"instances\": [.5]}",
          "{\"instances\": [+1]}",
          "{\"instances\": [1e]}",
          "{\"instances\": [1 2]}",
          "{\"instances\": [1,]}",
          "{\"instances\": [nan]}",
          "{\"signature_name\": \"a\\\"b\", \"instances\": [1]}",
          "{}",
          "[1]",
          ""
        }) {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      assertNull(FastPredict.parse(b, b.length), body);
    }
  }

  /**
   * The fast path computes numbers itself (Clinger's exact case, else {@code parseDouble}): on many
   * random literals of every JSON form its doubles equal the general path's bit for bit.
   */
  @Test
  void fastPathNumbersEqualTheGeneralPathsBitForBit() {
    var t = types("x", DataType.DT_DOUBLE);
    java.util.Random r = new java.util.Random(7);
    for (int body = 0; body < 200; body++) {
      StringBuilder b = new StringBuilder("{\"instances\": [");
      for (int k = 0; k < 100; k++) {
        if (k > 0) b.append(", ");
        b.append(randomLiteral(r));
      }
      String json = b.append("]}").toString();
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      var fast = FastPredict.parse(bytes, bytes.length);
      double[] g = (double[]) parse(json, t).inputs().get("x").data();
      double[] f = (double[]) FastPredict.tensor(fast, DataType.DT_DOUBLE).data();
      for (int k = 0; k < g.length; k++) {
        assertEquals(
            Double.doubleToRawLongBits(g[k]), Double.doubleToRawLongBits(f[k]), json + " #" + k);
      }
    }
  }

  private static String randomLiteral(java.util.Random r) {
    StringBuilder s = new StringBuilder();
    if (r.nextBoolean()) s.append('-');
    int intDigits = r.nextInt(4) == 0 ? 1 + r.nextInt(22) : 1 + r.nextInt(3);
    s.append(r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(9));
    if (s.charAt(s.length() - 1) != '0') {
      for (int i = 1; i < intDigits; i++) s.append(r.nextInt(10));
    }
    if (r.nextBoolean()) {
      s.append('.');
      int frac = 1 + r.nextInt(r.nextInt(4) == 0 ? 25 : 9);
      for (int i = 0; i < frac; i++) s.append(r.nextInt(10));
    }
    if (r.nextInt(3) == 0) {
      s.append(r.nextBoolean() ? 'e' : 'E');
      int sign = r.nextInt(3);
      if (sign > 0) s.append(sign == 1 ? '+' : '-');
      s.append(r.nextInt(r.nextInt(4) == 0 ? 400 : 30));
    }
    return s.toString();
  }

  @Test
  void errorBodies() {
    assertEquals(
        JsonAssert.parse("{ \"error\": \"Bad key: \\\"key\\\"\" }"),
        JsonAssert.parse(RestApi.error(400, "Bad key: \"key\"", "", "", "").body()));
    assertEquals(
        JsonAssert.parse("{ \"error\": \"Bad key: 'key'\" }"),
        JsonAssert.parse(RestApi.error(400, "Bad key: 'key'", "", "", "").body()));
  }
}
