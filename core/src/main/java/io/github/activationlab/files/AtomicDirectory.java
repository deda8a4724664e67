package io.github.activationlab.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a directory (a SavedModel export with its run.json) so that, at every moment and whatever
 * happens to the writer, {@code <target>} is absent, its old complete version or its new complete
 * version.
 *
 * <p><b>Layout.</b> {@code <target>} is a symbolic link to a hidden sibling directory that holds
 * the version: {@code models/xor-mlp -> .xor-mlp.v-<pid>-<start>-<n>}. Paths through it resolve as
 * before ({@code models/xor-mlp/1/saved_model.pb}, {@code models/xor-mlp/run.json}); TensorFlow
 * (C++, Python, Serving), {@code Predictor}, Python's {@code open} and the shell all follow it. The
 * link is relative, so the whole {@code models/} directory can be moved or copied ({@code cp -a},
 * {@code tar}, {@code rsync -a}; tools that follow links, like {@code zip -r}, store the version
 * twice).
 *
 * <p><b>Writing.</b> The writer fills {@code .<name>.tmp-<owner>} (see {@link Temporaries});
 * permissions are set to follow the umask (directories {@code 0777 & ~umask}, files {@code 0666 &
 * ~umask}: 755 and 644 under 022 — TensorFlow's own {@code mkdir} asks for 755 whatever the umask);
 * every file and directory is fsynced; a link {@code .<name>.ln-<owner>} to the version's name is
 * made (it marks the version as being published); the directory is renamed to {@code
 * .<name>.v-<owner>} (complete from now on) and then published:
 *
 * <ul>
 *   <li>without {@code force}: {@code symlink(2)} at {@code <target>}, which fails atomically if
 *       anything is there — of two concurrent writers exactly one wins, the other removes its
 *       version and fails with {@code "<target> exists (use --force to overwrite)"}. An early check
 *       refuses an existing target before the (expensive) writing;
 *   <li>with {@code force}: the {@code ln} link renamed onto {@code <target>} ({@code rename(2)}
 *       replaces a link atomically); then the replaced version is removed.
 * </ul>
 *
 * <p><b>Crashes.</b> Every step before the publishing leaves the target untouched; the publishing
 * is one system call. So a writer killed at any point leaves the target old or new, plus at most
 * its temporaries, which the next write into the same directory removes ({@link Temporaries#clean})
 * — never those of a live writer, whose pid and start time are in their names. A replaced version
 * is removed by whoever writes there next, even while its writer still runs (only the version a
 * live writer is publishing, marked by its {@code ln} link, is kept). A reader that opened the old
 * version's files keeps reading them; one that is just opening it when it is removed fails and must
 * retry.
 *
 * <p><b>A legacy target</b> — a real directory, as earlier versions wrote — is refused without
 * {@code force}; with {@code force} it is renamed aside to {@code .<name>.old-<owner>} and the link
 * renamed into its place: for the microseconds between these two renames the target is missing (a
 * concurrent reader fails to open it; a writer without {@code force} could publish into the gap,
 * and is then replaced). A crash in that gap leaves the old version aside; the next write into the
 * directory puts it back before anything else.
 *
 * <p><b>Durability.</b> The version is fsynced before it is published and the parent directory
 * after each rename, so once {@link #write} returns the new version survives a power loss on a file
 * system that honours fsync; a power loss during the write leaves the old version or the new one
 * (plus temporaries).
 *
 * <p><b>Without symbolic links</b> (a file system or platform that refuses them, e.g. Windows
 * without the privilege) the version is renamed onto the target directly, and a replacement takes
 * two renames (old aside, new in: the legacy case above, with the same recovery).
 *
 * <p><b>Alternatives considered.</b> Renaming a complete directory onto the target refuses a
 * non-empty one atomically, but replacing needs two renames, with a window in which a crash leaves
 * neither version (a recovery on the next run restores it, but until then the target is gone);
 * {@code renameat2(RENAME_EXCHANGE)} would swap two directories atomically but is Linux-only and
 * not reachable from Java 17 without native code; numbered versions inside the target (TensorFlow
 * Serving's {@code 1/}, {@code 2/}) would change the contract {@code models/<name>/1/}.
 *
 * <pre>{@code
 * AtomicDirectory.write(Path.of("models/xor-mlp"), force, dir -> {
 *   Files.createDirectory(dir.resolve("1"));
 *   Files.writeString(dir.resolve("run.json"), json);
 * });
 * }</pre>
 */
public final class AtomicDirectory {
  private AtomicDirectory() {}

  /**
   * Writes the directory's contents (into the directory it is given, which exists and is empty).
   */
  @FunctionalInterface
  public interface Writer {
    /**
     * Writes the contents.
     *
     * @param dir the temporary directory to fill
     * @throws IOException to abandon the write (the temporary is removed, the target untouched)
     */
    void write(Path dir) throws IOException;
  }

  /** How many times a replacement retries when concurrent writers move a legacy target. */
  private static final int RETRIES = 5;

  /**
   * Writes {@code target} with {@code writer} as the class comment says. Missing parent directories
   * are created.
   *
   * @param target the directory to write (it becomes a symbolic link to the hidden version)
   * @param force whether to replace an existing target
   * @param writer fills the temporary directory
   * @return {@code target}
   * @throws FileAlreadyExistsException if {@code target} exists and {@code force} is false (checked
   *     first, and again, atomically, when publishing)
   * @throws IOException if writing fails, or {@code writer} throws: the target is left as it was
   */
  public static Path write(Path target, boolean force, Writer writer) throws IOException {
    Path abs = target.toAbsolutePath().normalize();
    Path parent = abs.getParent();
    Files.createDirectories(parent);
    Temporaries.clean(parent); // first: it may put back a version a crash left aside
    if (!force && Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) throw AtomicFiles.exists(target);
    Path tmp = Temporaries.sibling(abs, Temporaries.TMP);
    Path version = Temporaries.sibling(abs, Temporaries.VERSION);
    Path link = Temporaries.sibling(abs, Temporaries.LINK);
    Temporaries.inUse(tmp);
    Temporaries.inUse(version);
    Temporaries.inUse(link);
    boolean published = false;
    try {
      Files.createDirectory(tmp);
      writer.write(tmp);
      followUmask(tmp);
      Fsync.tree(tmp);
      Temporaries.crashPoint("dir-filled");
      // the link to the version, made before the version exists: while it is there, the version
      // is being published (Temporaries.clean leaves it alone)
      boolean links = symlink(link, version.getFileName());
      Temporaries.crashPoint("dir-link-made");
      Files.move(tmp, version, StandardCopyOption.ATOMIC_MOVE);
      Fsync.directory(parent);
      Temporaries.crashPoint("dir-renamed");
      if (!links) {
        withoutLinks(version, abs, force, target);
      } else if (force) {
        replace(link, abs);
      } else {
        try {
          Files.createSymbolicLink(abs, version.getFileName()); // fails if anything is there
        } catch (FileAlreadyExistsException e) {
          throw AtomicFiles.exists(target);
        }
        Fsync.directory(parent);
        Temporaries.crashPoint("dir-linked");
      }
      published = true;
    } finally {
      try {
        Temporaries.deleteTree(tmp);
        if (!published) Temporaries.deleteTree(version);
        Files.deleteIfExists(link); // after the version: it marks it as being published
      } finally {
        Temporaries.done(tmp);
        Temporaries.done(version);
        Temporaries.done(link);
      }
    }
    Temporaries.clean(parent); // the replaced version, and anything else left by the dead
    return target;
  }

  /** Makes a symbolic link; false where links are refused (the file system, the platform). */
  private static boolean symlink(Path link, Path to) throws IOException {
    try {
      Files.createSymbolicLink(link, to);
      return true;
    } catch (UnsupportedOperationException e) {
      return false;
    } catch (FileSystemException e) {
      if (e instanceof FileAlreadyExistsException) throw e;
      return false;
    }
  }

  /**
   * Renames {@code link} onto {@code abs} (atomic if {@code abs} is a link or absent); a legacy
   * directory at {@code abs} is first moved aside (the window the class comment states).
   */
  private static void replace(Path link, Path abs) throws IOException {
    Path parent = abs.getParent();
    for (int attempt = 1; ; attempt++) {
      Path aside = Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS) ? moveAside(abs) : null;
      try {
        Files.move(link, abs, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileSystemException e) {
        // a directory appeared in the gap (a concurrent writer or cleaner): put ours back, retry
        if (aside != null) putBack(aside, abs);
        if (attempt < RETRIES && Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) continue;
        throw e;
      } finally {
        if (aside != null) Temporaries.done(aside); // from now on litter, if still there
      }
      Fsync.directory(parent);
      Temporaries.crashPoint("dir-replaced");
      if (aside != null) Temporaries.deleteTree(aside);
      return;
    }
  }

  /** Renames a legacy directory target aside (returns where), or null if it went meanwhile. */
  private static Path moveAside(Path abs) throws IOException {
    Path aside = Temporaries.sibling(abs, Temporaries.OLD);
    Temporaries.inUse(aside);
    try {
      Files.move(abs, aside, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Temporaries.done(aside);
      if (e instanceof NoSuchFileException) return null; // another writer moved it
      throw e;
    }
    Temporaries.crashPoint("dir-legacy-aside");
    return aside;
  }

  /** Best effort: renames a directory moved aside back to {@code abs} (if that is free). */
  private static void putBack(Path aside, Path abs) {
    try {
      Files.move(aside, abs, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // the target is taken: the old version is superseded, and litter for the next clean
    }
  }

  /** Publishing where symbolic links are refused: renames, the old version aside first. */
  private static void withoutLinks(Path version, Path abs, boolean force, Path shown)
      throws IOException {
    Path aside = null;
    if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
      if (!force) throw AtomicFiles.exists(shown);
      aside = moveAside(abs);
    }
    try {
      Files.move(version, abs, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileSystemException e) {
      if (aside != null) putBack(aside, abs);
      if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) throw AtomicFiles.exists(shown);
      throw e;
    } finally {
      if (aside != null) Temporaries.done(aside);
    }
    Fsync.directory(abs.getParent());
    if (aside != null) Temporaries.deleteTree(aside);
  }

  /**
   * Sets the modes of the tree at {@code root} to what a plain {@code mkdir} / file creation gives
   * under the umask: {@code root}'s own (made by {@link Files#createDirectory}) for every
   * directory, and the same without execute bits for every file that has none for its owner.
   */
  static void followUmask(Path root) throws IOException {
    PosixFileAttributeView view =
        Files.getFileAttributeView(root, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view == null) return; // not a POSIX file system
    Set<PosixFilePermission> dirMode = view.readAttributes().permissions();
    Set<PosixFilePermission> fileMode = EnumSet.noneOf(PosixFilePermission.class);
    fileMode.addAll(dirMode);
    fileMode.removeAll(
        List.of(
            PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_EXECUTE));
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Set<PosixFilePermission> now = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> want;
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          want = dirMode;
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          want = now.contains(PosixFilePermission.OWNER_EXECUTE) ? dirMode : fileMode;
        } else {
          continue;
        }
        if (!now.equals(want)) Files.setPosixFilePermissions(p, want);
      }
    }
  }

  /**
   * Deletes a directory tree, or a link to one (not what it links to); no-op if absent.
   *
   * @param p the file, link or directory
   * @throws IOException if an entry cannot be deleted
   */
  public static void deleteTree(Path p) throws IOException {
    Temporaries.deleteTree(p);
  }
}
