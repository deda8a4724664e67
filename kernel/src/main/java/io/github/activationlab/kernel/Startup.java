package io.github.activationlab.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * What every cells' JVM runs first: JShell's usual imports, the project's packages (app's too, when
 * the kernel runs from the application jar), the display API, TensorFlow's native settings (the
 * CLI's, applied in-process by {@code tf.NativeRuntime} before TensorFlow loads) and the shutdown
 * hook that tells the kernel about a {@code System.exit}.
 */
final class Startup {
  private Startup() {}

  /**
   * Core's packages a cell sees without an import: every public package but the plumbing ({@code
   * files}, {@code tf}) and {@code internal}; StartupTest holds this list to core's jar.
   */
  static final List<String> CORE_PACKAGES =
      List.of("activation", "nn", "notebook", "perceptron", "savedmodel", "sweep");

  /** Core's packages deliberately not imported into cells (plumbing a notebook does not need). */
  static final List<String> CORE_PACKAGES_NOT_IMPORTED = List.of("files", "tf");

  /** Packages of app, imported when app's classes are on the class path. */
  static final List<String> APP_PACKAGES = List.of("experiment", "plot");

  static List<String> snippets() {
    List<String> s = new ArrayList<>();
    for (String p :
        List.of(
            "java.io",
            "java.math",
            "java.nio.file",
            "java.util",
            "java.util.function",
            "java.util.stream")) {
      s.add("import " + p + ".*;");
    }
    for (String p : CORE_PACKAGES) s.add("import io.github.activationlab." + p + ".*;");
    if (present("io.github.activationlab.experiment.Notebook")) {
      for (String p : APP_PACKAGES) s.add("import io.github.activationlab." + p + ".*;");
    }
    s.add("import static io.github.activationlab.kernel.Display.*;");
    s.add("io.github.activationlab.tf.NativeRuntime.load();");
    s.add(
        "Runtime.getRuntime().addShutdownHook(new Thread("
            + "io.github.activationlab.kernel.Display::exiting, \"kernel-exit\"));");
    return s;
  }

  static boolean present(String className) {
    try {
      Class.forName(className, false, Startup.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
