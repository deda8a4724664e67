package io.github.activationlab.files;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that it is, at every moment and whatever happens to the writer, either absent,
 * its old complete version or its new complete version — never a part.
 *
 * <p>{@link #write} writes to a hidden temporary sibling ({@code .<name>.tmp-<pid>-<start>-<n>},
 * see {@link Temporaries}), flushes it to disk (fsync), then moves it into place in one step:
 *
 * <ul>
 *   <li>without {@code force}, a hard link ({@code link(2)}) to the target name, which fails
 *       atomically if anything exists there — so of two concurrent writers exactly one wins, and
 *       the other fails with {@code "<target> exists (use --force to overwrite)"}; the temporary
 *       name is then removed. (On a file system without hard links the step falls back to Java's
 *       check-then-rename, which has a narrow window in which both could succeed.) An early check
 *       refuses an existing target before any work is done;
 *   <li>with {@code force}, a {@code rename(2)}, which replaces the target atomically: readers and
 *       a crash see the old file or the new one.
 * </ul>
 *
 * <p>Crashes: a writer killed at any point leaves the target old or new, plus possibly its
 * temporary, which the next write into the same directory removes ({@link Temporaries#clean}: only
 * temporaries whose process is gone, never a live writer's). Permissions follow the umask (the
 * temporary is created like any new file: {@code 0666 & ~umask}, 644 under 022).
 *
 * <p>Durability: the file's data is fsynced before the rename and the directory after it, so once
 * {@link #write} returns, the new file survives a power loss on a file system that honours fsync
 * (ext4, xfs, btrfs, apfs); a power loss during the write leaves the old file or the new one.
 *
 * <pre>{@code
 * AtomicFiles.write(Path.of("out/predictions.csv"), force, out -> {
 *   for (String line : lines) out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
 * });
 * }</pre>
 *
 * <p>Safe from any number of threads and processes at once: the outcome of concurrent writers is as
 * above. Directories: {@link AtomicDirectory}.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  private static final int BUFFER = 1 << 16;

  /**
   * Writes {@code target} with what {@code content} writes to the stream it is given (buffered;
   * closing it is harmless), as the class comment says. Missing parent directories are created.
   *
   * @param target the file to write
   * @param force whether to replace an existing file
   * @param content writes the file's bytes to the stream it is given
   * @return {@code target}
   * @throws FileAlreadyExistsException if {@code target} exists and {@code force} is false (checked
   *     first, and again, atomically, by the final step)
   * @throws IOException if writing fails, or {@code content} throws: the target is left as it was
   *     and the temporary removed
   */
  public static Path write(Path target, boolean force, IOConsumer<OutputStream> content)
      throws IOException {
    Path abs = target.toAbsolutePath().normalize();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    Temporaries.clean(dir);
    if (!force && Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) throw exists(target);
    Path tmp = Temporaries.sibling(abs, Temporaries.TMP);
    Temporaries.inUse(tmp);
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        BufferedOutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), BUFFER);
        content.accept(new Unclosable(out));
        out.flush();
        ch.force(true);
      }
      Temporaries.crashPoint("file-written");
      commit(tmp, abs, force, target);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } finally {
        Temporaries.done(tmp);
      }
    }
    return target;
  }

  /**
   * {@link #write(Path, boolean, IOConsumer)} of {@code bytes}.
   *
   * @param target the file to write
   * @param force whether to replace an existing file
   * @param bytes the file's contents
   * @return {@code target}
   * @throws FileAlreadyExistsException if {@code target} exists and {@code force} is false
   * @throws IOException if writing fails (the target is left as it was)
   */
  public static Path write(Path target, boolean force, byte[] bytes) throws IOException {
    return write(target, force, out -> out.write(bytes));
  }

  /**
   * Moves {@code tmp} (a complete file in {@code target}'s directory, written by the caller) to
   * {@code target} as {@link #write} does; {@code tmp} is gone afterwards, whatever happens. Prefer
   * {@link #write}, which names the temporary so that a crash's leftover is cleaned up.
   *
   * @param tmp the complete file, in the target's directory
   * @param target where it goes
   * @param force whether to replace an existing file
   * @throws FileAlreadyExistsException if {@code target} exists and {@code force} is false
   * @throws IOException if the fsync or the move fails
   */
  public static void commit(Path tmp, Path target, boolean force) throws IOException {
    try {
      Fsync.file(tmp);
      commit(tmp, target.toAbsolutePath().normalize(), force, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void commit(Path tmp, Path abs, boolean force, Path shown) throws IOException {
    if (force) {
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileSystemException e) {
        if (Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
          throw new FileAlreadyExistsException(shown + " is a directory; not replaced");
        }
        throw e;
      }
    } else {
      try {
        Files.createLink(abs, tmp);
      } catch (FileAlreadyExistsException e) {
        throw exists(shown);
      } catch (UnsupportedOperationException | FileSystemException e) {
        Files.move(tmp, abs); // no hard links here: Java's check, then rename
      }
      Temporaries.crashPoint("file-linked");
    }
    Fsync.directory(abs.getParent());
  }

  /**
   * Refuses an existing target before any work is done, as the writers here refuse it at their
   * start: a command checks its outputs this way before minutes of training, then writes them with
   * {@link #write} (which checks again, atomically, at its final step).
   *
   * @param target a file or directory the caller will write
   * @param force whether the caller will replace an existing target
   * @throws FileAlreadyExistsException if {@code target} exists (a dangling link counts) and {@code
   *     force} is false
   */
  public static void refuseExisting(Path target, boolean force) throws FileAlreadyExistsException {
    if (!force && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) throw exists(target);
  }

  static FileAlreadyExistsException exists(Path target) {
    return new FileAlreadyExistsException(target + " exists (use --force to overwrite)");
  }

  /** The caller's stream: closing it only flushes (the writer closes the file itself). */
  private static final class Unclosable extends OutputStream {
    private final OutputStream out;

    Unclosable(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
