package io.github.activationlab.cli;

import io.github.activationlab.nn.Fit;
import io.github.activationlab.nn.History;
import io.github.activationlab.nn.Sequential;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "fit",
    mixinStandardHelpOptions = true,
    description =
        "Continues training a Keras 3 .keras model (weights and Adam's state) on a CSV "
            + "whose last columns are the targets, and writes the trained model as a .keras file.")
final class FitCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      required = true,
      paramLabel = "IN.keras",
      description = "the model to train (Keras 3 .keras, from Keras or from this project)")
  Path model;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "TRAIN.csv",
      description = "one row per sample: the inputs, then as many targets as the model has outputs")
  Path data;

  @Option(names = "--epochs", required = true, paramLabel = "N", description = "epochs to train")
  int epochs;

  @Option(
      names = "--batch-size",
      paramLabel = "B",
      defaultValue = "32",
      description = "batch size (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description = "seed of the shuffles (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--shuffle",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "reshuffle the samples every epoch, as Keras's fit (default); --no-shuffle "
              + "takes them in order")
  boolean shuffle;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "OUT.keras",
      description = "where the trained model goes")
  Path out;

  @Option(names = "--force", description = "overwrite an existing --out")
  boolean force;

  @Override
  public Integer call() throws Exception {
    if (epochs <= 0) throw new IllegalArgumentException("--epochs must be positive, got " + epochs);
    if (batchSize <= 0) {
      throw new IllegalArgumentException("--batch-size must be positive, got " + batchSize);
    }
    if (!out.getFileName().toString().endsWith(".keras")) {
      throw new IllegalArgumentException("--out must end in .keras (Keras 3 loads only those)");
    }
    if (Files.exists(out) && !force) {
      throw new FileAlreadyExistsException(out + " exists (use --force to overwrite)");
    }
    if (!Files.isRegularFile(model)) throw new NoSuchFileException(model.toString());
    if (!Files.isRegularFile(data)) throw new NoSuchFileException(data.toString());
    try (Sequential m = Sequential.load(model)) {
      if (m.whyNotTrainable() != null) {
        throw new IllegalArgumentException("cannot train " + m.whyNotTrainable());
      }
      double[][] rows = Rows.parse(Rows.readCsv(data));
      int in = m.inputDim();
      int width = in + m.outputDim();
      for (int i = 0; i < rows.length; i++) {
        if (rows[i].length != width) {
          throw new IllegalArgumentException(
              data
                  + " row "
                  + (i + 1)
                  + " has "
                  + rows[i].length
                  + " columns; the model takes "
                  + in
                  + " inputs and "
                  + m.outputDim()
                  + " targets ("
                  + width
                  + ")");
        }
      }
      double[][] x = Arrays.stream(rows).map(r -> Arrays.copyOf(r, in)).toArray(double[][]::new);
      double[][] y =
          Arrays.stream(rows).map(r -> Arrays.copyOfRange(r, in, width)).toArray(double[][]::new);
      long before = m.optimizerState().iterations();
      System.out.printf(
          "# %s: %s, %d samples, Adam at step %d%n", model, m.name(), rows.length, before);
      History h =
          m.fit(
              x,
              y,
              Fit.epochs(epochs)
                  .batchSize(batchSize)
                  .seed(seed)
                  .shuffle(shuffle)
                  .verbose(2)
                  .every(Math.max(1, epochs / 10)));
      m.save(out, force);
      System.out.printf(
          "wrote %s: loss %.6g -> %.6g, Adam at step %d%n",
          out, h.loss().get(0), h.finalLoss(), m.optimizerState().iterations());
    }
    return 0;
  }
}
