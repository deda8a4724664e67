package io.github.activationlab.cli;

import io.github.activationlab.experiment.Context;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the subcommands where they apply (DESIGN.md). */
final class Options {
  static final class Output {
    @Option(
        names = "--out",
        paramLabel = "DIR",
        defaultValue = "models",
        description = "where SavedModels are written (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(
        names = "--graphs",
        paramLabel = "DIR",
        defaultValue = "graphs",
        description = "where charts are written (default: ${DEFAULT-VALUE})")
    Path graphs;

    @Option(names = "--force", description = "overwrite an existing export")
    boolean force;
  }

  static final class Training {
    @Option(names = "--epochs", paramLabel = "N", description = "epochs (default: the notebook's)")
    Integer epochs;

    @Option(
        names = "--seed",
        paramLabel = "N",
        defaultValue = "42",
        description = "seed of initial weights, shuffles and data (default: ${DEFAULT-VALUE})")
    long seed;
  }

  static final class Image {
    @Option(
        names = "--image",
        paramLabel = "PATH",
        description = "PNG or JPEG for the activation gallery (default: the bundled photo)")
    Path image;
  }

  static final class Only {
    @Option(
        names = "--only",
        paramLabel = "NAME",
        split = ",",
        description = "only these activations (Keras names, comma-separated)")
    java.util.List<String> names;
  }

  static Context context(Output o, Training t, Image i, boolean force) {
    return new Context(
        System.out,
        o.out,
        o.graphs,
        force,
        t == null ? 42 : t.seed,
        t == null ? null : t.epochs,
        i == null ? null : i.image);
  }
}
