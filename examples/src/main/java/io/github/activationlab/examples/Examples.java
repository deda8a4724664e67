package io.github.activationlab.examples;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Shared bits of the examples: where their data lie, how a column of outputs prints. */
final class Examples {
  private Examples() {}

  /** {@code data/NAME} of this project, from its root or from the repository's root. */
  static Path data(String name) throws NoSuchFileException {
    for (Path p : new Path[] {Path.of("data", name), Path.of("examples", "data", name)}) {
      if (Files.exists(p)) return p;
    }
    throw new NoSuchFileException("data/" + name + " (run from examples/ or the repository root)");
  }

  /** The first output of each row, to 3 decimals: {@code [0.058, 0.943, 0.943, 0.062]}. */
  static String column(double[][] rows) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < rows.length; i++) {
      b.append(i > 0 ? ", " : "").append(String.format("%.3f", rows[i][0]));
    }
    return b.append(']').toString();
  }
}
