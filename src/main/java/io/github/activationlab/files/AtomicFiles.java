package io.github.activationlab.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Moves a complete temporary file into place in one step, so that a reader sees the old file or
 * the new one, never a part. Without {@code force} the step itself refuses an existing target (a
 * hard link, which fails atomically if the target exists), so of two concurrent writers exactly
 * one wins; with {@code force} the target is replaced by a rename.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Moves {@code tmp} (a complete file in {@code target}'s directory) to {@code target}; {@code
   * tmp} is gone afterwards, whatever happens.
   *
   * @throws FileAlreadyExistsException if {@code target} exists and {@code force} is false
   */
  public static void commit(Path tmp, Path target, boolean force) throws IOException {
    try {
      if (force) {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } else {
        try {
          Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
          throw new FileAlreadyExistsException(target + " exists (use --force to overwrite)");
        }
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
