package io.github.activationlab.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The stderr filter: TensorFlow's native log lines go, everything else passes at once, byte for
 * byte.
 */
class NativeLogFilterTest {
  /** What TF-Java 1.1.0 prints on stderr (predict, activations, the XLA loop), verbatim. */
  static final List<String> NATIVE =
      List.of(
          "2026-11-29 05:32:49.091203: I tensorflow/core/util/port.cc:153] oneDNN custom operations"
              + " are on. You may see slightly different numerical results due to floating-point"
              + " round-off errors from different computation orders. To turn them off, set the"
              + " environment variable `TF_ENABLE_ONEDNN_OPTS=0`.",
          "2026-11-29 05:34:45.334473: I tensorflow/cc/saved_model/reader.cc:83] Reading SavedModel"
              + " from: src/test/resources/keras-xor-mlp/1",
          "2026-11-29 05:34:45.335242: I tensorflow/cc/saved_model/reader.cc:52] Reading meta graph"
              + " with tags { serve }",
          "2026-11-29 05:34:45.335379: I tensorflow/core/platform/cpu_feature_guard.cc:210] This"
              + " TensorFlow binary is optimized to use available CPU instructions in"
              + " performance-critical operations.",
          "To enable the following instructions: AVX2 AVX512F AVX512_VNNI AVX512_BF16 AVX_VNNI FMA,"
              + " in other operations, rebuild TensorFlow with the appropriate compiler flags.",
          "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
          "I0000 00:00:1795930369.746315    3166 mlir_graph_optimization_pass.cc:401] MLIR V1"
              + " optimization pass is not enabled",
          "2026-11-29 05:32:50.079958: I"
              + " /home/runner/work/java/java/tensorflow-core/tensorflow-core-native/src/main/native/org/tensorflow/internal/c_api/tfj_gradients_impl.cc:64]"
              + " Calling Java gradient function for operation of type Erfc",
          "I0000 00:00:1795930383.275048    3172 service.cc:148] XLA service 0x7fcc1803fb00"
              + " initialized for platform Host (this does not guarantee that XLA will be used)."
              + " Devices:",
          "I0000 00:00:1795930383.275136    3172 service.cc:156]   StreamExecutor device (0): Host,"
              + " Default Version",
          "2026-11-29 05:33:03.302865: I"
              + " tensorflow/compiler/mlir/tensorflow/utils/dump_mlir_util.cc:268] disabling MLIR"
              + " crash reproducer, set env var `MLIR_CRASH_REPRODUCER_DIRECTORY` to enable.",
          "I0000 00:00:1795930383.524724    3172 device_compiler.h:188] Compiled cluster using XLA!"
              + "  This line is logged at most once for the lifetime of the process.",
          "2026-11-29 05:34:45.390278: I tensorflow/cc/saved_model/loader.cc:466] SavedModel load"
              + " for tags { serve }; Status: success: OK. Took 55823 microseconds.",
          "2026-11-29 05:40:01.000001: W tensorflow/core/framework/op_kernel.cc:1857] OP_REQUIRES"
              + " failed at x.cc:1",
          "2026-11-29 05:40:01.000002: E tensorflow/core/framework/op_kernel.cc:1857] some error",
          "W1129 05:40:01.000003  4242 some_file.cc:7] an absl warning after InitializeLog",
          "E0000 00:00:1795930383.524725    3172 some_file.cc:9] an absl error");

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final NativeLogFilter filter = new NativeLogFilter(out);

  void write(String s) throws IOException {
    filter.write(s.getBytes(StandardCharsets.UTF_8));
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void dropsEveryNativeLine() throws IOException {
    for (String line : NATIVE) {
      write(line + "\n");
      assertEquals("", out(), line);
      assertFalse(filter.holding(), line);
    }
    write(String.join("\n", NATIVE) + "\n"); // all at once, as one read of the pipe may bring them
    filter.close();
    assertEquals("", out());
  }

  @Test
  void dropsNativeLinesWhateverTheWriteBoundaries() throws IOException {
    byte[] all = (String.join("\n", NATIVE) + "\n").getBytes(StandardCharsets.UTF_8);
    for (byte b : all) filter.write(b);
    write(String.join("\r\n", NATIVE) + "\r\n"); // CRLF (Windows)
    filter.close();
    assertEquals("", out());
  }

  @Test
  void passesTheRestUnchangedAndInOrder() throws IOException {
    String mixed =
        NATIVE.get(0)
            + "\nerror: input row 1 has 3 columns; the model's input 'features' takes 2\n"
            + NATIVE.get(5)
            + "\n"
            + NATIVE.get(6)
            + "\n"
            + "Usage: activation-lab predict [-hV] --model=DIR\n"
            + "WARNING: An illegal reflective access operation has occurred\n"
            + "To enable something else: not TensorFlow's line\n"
            + "2026-11-29 is a date, not a log line\n"
            + "I0000 is not a log line either\n"
            + "Exception in thread \"main\" java.lang.IllegalStateException: boom\n"
            + "\tat x.y(Z.java:1)\n"
            + "ünïcödé ✓ bytes\n"
            + NATIVE.get(12)
            + "\n";
    write(mixed);
    filter.close();
    assertEquals(
        "error: input row 1 has 3 columns; the model's input 'features' takes 2\n"
            + "Usage: activation-lab predict [-hV] --model=DIR\n"
            + "WARNING: An illegal reflective access operation has occurred\n"
            + "To enable something else: not TensorFlow's line\n"
            + "2026-11-29 is a date, not a log line\n"
            + "I0000 is not a log line either\n"
            + "Exception in thread \"main\" java.lang.IllegalStateException: boom\n"
            + "\tat x.y(Z.java:1)\n"
            + "ünïcödé ✓ bytes\n",
        out());
  }

  @Test
  void keepsFatalLines() throws IOException {
    String fatal =
        "F0000 00:00:1795930383.524724    3172 check.cc:12] Check failed: x == y\n"
            + "2026-11-29 05:32:49.091203: F tensorflow/core/framework/tensor.cc:844] Check failed:"
            + " dtype() == expected\n";
    write(fatal);
    assertEquals(fatal, out());
  }

  @Test
  void anErrorLineIsWrittenBeforeItsNewline() throws IOException {
    write("error: input row 1 has 3 columns");
    assertEquals("error: input row 1 has 3 columns", out(), "no waiting for the end of the line");
    write("; the model's input 'features' takes 2\n");
    assertEquals("error: input row 1 has 3 columns; the model's input 'features' takes 2\n", out());
  }

  @Test
  void progressBarSegmentsPassAtOnceByteForByte() throws IOException {
    // me.tongfei progressbar (ASCII style): '\r' + the redrawn line, no newline until the end
    String[] frames = {
      "\rfit   0% [          ]    0/1000 epochs (0:00:00 / ?) ",
      "\rfit  10% [=>        ]  100/1000 epochs (0:00:01 / 0:00:09) loss 0.2500, accuracy 0.50",
      "\rfit 100% [==========] 1000/1000 epochs (0:00:10 / 0:00:00) loss 0.003400, accuracy 1.00"
    };
    StringBuilder expected = new StringBuilder();
    for (String f : frames) {
      write(f);
      expected.append(f);
      assertEquals(expected.toString(), out(), "shown as soon as written");
      assertFalse(filter.holding());
    }
    // a frame that starts like a native log line is held back only until it cannot be one...
    write("\r2");
    assertEquals(expected + "\r", out());
    assertTrue(filter.holding());
    write("0 epochs left");
    expected.append("\r20 epochs left");
    assertEquals(expected.toString(), out());
    // ...or until release() (the launcher: nothing more came for a moment)
    write("\rE");
    assertTrue(filter.holding());
    filter.release();
    write("TA 0:00:01");
    expected.append("\rETA 0:00:01");
    assertEquals(expected.toString(), out());
    write("\n");
    expected.append("\n");
    filter.close();
    assertArrayEquals(expected.toString().getBytes(StandardCharsets.UTF_8), out.toByteArray());
  }

  @Test
  void aNativeLineBetweenProgressFramesGoesAndTheFramesStay() throws IOException {
    write("\rfit  10% [=>  ]");
    write("\n" + NATIVE.get(11) + "\n");
    write("\rfit  20% [==> ]");
    filter.close();
    assertEquals("\rfit  10% [=>  ]\n\rfit  20% [==> ]", out());
  }

  @Test
  void closeReleasesAHeldLineStart() throws IOException {
    write("I"); // e.g. the start of "I am ..." that the stream ended with
    assertEquals("", out());
    assertTrue(filter.holding());
    filter.close();
    assertEquals("I", out());
    assertFalse(filter.holding());
  }

  @Test
  void aHeldLineStartThatTurnsOutNotToBeALogLinePasses() throws IOException {
    write("I");
    write(" am not a log line\n" + NATIVE.get(6) + "\n" + "done\n");
    assertEquals("I am not a log line\ndone\n", out());
  }
}
