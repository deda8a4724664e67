package io.github.activationlab.experiment;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What every experiment is given: where to print, where SavedModels and charts go, whether an
 * existing export may be replaced, the seed, an epochs override (tests and quick runs) and the
 * image for the activation gallery ({@code null}: the bundled photo). It collects what was written,
 * for the notebook's summary.
 */
public final class Context {
  public final PrintStream out;
  public final Path models;
  public final Path graphs;
  public final boolean force;
  public final long seed;
  public final Integer epochs;
  public final Path image;
  public final List<Path> written = new ArrayList<>();

  public Context(
      PrintStream out,
      Path models,
      Path graphs,
      boolean force,
      long seed,
      Integer epochs,
      Path image) {
    if (epochs != null && epochs <= 0)
      throw new IllegalArgumentException("--epochs must be positive, got " + epochs);
    this.out = out;
    this.models = models;
    this.graphs = graphs;
    this.force = force;
    this.seed = seed;
    this.epochs = epochs;
    this.image = image;
  }

  /**
   * This context printing to {@code out} instead, with a list of written files of its own: for an
   * experiment's part run on another thread, whose text and files are added in order afterwards.
   */
  public Context printingTo(PrintStream out) {
    return new Context(out, models, graphs, force, seed, epochs, image);
  }

  /** The notebook's epochs, unless overridden. */
  public int epochs(int notebook) {
    return epochs != null ? epochs : notebook;
  }

  public Path wrote(Path p) {
    written.add(p);
    return p;
  }
}
