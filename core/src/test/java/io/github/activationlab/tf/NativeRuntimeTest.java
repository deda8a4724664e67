package io.github.activationlab.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * An application that embeds the library gets the CLI's settings and no native log line, in its own
 * process, started from a shell without TensorFlow's variables — and the controls show that
 * TensorFlow does log and run with other settings there when the library does not step in.
 */
class NativeRuntimeTest {
  static final String SAVED_MODEL = "src/test/resources/keras-xor-mlp";

  record Run(int code, String out, String err) {}

  static Run run(List<String> jvm, String classPath, Map<String, String> env, String... args)
      throws Exception {
    List<String> c = new ArrayList<>();
    c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    c.addAll(jvm);
    c.add("-cp");
    c.add(classPath);
    c.add(EmbeddingProcess.class.getName());
    c.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(c);
    pb.environment().keySet().removeIf(k -> NativeRuntime.SETTINGS.containsKey(k));
    pb.environment().keySet().removeIf(k -> k.startsWith("ACTIVATIONLAB_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    var out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    var err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the application did not finish");
    return new Run(p.exitValue(), out.get(), err.get());
  }

  static Run run(Map<String, String> env, String... args) throws Exception {
    return run(List.of(), System.getProperty("java.class.path"), env, args);
  }

  /** The application on the test class path with one system property set. */
  static Run runWith(String property, String value) throws Exception {
    return run(
        List.of("-D" + property + "=" + value),
        System.getProperty("java.class.path"),
        Map.of(),
        SAVED_MODEL);
  }

  static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void anEmbeddingApplicationGetsTheSettingsAndNoNativeLine() throws Exception {
    Run r = run(Map.of(), SAVED_MODEL);
    assertEquals(0, r.code(), r.err());
    assertEquals(
        "stderr of the application itself" + System.lineSeparator(),
        r.err(),
        "no native log line, the application's own stderr intact");
    assertTrue(r.out().startsWith("applied=true quiet=true"), r.out());
    assertTrue(
        r.out()
            .contains(
                "env={TF_CPP_MIN_LOG_LEVEL=2, XLA_FLAGS=--xla_cpu_use_thunk_runtime=false,"
                    + " TF_ENABLE_ONEDNN_OPTS=0, TF_CPU_ALLOCATOR_USE_BFC=true}"),
        r.out());
    assertTrue(r.out().endsWith("javacppMaxPhysicalBytes=0" + System.lineSeparator()), r.out());
  }

  @Test
  void theUsersOwnValuesWinAndXlaFlagsAreAppended() throws Exception {
    Run r =
        run(
            Map.of("TF_ENABLE_ONEDNN_OPTS", "1", "XLA_FLAGS", "--xla_cpu_enable_fast_math=false"),
            SAVED_MODEL);
    assertEquals(0, r.code(), r.err());
    assertTrue(
        r.out()
            .contains(
                "XLA_FLAGS=--xla_cpu_enable_fast_math=false --xla_cpu_use_thunk_runtime=false,"
                    + " TF_ENABLE_ONEDNN_OPTS=1, TF_CPU_ALLOCATOR_USE_BFC=true}"),
        r.out());
    // oneDNN on says so at INFO, which the log level hides
    assertEquals("stderr of the application itself" + System.lineSeparator(), r.err());
    Run own = runWith(NativeRuntime.JAVACPP_MAX_PHYSICAL_BYTES, "12345678901");
    assertEquals(0, own.code(), own.err());
    assertTrue(own.out().contains("notes=[] javacppMaxPhysicalBytes=12345678901"), own.out());
  }

  @Test
  void controlWithTheNativeLogShownTensorFlowDoesLog() throws Exception {
    Run r = run(Map.of("ACTIVATIONLAB_NATIVE_LOG", "1"), SAVED_MODEL);
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.err().lines().toList();
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("I0000 ")), r.err());
    assertTrue(lines.stream().anyMatch(l -> l.contains("saved_model/loader.cc")), r.err());
    assertTrue(r.out().startsWith("applied=true quiet=false"), r.out());
    assertTrue(r.out().contains("TF_CPP_MIN_LOG_LEVEL=null"), r.out());
  }

  @Test
  void controlWithTensorFlowsDefaultsOneDnnIsOnAndSaysSo() throws Exception {
    Run r = runWith(NativeRuntime.DEFAULTS_PROPERTY, "false");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("oneDNN custom operations are on"), r.err());
    assertTrue(r.out().startsWith("applied=false"), r.out());
    assertTrue(r.out().contains("XLA_FLAGS=null"), r.out());
    assertFalse(r.out().contains("javacppMaxPhysicalBytes=0"), r.out()); // JavaCPP's default
  }

  @Test
  void tensorFlowLoadedFirstIsReportedOnce() throws Exception {
    Run r = run(Map.of(), SAVED_MODEL, "tf-first");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("applied=false quiet=false"), r.out());
    assertTrue(r.out().contains("TensorFlow was loaded before activation-lab"), r.out());
    assertTrue(r.out().contains("JavaCPP was initialized before activation-lab"), r.out());
    long warnings = r.err().lines().filter(l -> l.contains("TensorFlow was loaded before")).count();
    assertEquals(1, warnings, r.err());
  }

  @Test
  void withoutTheNativeArtifactOneLineNamesIt() throws Exception {
    String cp =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> !e.matches(".*tensorflow-core-native-[0-9.]+-[a-z0-9_-]+\\.jar"))
            .collect(Collectors.joining(File.pathSeparator));
    assertFalse(cp.equals(System.getProperty("java.class.path")), "the native jar was removed");
    Run r = run(List.of(), cp, Map.of(), SAVED_MODEL);
    assertEquals(1, r.code(), r.out());
    String platform = org.bytedeco.javacpp.Loader.getPlatform();
    assertTrue(
        r.err()
            .contains(
                "MissingNativeLibraryException: TensorFlow's native library for "
                    + platform
                    + " is not on the class path: add org.tensorflow:tensorflow-core-native:"
                    + NativeRuntime.TENSORFLOW_JAVA_VERSION
                    + " with classifier "
                    + platform),
        r.err());
    assertFalse(r.err().contains("UnsatisfiedLinkError: "), "the cause is no longer the headline");
  }

  @Test
  void wantedMergesXlaFlags() {
    assertEquals("2", NativeRuntime.wanted("TF_CPP_MIN_LOG_LEVEL", null, "2"));
    assertEquals("0", NativeRuntime.wanted("TF_CPP_MIN_LOG_LEVEL", "0", "2"));
    assertEquals(
        "--a --xla_cpu_use_thunk_runtime=false",
        NativeRuntime.wanted("XLA_FLAGS", "--a", "--xla_cpu_use_thunk_runtime=false"));
    assertEquals(
        "--xla_cpu_use_thunk_runtime=true",
        NativeRuntime.wanted(
            "XLA_FLAGS", "--xla_cpu_use_thunk_runtime=true", "--xla_cpu_use_thunk_runtime=false"));
  }
}
