package io.github.activationlab.experiment;

import io.github.activationlab.savedmodel.ActivationsExport;
import io.github.activationlab.savedmodel.ExportDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole notebook, in its order, then a summary. Today: the activation section (table and
 * the {@code activations} SavedModel); the perceptron, gates and ReLU-fit sections join as they
 * land. It regenerates what it writes: its exports replace earlier ones.
 */
public final class Notebook {
  private final Path out;
  private final Path graphs;

  public Notebook(Path out, Path graphs) {
    this.out = out;
    this.graphs = graphs;
  }

  public void run(PrintStream o) throws IOException {
    long start = System.nanoTime();
    List<String> written = new ArrayList<>();
    o.println("Ready to activate?");
    o.println();
    o.println("== Activation functions (TensorFlow ops, float32; f' by autodiff) ==");
    written.add(new ActivationsExperiment(null, out, true).run(o).toString());
    o.println();
    o.printf("== Summary: %d export(s) in %.1f s ==%n", written.size(), (System.nanoTime() - start) / 1e9);
    for (String w : written) o.println("  " + w);
  }
}
