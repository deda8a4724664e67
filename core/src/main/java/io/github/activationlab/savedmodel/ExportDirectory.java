package io.github.activationlab.savedmodel;

import io.github.activationlab.files.AtomicDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;

/**
 * Writes an export directory ({@code models/<name>/}: {@code 1/} and {@code run.json}) all at once,
 * race- and crash-safe: see {@link AtomicDirectory} for the layout ({@code models/<name>} is a link
 * to a hidden complete version), the guarantees and their limits. In short: a failed or killed
 * export leaves the target as it was (plus temporaries the next export there removes); an existing
 * target is refused unless {@code force} — by the final step itself, so of two concurrent exports
 * without {@code force} exactly one wins — and with {@code force} it is replaced only by a complete
 * new version.
 */
public final class ExportDirectory {
  private ExportDirectory() {}

  /** Writes the directory's contents (into the directory it is given). */
  @FunctionalInterface
  public interface Writer {
    void write(Path dir) throws IOException;
  }

  /**
   * Writes {@code target} with {@code writer}.
   *
   * @throws FileAlreadyExistsException if {@code target} exists and {@code force} is false
   */
  public static void write(Path target, boolean force, Writer writer) throws IOException {
    AtomicDirectory.write(target, force, writer::write);
  }

  /** Deletes a directory tree, or a link to one (no-op if it does not exist). */
  public static void deleteTree(Path dir) {
    try {
      AtomicDirectory.deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
