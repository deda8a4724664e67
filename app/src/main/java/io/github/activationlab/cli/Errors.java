package io.github.activationlab.cli;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/** Turns an exception into the one line a user reads. */
final class Errors {
  private Errors() {}

  static String oneLine(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null
        && (t.getMessage() == null || t instanceof java.io.UncheckedIOException)) {
      t = t.getCause();
    }
    if (t instanceof NoSuchFileException) return "no such file: " + t.getMessage();
    if (t instanceof FileAlreadyExistsException) return t.getMessage();
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return msg.strip().lines().findFirst().orElse(msg);
  }
}
