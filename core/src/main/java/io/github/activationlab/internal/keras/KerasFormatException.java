package io.github.activationlab.internal.keras;

import java.io.IOException;

/**
 * A file that is not a Keras 3 {@code .keras} file this package can read, with one message that
 * names the file and, where it applies, the layer, weight or class at fault.
 */
public class KerasFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public KerasFormatException(String message) {
    super(message);
  }

  public KerasFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
