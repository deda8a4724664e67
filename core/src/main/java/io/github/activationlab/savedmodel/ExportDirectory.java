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
    /**
     * Writes the contents.
     *
     * @param dir an empty temporary directory, which becomes the target once this returns
     * @throws IOException to abandon the export (the temporary is removed)
     */
    void write(Path dir) throws IOException;
  }

  /**
   * Writes {@code target} with {@code writer}.
   *
   * <pre>{@code
   * ExportDirectory.write(Path.of("models/mine"), false, dir -> {
   *   SavedModelBundle.exporter(dir.resolve("1").toString()).withSession(session).export();
   *   Files.writeString(dir.resolve("run.json"), json);
   * });
   * }</pre>
   *
   * @param target the directory to write, e.g. {@code models/<name>}
   * @param force whether to replace an existing target
   * @param writer fills the directory
   * @throws FileAlreadyExistsException if {@code target} exists and {@code force} is false
   * @throws IOException if writing fails (the target is left as it was)
   */
  public static void write(Path target, boolean force, Writer writer) throws IOException {
    AtomicDirectory.write(target, force, writer::write);
  }

  /**
   * Deletes a directory tree, or a link to one (not what it links to); no-op if it does not exist.
   * To remove an export: its target link (the hidden version it pointed to goes with the next write
   * in that directory).
   *
   * @param dir the directory or link
   * @throws java.io.UncheckedIOException if an entry cannot be deleted
   */
  public static void deleteTree(Path dir) {
    try {
      AtomicDirectory.deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
