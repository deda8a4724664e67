package io.github.activationlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real CLI as a user starts it ({@code java -cp ... Main ...}), in an environment without
 * TensorFlow's variables (surefire sets them for the tests): no native log line on stderr, an error
 * is one line.
 */
class QuietCliTest {
  static final String KERAS = "../core/src/test/resources/keras-xor-mlp";

  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  static ProcessBuilder cli(Map<String, String> extraEnv, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    for (String k : List.of("TF_CPP_MIN_LOG_LEVEL", "XLA_FLAGS", "TF_ENABLE_ONEDNN_OPTS"))
      env.remove(k); // a fresh shell
    env.keySet().removeIf(k -> k.startsWith("ACTIVATIONLAB_"));
    env.putAll(extraEnv);
    return pb;
  }

  static Run run(Map<String, String> env, String... args) throws Exception {
    Process p = cli(env, args).start();
    try {
      p.getOutputStream().close();
      var out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      var err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the CLI did not finish");
      return new Run(p.exitValue(), out.get(), err.get());
    } finally {
      kill(p);
    }
  }

  static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void predictPrintsItsResultAndNothingOnStderr() throws Exception {
    Run r = run(Map.of(), "predict", "--model", KERAS, "--input", "0,1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("0.0,1.0 -> 0.94"), r.out());
    assertEquals("", r.err(), "stderr must be empty (no TensorFlow native log line)");
  }

  @Test
  void aWrongColumnCountIsOneLineOnStderr() throws Exception {
    Run r = run(Map.of(), "predict", "--model", KERAS, "--input", "0,1,1");
    assertEquals(1, r.code(), r.err());
    assertEquals(
        "error: input row 1 has 3 columns; the model's input 'features' takes 2"
            + System.lineSeparator(),
        r.err());
    assertEquals("", r.out());
  }

  @Test
  void theOptOutShowsTheNativeLinesTheFilterHides() throws Exception {
    // the control: in this environment TensorFlow does log, so the two tests above can fail
    Run r =
        run(Map.of("ACTIVATIONLAB_NATIVE_LOG", "1"), "predict", "--model", KERAS, "--input", "0,1");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.err().lines().toList();
    assertTrue(lines.size() >= 5, r.err());
    assertTrue(
        lines.stream().anyMatch(l -> l.contains("tensorflow/cc/saved_model/loader.cc")), r.err());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("I0000 ")), r.err());
    for (String l : lines) {
      assertTrue(
          l.matches(
              "^(\\d{4}-\\d{2}-\\d{2} [\\d:.]+: [IWE] |[IWE]\\d{4} |WARNING: All log messages"
                  + " before absl|To enable the following instructions).*"),
          "not a native log line: " + l);
    }
  }

  static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }
}
