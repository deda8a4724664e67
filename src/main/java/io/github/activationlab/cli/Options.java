package io.github.activationlab.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the subcommands where they apply (DESIGN.md). */
final class Options {
  static final class Output {
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "models",
        description = "where SavedModels are written (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--graphs", paramLabel = "DIR", defaultValue = "graphs",
        description = "where charts are written (default: ${DEFAULT-VALUE})")
    Path graphs;

    @Option(names = "--force", description = "overwrite an existing export")
    boolean force;
  }

  static final class Only {
    @Option(names = "--only", paramLabel = "NAME", split = ",",
        description = "only these activations (Keras names, comma-separated)")
    java.util.List<String> names;
  }
}
