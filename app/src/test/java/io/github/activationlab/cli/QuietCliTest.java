package io.github.activationlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real CLI as a user starts it ({@code java -cp ... Main ...}), in an environment without
 * TF_CPP_MIN_LOG_LEVEL (surefire sets it for the tests): no native log line on stderr, an error is
 * one line, and the child JVM never outlives the one the user started.
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
    env.remove("TF_CPP_MIN_LOG_LEVEL"); // a fresh shell
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
          NativeLogFilter.NATIVE_LINE.matcher(l + "\n").matches(),
          "not recognised as native: " + l);
    }
  }

  @Test
  void killingTheParentLeavesNoChild() throws Exception {
    stopParentMidRun(Process::destroyForcibly, false); // SIGKILL: the child notices and exits
  }

  @Test
  void terminatingTheParentStopsTheChild() throws Exception {
    // SIGTERM: the parent's shutdown hook stops the child, and waits for it
    stopParentMidRun(Process::destroy, true);
  }

  /**
   * Starts a long run, waits for its first output line (the child is working), stops the parent.
   */
  void stopParentMidRun(Consumer<Process> stop, boolean childEndsFirst) throws Exception {
    Process parent =
        cli(Map.of(), "perceptron", "--epochs", "2000000000", "--graphs", tmp.toString()).start();
    List<ProcessHandle> children = new ArrayList<>();
    try {
      parent.getOutputStream().close();
      var stdout =
          new BufferedReader(
              new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
      var first =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return stdout.readLine();
                } catch (IOException e) {
                  return "read failed: " + e;
                }
              });
      assertEquals("# OR gate [0.0, 1.0, 1.0, 1.0]", first.get(60, TimeUnit.SECONDS));
      children.addAll(parent.toHandle().children().toList());
      assertEquals(1, children.size(), "one child JVM");
      ProcessHandle child = children.get(0);
      assertTrue(child.isAlive());
      assertTrue(
          child.info().arguments().map(a -> List.of(a).contains(Main.class.getName())).orElse(true),
          "the child runs Main");
      stop.accept(parent);
      assertTrue(parent.waitFor(30, TimeUnit.SECONDS), "the parent ended");
      if (childEndsFirst) assertFalse(child.isAlive(), "the parent ended before its child");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (child.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
      assertFalse(child.isAlive(), "the child JVM outlived its parent");
    } finally {
      children.forEach(ProcessHandle::destroyForcibly);
      kill(parent);
    }
  }

  static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }
}
