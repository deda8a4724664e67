package io.github.activationlab.tf;

/**
 * TensorFlow's native library for this platform is not on the class path: the application depends
 * on {@code activation-lab-core} (which brings TensorFlow Java's API only) and has not added the
 * native artifact. The message names it, for example:
 *
 * <pre>
 * TensorFlow's native library for linux-x86_64 is not on the class path: add
 * org.tensorflow:tensorflow-core-native:1.1.0 with classifier linux-x86_64 (or
 * org.tensorflow:tensorflow-core-platform:1.1.0, every platform)
 * </pre>
 */
public final class MissingNativeLibraryException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** The platform the library was looked for (serialized with the exception). */
  private final String platform;

  MissingNativeLibraryException(String platform) {
    super(
        "TensorFlow's native library for "
            + platform
            + " is not on the class path: add org.tensorflow:tensorflow-core-native:"
            + NativeRuntime.TENSORFLOW_JAVA_VERSION
            + " with classifier "
            + platform
            + " (or org.tensorflow:tensorflow-core-platform:"
            + NativeRuntime.TENSORFLOW_JAVA_VERSION
            + ", every platform)");
    this.platform = platform;
  }

  /**
   * @return the platform the library was looked for, as TF Java names its classifiers ({@code
   *     linux-x86_64}, {@code macosx-arm64}, ...)
   */
  public String platform() {
    return platform;
  }
}
