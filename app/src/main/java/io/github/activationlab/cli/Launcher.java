package io.github.activationlab.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Quiet by default: {@link Main#main} runs the command line in a child JVM whose stderr passes
 * through {@link NativeLogFilter}, so TensorFlow's native log lines never reach the terminal.
 *
 * <p>Why a child: the native library reads {@code TF_CPP_MIN_LOG_LEVEL} from the process
 * environment (Java cannot set its own), part of its lines are printed while it loads, and the
 * absl-style lines ({@code I0000 ...}) ignore that variable; TF-Java 1.1.0's C API has no call that
 * silences them ({@code TF_RegisterLogListener} adds a listener, stderr still gets every line).
 *
 * <p>The child: the same {@code java}, the classpath this JVM loaded {@link Main} from (the jar or
 * {@code java -cp}: {@code java.class.path}; under {@code exec:java}, Maven's JVM, the URLs of the
 * project's class loader), this JVM's own options when it was started for the CLI (not Maven's),
 * the same arguments; its environment has the native settings of {@link #NATIVE_ENV} where the user
 * set none, and {@code ACTIVATIONLAB_CHILD=<parent pid>}. Stdin and stdout are inherited; stderr is
 * filtered; the parent exits with the child's code. The child never outlives the parent: a shutdown
 * hook stops it when the parent is terminated (SIGTERM, Ctrl-C), and the child exits on its own
 * when its parent disappears (SIGKILL).
 *
 * <p>It runs in this process instead — every native line visible — when {@code
 * ACTIVATIONLAB_NATIVE_LOG=1}, when this JVM is the child, when a debugger is attached (the user
 * debugs this JVM), or when the classpath cannot be told (an unknown class loader); and for {@code
 * --help} and {@code --version}, which load no TensorFlow. This class loads no TensorFlow class.
 */
final class Launcher {
  /** Set in the child's environment: the parent's pid. */
  static final String CHILD_ENV = "ACTIVATIONLAB_CHILD";

  /** {@code ACTIVATIONLAB_NATIVE_LOG=1}: no child, TensorFlow's native log lines are shown. */
  static final String NATIVE_LOG_ENV = "ACTIVATIONLAB_NATIVE_LOG";

  static final String TF_LOG_LEVEL_ENV = "TF_CPP_MIN_LOG_LEVEL";

  /**
   * The native library's settings the child runs with (each unless the user set its variable), read
   * by TensorFlow from the environment at start-up:
   *
   * <ul>
   *   <li>{@code TF_CPP_MIN_LOG_LEVEL=2}: fewer native log lines to filter;
   *   <li>{@code XLA_FLAGS=--xla_cpu_use_thunk_runtime=false}: XLA's CPU code without the thunk
   *       runtime, which TF 2.18 (TF-Java 1.1.0) made the default and which costs about 1 us per
   *       step of the fused fit's loop (measured: the XOR MLP's fit 2.5 -> 1.2 us/step; the same
   *       numbers);
   *   <li>{@code TF_ENABLE_ONEDNN_OPTS=0}: Eigen's kernels instead of oneDNN's, which are chosen by
   *       the CPU's instruction set at run time (the same model gives other last bits on another
   *       CPU) and which give float32 MatMul other kernels in the main graph than in a loop body;
   *       for these tiny models Eigen is also faster (the notebook 43 -> 34 s).
   * </ul>
   *
   * In-process runs (tests, library use, {@code ACTIVATIONLAB_NATIVE_LOG=1}) get the same with
   * these variables set in their environment (the pom's surefire configuration does).
   */
  static final Map<String, String> NATIVE_ENV =
      Map.of(
          TF_LOG_LEVEL_ENV,
          "2",
          "XLA_FLAGS",
          "--xla_cpu_use_thunk_runtime=false",
          "TF_ENABLE_ONEDNN_OPTS",
          "0");

  /** How long the filter may hold back the start of a line that looks like a native log line. */
  static final long HOLD_MILLIS = 50;

  /** How often the child checks that its parent is alive. */
  static final long PARENT_POLL_MILLIS = 200;

  private Launcher() {}

  /** The child's command line, and whether it carries this JVM's own options. */
  record Child(List<String> command, boolean jvmOptionsForwarded) {}

  /**
   * Runs {@code main} with {@code args} in a quiet child JVM and returns its exit code; empty when
   * the command line should run in this process (see the class comment).
   */
  static OptionalInt runInChild(Class<?> main, String[] args) {
    if (isSet(System.getenv(NATIVE_LOG_ENV)) || System.getenv(CHILD_ENV) != null)
      return OptionalInt.empty();
    if (asksForHelp(args))
      return OptionalInt.empty(); // help and version load no TensorFlow: no second JVM
    Child child = child(main, args);
    if (child == null) return OptionalInt.empty();
    try {
      return OptionalInt.of(run(child, System.err));
    } catch (IOException e) {
      return OptionalInt.empty(); // could not start a JVM: run here, logs and all
    }
  }

  /** The child JVM for {@code main} and {@code args}, or null to run in this process. */
  static Child child(Class<?> main, String[] args) {
    List<String> jvmArgs = inputArguments();
    if (jvmArgs.stream().anyMatch(Launcher::isDebugAgent)) return null;
    List<String> options = new ArrayList<>();
    String classPath;
    boolean forwarded;
    ClassLoader loader = main.getClassLoader();
    if (loader == ClassLoader.getSystemClassLoader()) { // java -jar, java -cp: this JVM is ours
      classPath = System.getProperty("java.class.path");
      options.addAll(jvmArgs);
      forwarded = true;
    } else if (loader
        instanceof URLClassLoader urls) { // exec:java: Maven's JVM, the project's loader
      classPath = classPath(urls.getURLs());
      for (String name : new TreeSet<>(System.getProperties().stringPropertyNames())) {
        if (name.startsWith("activationlab."))
          options.add("-D" + name + "=" + System.getProperty(name));
      }
      forwarded = false;
    } else {
      return null;
    }
    if (classPath == null || classPath.isEmpty()) return null;
    String encoding = System.getProperty("sun.stderr.encoding"); // the terminal's, if stderr is one
    if (encoding != null) options.add("-Dsun.stderr.encoding=" + encoding);
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(options);
    command.add("-cp");
    command.add(classPath);
    command.add(main.getName());
    command.addAll(List.of(args));
    return new Child(command, forwarded);
  }

  /** Starts the child, filters its stderr into {@code err}, and returns its exit code. */
  static int run(Child child, OutputStream err) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(child.command())
            .redirectInput(Redirect.INHERIT)
            .redirectOutput(Redirect.INHERIT)
            .redirectError(Redirect.PIPE);
    Map<String, String> env = pb.environment();
    env.put(CHILD_ENV, Long.toString(ProcessHandle.current().pid()));
    NATIVE_ENV.forEach(env::putIfAbsent); // the user's own values win
    env.remove(NATIVE_LOG_ENV);
    if (child.jvmOptionsForwarded()) {
      // already among the forwarded options: the child would apply them (and say so) twice
      env.remove("JAVA_TOOL_OPTIONS");
      env.remove("JDK_JAVA_OPTIONS");
    }
    Process process = pb.start();
    NativeLogFilter filter = new NativeLogFilter(err);
    Thread pump = new Thread(() -> pump(process.getErrorStream(), filter), "activation-lab-stderr");
    pump.setDaemon(true);
    pump.start();
    Thread hook = new Thread(() -> stop(process, pump), "activation-lab-stop-child");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      int code = process.waitFor();
      pump.join(5000);
      return code;
    } catch (InterruptedException e) {
      stop(process, pump);
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run
      }
    }
  }

  /**
   * Copies the child's stderr through the filter. A line start that may be a native log line is
   * held back until the rest of it arrives, or until the child has written nothing for {@link
   * #HOLD_MILLIS} (the native library writes each line whole).
   */
  static void pump(InputStream in, NativeLogFilter filter) {
    byte[] buffer = new byte[64 * 1024];
    try (filter) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        filter.write(buffer, 0, n);
        if (filter.holding()) {
          long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS);
          while (in.available() == 0 && System.nanoTime() < deadline) Thread.sleep(2);
          if (in.available() == 0) filter.release();
        }
        filter.flush();
      }
    } catch (IOException | InterruptedException e) {
      // the child is gone, or we are shutting down
    }
  }

  /** Terminates the child (SIGTERM, then SIGKILL) and lets its last stderr through. */
  private static void stop(Process process, Thread pump) {
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(2, TimeUnit.SECONDS);
        }
      }
      pump.join(1000);
    } catch (InterruptedException e) {
      process.destroyForcibly();
    }
  }

  /**
   * In the child: exits when the parent disappears (it was killed with SIGKILL and could not stop
   * us). A marker that does not name our parent (set by hand) is ignored.
   */
  static void exitWithParent() {
    String marker = System.getenv(CHILD_ENV);
    if (marker == null) return;
    long pid;
    try {
      pid = Long.parseLong(marker.trim());
    } catch (NumberFormatException e) {
      return;
    }
    Optional<ProcessHandle> parent = ProcessHandle.current().parent().filter(p -> p.pid() == pid);
    if (parent.isEmpty()) {
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) return; // not our parent
      System.exit(1); // the parent died while this JVM started
    }
    ProcessHandle p = parent.get();
    Thread watch =
        new Thread(
            () -> {
              try {
                while (p.isAlive()) Thread.sleep(PARENT_POLL_MILLIS);
              } catch (InterruptedException e) {
                return;
              }
              System.exit(1);
            },
            "activation-lab-parent-watch");
    watch.setDaemon(true);
    watch.start();
  }

  /** picocli's help and version options: answered without running a command. */
  static boolean asksForHelp(String[] args) {
    for (String a : args) {
      if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version"))
        return true;
    }
    return false;
  }

  private static boolean isSet(String v) {
    return v != null
        && !v.isBlank()
        && !v.strip().equals("0")
        && !v.strip().equalsIgnoreCase("false");
  }

  private static boolean isDebugAgent(String jvmArg) {
    return jvmArg.startsWith("-agentlib:jdwp") || jvmArg.startsWith("-Xrunjdwp");
  }

  private static List<String> inputArguments() {
    try {
      return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
    } catch (LinkageError | SecurityException e) { // a runtime without java.management
      return List.of();
    }
  }

  private static String classPath(URL[] urls) {
    List<String> entries = new ArrayList<>();
    for (URL u : urls) {
      if (!"file".equals(u.getProtocol())) return null;
      try {
        entries.add(Path.of(u.toURI()).toString());
      } catch (URISyntaxException | IllegalArgumentException e) {
        return null;
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static String javaExecutable() {
    Path java =
        Path.of(
            System.getProperty("java.home"),
            "bin",
            System.getProperty("os.name").startsWith("Windows") ? "java.exe" : "java");
    if (Files.isExecutable(java)) return java.toString();
    return ProcessHandle.current().info().command().orElse("java");
  }
}
