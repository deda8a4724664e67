package io.github.activationlab.tf;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.Loader;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * TensorFlow's native library as this library runs it: fast and quiet in any application, with no
 * launcher and no setup call. Every class of this library that builds a graph or loads a model
 * calls {@link #load()} first, so an application gets, in its own process:
 *
 * <ul>
 *   <li>{@code XLA_FLAGS=--xla_cpu_use_thunk_runtime=false}: XLA's CPU code without the thunk
 *       runtime that TF 2.18 (TF Java 1.1.0) made the default, which costs about 1 us per step of
 *       the fused fit's loop (the XOR MLP's fit: 1.27 -> 0.21 us/step on this machine);
 *   <li>{@code TF_ENABLE_ONEDNN_OPTS=0}: Eigen's kernels instead of oneDNN's, which are chosen by
 *       the CPU's instruction set at run time and give float32 MatMul other kernels in the main
 *       graph than in a loop body; for these small models Eigen is also faster;
 *   <li>{@code TF_CPU_ALLOCATOR_USE_BFC=true}: TensorFlow's pooling (BFC) allocator for the tensors
 *       of its CPU device, as oneDNN's allocator pools them when oneDNN is on. With oneDNN off,
 *       TensorFlow allocates with {@code malloc}, and glibc may hand a freed block of megabytes
 *       back to the system and fault its pages in again on the next call: on some VMs every call
 *       with 4 MB tensors then took 10-20 ms instead of 1.5 ms. Pooled, the memory stays with the
 *       process (its resident size does not shrink after a peak);
 *   <li>{@code TF_CPP_MIN_LOG_LEVEL=2}: TensorFlow's own log lines below ERROR are not printed;
 *   <li>the system property {@code org.bytedeco.javacpp.maxPhysicalBytes=0}: JavaCPP (under TF
 *       Java) otherwise reads the process's resident size from {@code /proc/self/statm}, under one
 *       lock for the whole process, at every native object it allocates (tensors, statuses,
 *       buffers: a dozen per {@code Session.run}), to call {@code System.gc()} when it grows past a
 *       bound. Every native object here is closed when used, so the check only costs: a 1-row
 *       predict took 101-118 us with it and 58-81 us without on this machine, and with 16 threads
 *       the lock queued them. JavaCPP's other bound ({@code maxBytes}, on the bytes its objects
 *       hold) stays. Set before JavaCPP initializes (a value the user gave is kept); {@link
 *       Status#notes()} says if JavaCPP was initialized first;
 *   <li>absl's log lines ({@code I0000 ... service.cc:148] XLA service ... initialized}), which
 *       ignore {@code TF_CPP_MIN_LOG_LEVEL} and for which TF Java 1.1.0 has no switch: TensorFlow
 *       prints each of them once per process, on its first session run and its first XLA compile,
 *       so {@code load()} runs one tiny XLA-compiled function right after loading the library with
 *       file descriptor 2 routed through a filter that drops TensorFlow's log lines and passes
 *       every other byte through (then restores it). Later absl INFO lines, if TensorFlow ever
 *       printed one, would reach stderr.
 * </ul>
 *
 * <p>The settings are environment variables that the native library reads as it loads (oneDNN, the
 * log level) or at its first XLA compile; Java cannot change its own environment, so they are set
 * with the C library's {@code setenv} (through JNA) before TensorFlow loads. A variable the user
 * already set is left alone ({@code XLA_FLAGS} gets the flag appended unless it names it). If
 * TensorFlow was loaded before this class (the application used TF Java directly first), the
 * settings come too late: {@link #status()} says so and one WARNING goes to the {@code
 * io.github.activationlab} {@link System.Logger}. On Windows the environment is left as it is.
 *
 * <p>Opt out with the system property {@code activationlab.native.defaults=false} (TensorFlow's
 * defaults, everything it prints); {@code ACTIVATIONLAB_NATIVE_LOG=1} keeps XLA's and oneDNN's
 * settings but shows every native log line (no log level set, nothing filtered).
 *
 * <p>Without TensorFlow's native library for this platform on the class path, {@link #load()}
 * throws {@link MissingNativeLibraryException}, whose message names the artifact to add.
 *
 * <p>An application need not call anything; to load TensorFlow at a moment of its choosing (at
 * start-up rather than in the first request), or to log what was done:
 *
 * <pre>{@code
 * NativeRuntime.Status s = NativeRuntime.load(); // once per process; later calls return at once
 * if (!s.applied()) log.warn("TensorFlow's defaults in use: " + s.notes());
 * }</pre>
 *
 * <p>Thread-safe: concurrent first calls load once, and all get the same {@link Status}.
 */
public final class NativeRuntime {
  /** The version of TensorFlow Java this library is built against. */
  public static final String TENSORFLOW_JAVA_VERSION = "1.1.0";

  /** The settings {@link #load()} applies where the user set none, in order. */
  public static final Map<String, String> SETTINGS = settings();

  private static Map<String, String> settings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("TF_CPP_MIN_LOG_LEVEL", "2");
    m.put("XLA_FLAGS", "--xla_cpu_use_thunk_runtime=false");
    m.put("TF_ENABLE_ONEDNN_OPTS", "0");
    m.put("TF_CPU_ALLOCATOR_USE_BFC", "true");
    return Collections.unmodifiableMap(m);
  }

  /** JavaCPP's bound on the resident size, which {@link #load()} sets to 0 (none). */
  public static final String JAVACPP_MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";

  /** {@code activationlab.native.defaults=false}: TensorFlow's own defaults. */
  public static final String DEFAULTS_PROPERTY = "activationlab.native.defaults";

  /** {@code ACTIVATIONLAB_NATIVE_LOG=1}: every native log line shown. */
  public static final String NATIVE_LOG_ENV = "ACTIVATIONLAB_NATIVE_LOG";

  private static final System.Logger LOG = System.getLogger("io.github.activationlab");

  /**
   * What {@link #load()} did.
   *
   * @param environment the value each variable of {@link #SETTINGS} has for TensorFlow (null: not
   *     set, TensorFlow's default)
   * @param applied whether this library set the variables before TensorFlow loaded
   * @param quiet whether TensorFlow's once-per-process log lines were filtered out
   * @param notes why a part was not done (empty when everything was)
   * @param loadMillis how long loading (settings, library, warm-up) took
   */
  public record Status(
      Map<String, String> environment,
      boolean applied,
      boolean quiet,
      List<String> notes,
      long loadMillis) {}

  private static volatile Status status;
  private static RuntimeException failure;

  private NativeRuntime() {}

  /**
   * Loads TensorFlow's native library with this library's settings, once per process; later calls
   * return at once.
   *
   * @return what was done
   * @throws MissingNativeLibraryException when TensorFlow's native library for this platform is not
   *     on the class path
   */
  public static Status load() {
    Status s = status;
    if (s != null) return s;
    synchronized (NativeRuntime.class) {
      if (status != null) return status;
      if (failure != null) throw failure;
      try {
        status = doLoad();
      } catch (RuntimeException e) {
        failure = e;
        throw e;
      }
      return status;
    }
  }

  /**
   * @return what {@link #load()} did, or null before it ran
   */
  public static Status status() {
    return status;
  }

  private static Status doLoad() {
    long t0 = System.nanoTime();
    List<String> notes = new ArrayList<>();
    boolean defaults = !"false".equalsIgnoreCase(System.getProperty(DEFAULTS_PROPERTY, "true"));
    boolean showLog = isSet(System.getenv(NATIVE_LOG_ENV));
    boolean javacpp = defaults && System.getProperty(JAVACPP_MAX_PHYSICAL_BYTES) == null;
    if (javacpp) System.setProperty(JAVACPP_MAX_PHYSICAL_BYTES, "0"); // before JavaCPP's Pointer
    boolean alreadyLoaded = tensorFlowLoaded();
    Map<String, String> env = new LinkedHashMap<>();
    for (String k : SETTINGS.keySet()) env.put(k, System.getenv(k));
    boolean applied = false;
    LibC libc = LibC.load(notes);
    if (!defaults) {
      notes.add("-D" + DEFAULTS_PROPERTY + "=false: TensorFlow's defaults");
    } else if (libc == null) {
      notes.add("the environment cannot be set on this platform: TensorFlow's defaults");
    } else {
      for (var e : SETTINGS.entrySet()) {
        if (showLog && e.getKey().equals("TF_CPP_MIN_LOG_LEVEL")) continue; // every line shown
        String user = env.get(e.getKey());
        String value = wanted(e.getKey(), user, e.getValue());
        if (value.equals(user)) continue;
        if (libc.setenv(e.getKey(), value, 1) != 0) {
          notes.add("setenv " + e.getKey() + " failed");
        } else {
          env.put(e.getKey(), value);
        }
      }
      applied = !alreadyLoaded;
      if (alreadyLoaded) {
        notes.add(
            "TensorFlow was loaded before activation-lab: its log level and oneDNN setting are"
                + " TensorFlow's defaults (XLA_FLAGS still applies to later XLA compiles)");
        LOG.log(Level.WARNING, notes.get(notes.size() - 1));
      }
    }
    loadLibrary();
    if (javacpp && org.bytedeco.javacpp.Pointer.maxPhysicalBytes() != 0) {
      notes.add(
          "JavaCPP was initialized before activation-lab: it reads the resident size at every"
              + " native allocation (-D"
              + JAVACPP_MAX_PHYSICAL_BYTES
              + "=0 on the java command line avoids it)");
    }
    boolean quiet = false;
    if (showLog || alreadyLoaded) {
      warmUp();
    } else if (libc == null || !Platform.isLinux() && !Platform.isMac()) {
      notes.add("TensorFlow's once-per-process absl log lines are not filtered on this platform");
      warmUp();
    } else {
      quiet = warmUpQuietly(libc, notes);
    }
    return new Status(
        Collections.unmodifiableMap(env),
        applied,
        quiet,
        List.copyOf(notes),
        (System.nanoTime() - t0) / 1_000_000);
  }

  /** The value a variable should have: the user's, ours, or (XLA_FLAGS) the user's plus ours. */
  static String wanted(String name, String user, String ours) {
    if (user == null || user.isBlank()) return ours;
    if (name.equals("XLA_FLAGS") && !user.contains("xla_cpu_use_thunk_runtime")) {
      return user + " " + ours;
    }
    return user;
  }

  private static boolean tensorFlowLoaded() {
    try {
      return Loader.getLoadedLibraries().keySet().stream()
          .anyMatch(k -> k.startsWith("tensorflow_cc") || k.startsWith("jnitensorflow"));
    } catch (LinkageError e) {
      return false;
    }
  }

  /** Loads the library, or says in one line which artifact is missing. */
  private static void loadLibrary() {
    try {
      TensorFlow.version();
    } catch (LinkageError | RuntimeException e) {
      String platform = platform();
      String lib =
          "org/tensorflow/internal/c_api/"
              + platform
              + "/"
              + System.mapLibraryName("jnitensorflow");
      if (NativeRuntime.class.getClassLoader().getResource(lib) == null) {
        throw new MissingNativeLibraryException(platform);
      }
      throw e;
    }
  }

  private static String platform() {
    try {
      return Loader.getPlatform();
    } catch (LinkageError e) {
      return System.getProperty("os.name") + "-" + System.getProperty("os.arch");
    }
  }

  /**
   * Runs {@link #warmUp()} with file descriptor 2 routed into a pipe; what arrives there goes back
   * to stderr through {@link NativeLogFilter} once the descriptor is restored.
   */
  private static boolean warmUpQuietly(LibC libc, List<String> notes) {
    int[] pipe = new int[2];
    if (libc.pipe(pipe) != 0) {
      notes.add("pipe() failed: TensorFlow's first log lines are not filtered");
      warmUp();
      return false;
    }
    System.err.flush();
    int saved = libc.dup(2);
    if (saved < 0 || libc.dup2(pipe[1], 2) < 0) {
      libc.close(pipe[0]);
      libc.close(pipe[1]);
      if (saved >= 0) libc.close(saved);
      notes.add("dup2() failed: TensorFlow's first log lines are not filtered");
      warmUp();
      return false;
    }
    libc.close(pipe[1]);
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    Thread pump =
        new Thread(
            () -> {
              byte[] b = new byte[8192];
              for (long n;
                  (n = libc.read(pipe[0], b, new NativeLong(b.length)).longValue()) > 0; ) {
                synchronized (captured) {
                  captured.write(b, 0, (int) n);
                }
              }
            },
            "activation-lab-native-log");
    pump.setDaemon(true);
    pump.start();
    try {
      warmUp();
    } finally {
      System.err.flush();
      libc.dup2(saved, 2); // the pipe's last write end closes: the pump sees its end
      libc.close(saved);
      try {
        pump.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      libc.close(pipe[0]);
      byte[] bytes;
      synchronized (captured) {
        bytes = captured.toByteArray();
      }
      try (NativeLogFilter filter = new NativeLogFilter(System.err)) {
        filter.write(bytes);
      } catch (IOException e) {
        // System.err does not throw
      }
    }
    return true;
  }

  /**
   * One session run of one XLA-compiled function: TensorFlow prints its once-per-process lines
   * (MLIR, the XLA service, "Compiled cluster using XLA") here rather than in the user's first fit.
   */
  private static void warmUp() {
    try (Graph g = new Graph();
        ConcreteFunction f =
            ConcreteFunction.create(
                tf -> {
                  Placeholder<TFloat32> x =
                      tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(2)));
                  return Signature.builder("activation_lab_warm_up")
                      .input("x", x)
                      .output("y", tf.math.add(x, tf.constant(1f)))
                      .build();
                })) {
      Ops tf = Ops.create(g);
      var x = tf.constant(new float[] {1f, 2f});
      var call = g.opBuilder("StatefulPartitionedCall", "warm_up", tf.scope());
      call.addInputList(new org.tensorflow.Output<?>[] {x.asOutput()});
      call.setAttr("Tout", new DataType[] {DataType.DT_FLOAT});
      call.setAttr("f", f);
      call.setAttr("_XlaMustCompile", true);
      var y = call.build().output(0);
      try (Session s = new Session(g, WARM_UP_CONFIG);
          Result r = s.runner().fetch(y).run()) {
        if (((TFloat32) r.get(0)).getFloat(1) != 3f) {
          throw new IllegalStateException("TensorFlow's warm-up computed a wrong value");
        }
      }
    }
  }

  /**
   * The warm-up session's threads: one intra-op, one inter-op. TensorFlow sizes its process-wide
   * intra-op pool by the first session that creates a CPU device (the warm-up's, here); XLA's CPU
   * code splits a loop's fusions across that pool's threads, which for this library's small models
   * costs more than it gains (a seed sweep unpinned on 2 cores: 120 ns per seed-step with a
   * 2-thread pool, 35 with 1).
   */
  private static final ConfigProto WARM_UP_CONFIG =
      ConfigProto.newBuilder()
          .setIntraOpParallelismThreads(1)
          .setInterOpParallelismThreads(1)
          .build();

  private static boolean isSet(String v) {
    return v != null && !v.isBlank() && !v.strip().equals("0") && !v.equalsIgnoreCase("false");
  }

  /** The C library calls this class needs (POSIX). */
  interface LibC extends Library {
    int setenv(String name, String value, int overwrite);

    int pipe(int[] fds);

    int dup(int fd);

    int dup2(int from, int to);

    int close(int fd);

    NativeLong read(int fd, byte[] buffer, NativeLong count);

    /** The C library, or null (Windows, or JNA unavailable: noted). */
    static LibC load(List<String> notes) {
      if (Platform.isWindows()) return null;
      try {
        return Native.load(Platform.C_LIBRARY_NAME, LibC.class);
      } catch (LinkageError | RuntimeException e) {
        notes.add("JNA could not load the C library: " + e.getMessage());
        return null;
      }
    }
  }
}
