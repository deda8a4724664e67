package io.github.activationlab.savedmodel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes an export directory all at once: into a temporary sibling first, renamed into place
 * only when complete, so a failed export leaves nothing half-written. An existing directory is
 * refused unless {@code force}, and then replaced only after the new one is complete.
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
    Path abs = target.toAbsolutePath().normalize();
    if (Files.exists(abs) && !force) {
      throw new FileAlreadyExistsException(target + " exists (use --force to overwrite)");
    }
    Path parent = abs.getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempDirectory(parent, "." + abs.getFileName() + ".tmp-");
    try {
      writer.write(tmp);
      if (Files.exists(abs)) {
        Path old = Files.createTempDirectory(parent, "." + abs.getFileName() + ".old-");
        Files.move(abs, old.resolve("x"), StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
      } else {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException | RuntimeException e) {
      deleteTree(tmp);
      throw e;
    }
  }

  /** Deletes a directory tree (no-op if it does not exist). */
  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
