package io.github.activationlab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "Loads a SavedModel (ours, or a Keras model.export()) or a Keras 3 .keras file "
        + "and prints its outputs for the given rows.")
final class PredictCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "a SavedModel directory, a model directory with numbered versions, or a "
          + ".keras file")
  Path model;

  @ArgGroup(multiplicity = "1")
  Input input;

  static final class Input {
    @Option(names = "--input", paramLabel = "ROWS", description = "rows separated by ';', values by ',': \"0,1;1,1\"")
    String inline;

    @Option(names = "--input-file", paramLabel = "CSV", description = "a CSV file, one row per line")
    Path file;
  }

  @Override
  public Integer call() throws IOException {
    List<String> lines = input.inline != null ? List.of(input.inline.split(";")) : readCsv(input.file);
    double[][] rows = parse(lines);
    try (LoadedModel p = LoadedModel.open(model)) {
      double[][] out = p.predict(rows);
      System.out.println("# " + p.describe());
      for (int i = 0; i < rows.length; i++) {
        System.out.println(join(rows[i]) + " -> " + join(out[i]));
      }
    }
    return 0;
  }

  static List<String> readCsv(Path file) throws IOException {
    if (!Files.isRegularFile(file)) throw new java.nio.file.NoSuchFileException(file.toString());
    List<String> lines = new ArrayList<>();
    for (String l : Files.readAllLines(file)) if (!l.isBlank() && !l.startsWith("#")) lines.add(l);
    return lines;
  }

  static double[][] parse(List<String> lines) {
    double[][] rows = new double[lines.size()][];
    for (int i = 0; i < rows.length; i++) {
      String[] cells = lines.get(i).trim().split("\\s*,\\s*");
      rows[i] = new double[cells.length];
      for (int j = 0; j < cells.length; j++) {
        try {
          rows[i][j] = Double.parseDouble(cells[j]);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("input row " + (i + 1) + ": '" + cells[j] + "' is not a number");
        }
        if (Double.isNaN(rows[i][j])) throw new IllegalArgumentException("input row " + (i + 1) + " has NaN");
      }
    }
    if (rows.length == 0) throw new IllegalArgumentException("no input rows");
    return rows;
  }

  private static String join(double[] v) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < v.length; i++) b.append(i > 0 ? "," : "").append((float) v[i]);
    return b.toString();
  }
}
