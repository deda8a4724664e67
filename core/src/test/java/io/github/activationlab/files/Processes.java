package io.github.activationlab.files;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Test helper: JVMs started on the test classpath, their stdout as a queue of lines. */
final class Processes {
  private Processes() {}

  /** Options that make a short-lived test JVM start faster and stay small. */
  static final List<String> LIGHT_JVM =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-Xss1m");

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** {@code java [jvmOptions] -cp <test classpath> main args...}. */
  static List<String> command(List<String> jvmOptions, Class<?> main, String... args) {
    List<String> c = new ArrayList<>();
    c.add(java());
    c.addAll(jvmOptions);
    c.add("-cp");
    c.add(System.getProperty("java.class.path"));
    c.add(main.getName());
    c.addAll(List.of(args));
    return c;
  }

  /** A started process whose stdout lines arrive in {@link #lines}; stderr goes to a file. */
  static final class Running {
    final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final StringBuilder all = new StringBuilder();

    Running(List<String> command, Path stderr) throws IOException {
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectInput(Redirect.PIPE)
              .redirectError(Redirect.appendTo(stderr.toFile()));
      pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
      process = pb.start();
      process.getOutputStream().close();
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String l; (l = r.readLine()) != null; ) {
                    synchronized (all) {
                      all.append(l).append('\n');
                    }
                    lines.add(l);
                  }
                } catch (IOException e) {
                  // killed
                }
              },
              "test-process-stdout");
      t.setDaemon(true);
      t.start();
    }

    /** The next stdout line starting with {@code prefix}, or null after {@code seconds}. */
    String await(String prefix, double seconds) throws InterruptedException {
      long deadline = System.nanoTime() + (long) (seconds * 1e9);
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return null;
        String l = lines.poll(left, TimeUnit.NANOSECONDS);
        if (l == null) return null;
        if (l.startsWith(prefix)) return l;
      }
    }

    /** Waits for the exit (killing it after {@code seconds}); returns the exit code. */
    int exit(double seconds) throws InterruptedException {
      if (!process.waitFor((long) (seconds * 1000), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor();
        throw new AssertionError("process did not finish in " + seconds + " s: " + out());
      }
      return process.exitValue();
    }

    /** kill -9, and wait until it is gone (reaped). */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor();
    }

    String out() {
      synchronized (all) {
        return all.toString();
      }
    }
  }
}
