package io.github.activationlab.kernel;

import com.google.gson.GsonBuilder;
import io.github.activationlab.files.AtomicDirectory;
import io.github.activationlab.files.AtomicFiles;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The kernelspec {@code activation-lab}: a {@code kernel.json} in Jupyter's data directory whose
 * argv starts {@link KernelMain} with this JDK and this class path (the application jar when the
 * installer runs from it). Where it goes follows {@code jupyter kernelspec install}: the user's
 * data directory ({@code JUPYTER_DATA_DIR}, else the platform's: {@code $XDG_DATA_HOME/jupyter} or
 * {@code ~/.local/share/jupyter} on Linux, {@code ~/Library/Jupyter} on macOS, {@code
 * %APPDATA%\jupyter} on Windows) or {@code PREFIX/share/jupyter} with a prefix. The file is written
 * whole or not at all; an existing spec of the same name is replaced, as Jupyter does.
 */
public final class Kernelspec {
  private Kernelspec() {}

  /** The one line a user without Jupyter reads. */
  public static final String NO_JUPYTER =
      "no Jupyter found on PATH: install it (pip install jupyterlab), then run kernel install"
          + " again";

  /**
   * The {@code kernels/} directory a spec goes to.
   *
   * @param prefix {@code --prefix DIR}, or null for the user's data directory
   * @param env the environment ({@code JUPYTER_DATA_DIR}, {@code XDG_DATA_HOME}, {@code APPDATA})
   * @return the directory that holds kernelspecs
   */
  public static Path kernelsDir(Path prefix, Map<String, String> env) {
    if (prefix != null) return prefix.resolve("share").resolve("jupyter").resolve("kernels");
    return userDataDir(env).resolve("kernels");
  }

  /**
   * @param env the environment
   * @return Jupyter's user data directory, as {@code jupyter --data-dir} says
   */
  public static Path userDataDir(Map<String, String> env) {
    String set = env.get("JUPYTER_DATA_DIR");
    if (set != null && !set.isBlank()) return Path.of(set);
    String home = System.getProperty("user.home");
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    if (os.contains("mac")) return Path.of(home, "Library", "Jupyter");
    if (os.contains("win")) {
      String appData = env.get("APPDATA");
      return appData != null
          ? Path.of(appData, "jupyter")
          : Path.of(home, "AppData", "Roaming", "jupyter");
    }
    String xdg = env.get("XDG_DATA_HOME");
    return xdg != null && !xdg.isBlank()
        ? Path.of(xdg, "jupyter")
        : Path.of(home, ".local", "share", "jupyter");
  }

  /**
   * @param env the environment ({@code PATH})
   * @return whether a {@code jupyter} executable is on the PATH
   */
  public static boolean jupyterOnPath(Map<String, String> env) {
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      for (String name : List.of("jupyter", "jupyter.exe", "jupyter.cmd")) {
        Path p = Path.of(dir, name);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) return true;
      }
    }
    return false;
  }

  /**
   * @param java the java executable of a JDK
   * @param classPath the kernel's class path
   * @return the kernelspec's argv
   */
  public static List<String> argv(String java, String classPath) {
    return List.of(java, "-cp", classPath, KernelMain.class.getName(), "{connection_file}");
  }

  /**
   * @param argv the command Jupyter runs
   * @return the kernel.json text
   */
  public static String kernelJson(List<String> argv) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("argv", argv);
    spec.put("display_name", ActivationLabKernel.DISPLAY_NAME);
    spec.put("language", "java");
    spec.put("interrupt_mode", "message"); // interrupt_request on the control channel, no SIGINT
    spec.put("env", Map.of());
    spec.put("metadata", Map.of("debugger", false));
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec) + "\n";
  }

  /**
   * Writes the kernelspec.
   *
   * @param prefix {@code --prefix DIR}, or null for the user's data directory
   * @param env the environment
   * @return the kernelspec's directory
   * @throws IOException when it cannot be written
   * @throws IllegalStateException when Jupyter is not on the PATH or this is not a JDK
   */
  public static Path install(Path prefix, Map<String, String> env) throws IOException {
    if (!jupyterOnPath(env)) throw new IllegalStateException(NO_JUPYTER);
    for (String m : List.of("jdk.jshell", "jdk.jdi")) {
      if (ModuleLayer.boot().findModule(m).isEmpty()) {
        throw new IllegalStateException(
            "the kernel needs a JDK (module " + m + " is missing from " + javaHome() + ")");
      }
    }
    Path dir = kernelsDir(prefix, env).resolve(ActivationLabKernel.NAME);
    Files.createDirectories(dir);
    String json =
        kernelJson(argv(javaHome().resolve("bin").resolve("java").toString(), classPath()));
    AtomicFiles.write(dir.resolve("kernel.json"), true, json.getBytes(StandardCharsets.UTF_8));
    return dir;
  }

  /**
   * Removes the kernelspec.
   *
   * @param prefix {@code --prefix DIR}, or null for the user's data directory
   * @param env the environment
   * @return the directory removed
   * @throws NoSuchFileException when there is no such kernelspec there
   * @throws IOException when it cannot be removed
   */
  public static Path remove(Path prefix, Map<String, String> env) throws IOException {
    Path dir = kernelsDir(prefix, env).resolve(ActivationLabKernel.NAME);
    if (!Files.isRegularFile(dir.resolve("kernel.json"))) {
      throw new NoSuchFileException(
          dir + " (no kernelspec " + ActivationLabKernel.NAME + " there)");
    }
    Files.delete(dir.resolve("kernel.json")); // from now on Jupyter does not list it
    AtomicDirectory.deleteTree(dir);
    return dir;
  }

  private static Path javaHome() {
    return Path.of(System.getProperty("java.home"));
  }

  /**
   * The kernel's class path: the jar or directories this class was loaded from and everything
   * beside it — {@code java.class.path} for {@code java -jar} or {@code -cp}, the class loader's
   * URLs under Maven's {@code exec:java} (which runs in Maven's JVM).
   *
   * @return the class path, absolute
   */
  public static String classPath() {
    Set<String> entries = new LinkedHashSet<>();
    String own = ownLocation();
    for (ClassLoader cl = Kernelspec.class.getClassLoader(); cl != null; cl = cl.getParent()) {
      if (cl instanceof URLClassLoader u) {
        List<String> urls = new ArrayList<>();
        for (URL url : u.getURLs()) {
          try {
            urls.add(Path.of(url.toURI()).toAbsolutePath().toString());
          } catch (URISyntaxException | IllegalArgumentException e) {
            // not a file: not for a class path
          }
        }
        if (urls.contains(own)) entries.addAll(urls);
      }
    }
    if (entries.isEmpty()) {
      for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
        if (!e.isEmpty()) entries.add(Path.of(e).toAbsolutePath().toString());
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static String ownLocation() {
    try {
      return Path.of(Kernelspec.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toAbsolutePath()
          .toString();
    } catch (URISyntaxException | NullPointerException e) {
      return "";
    }
  }
}
