package io.github.activationlab.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * fsync for files and directories, so that what {@link AtomicFiles} and {@link AtomicDirectory}
 * rename into place is on disk before the rename is. A directory's fsync (which makes a rename or a
 * new entry durable) is best effort: some platforms (Windows) cannot open a directory, and then it
 * is skipped.
 */
final class Fsync {
  private Fsync() {}

  /** Flushes a regular file's data and metadata to the device. */
  static void file(Path file) throws IOException {
    try (FileChannel c = open(file)) {
      c.force(true);
    }
  }

  private static FileChannel open(Path file) throws IOException {
    try {
      return FileChannel.open(file, StandardOpenOption.WRITE);
    } catch (java.nio.file.AccessDeniedException e) {
      return FileChannel.open(file, StandardOpenOption.READ); // read-only: fsync works on Linux
    }
  }

  /** Flushes a directory's entries (best effort, see the class comment). */
  static void directory(Path dir) {
    try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
      c.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // not supported here: the rename is atomic, only not yet durable
    }
  }

  /** Flushes every file, then every directory (deepest first), of the tree at {@code root}. */
  static void tree(Path root) throws IOException {
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          file(p);
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          dirs.add(p);
        }
      }
    }
    dirs.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    for (Path d : dirs) directory(d);
  }
}
