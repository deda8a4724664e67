package io.github.activationlab.cli;

import io.github.activationlab.files.AtomicFiles;
import io.github.activationlab.nn.Fit;
import io.github.activationlab.nn.History;
import io.github.activationlab.nn.Model;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "fit",
    mixinStandardHelpOptions = true,
    description =
        "Continues training a Keras 3 .keras model, Sequential or Functional (weights, layer "
            + "state and the optimizer's state), on a CSV whose last columns are the targets, and "
            + "writes the trained model as a .keras file.")
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
      description =
          "one row per sample: the inputs (every model input's values side by side), then the"
              + " targets (each output's values side by side; one class index per output for"
              + " sparse_categorical_crossentropy)")
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

  @Option(names = "--force", description = "overwrite an existing --out (and --history)")
  boolean force;

  @Option(
      names = "--history",
      paramLabel = "FILE.json",
      description =
          "also write the fit's History as Keras's history.history: {\"loss\": [...],"
              + " \"accuracy\": [...], ...}, one value per epoch")
  Path history;

  @Override
  public Integer call() throws Exception {
    if (epochs <= 0) throw new IllegalArgumentException("--epochs must be positive, got " + epochs);
    if (batchSize <= 0) {
      throw new IllegalArgumentException("--batch-size must be positive, got " + batchSize);
    }
    if (!out.getFileName().toString().endsWith(".keras")) {
      throw new IllegalArgumentException("--out must end in .keras (Keras 3 loads only those)");
    }
    AtomicFiles.refuseExisting(out, force);
    if (history != null) AtomicFiles.refuseExisting(history, force);
    if (!Files.isRegularFile(model)) throw new NoSuchFileException(model.toString());
    if (!Files.isRegularFile(data)) throw new NoSuchFileException(data.toString());
    try (Model m = Model.load(model)) {
      if (m.whyNotTrainable() != null) {
        throw new IllegalArgumentException("cannot train " + m.whyNotTrainable());
      }
      double[][] rows = Rows.parse(Rows.readCsv(data));
      int in = m.inputDim();
      int width = in + m.targetDim();
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
                  + m.targetDim()
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
          "# %s: %s, %d samples, %s at step %d%n",
          model, m.name(), rows.length, m.optimizer().kerasClass(), before);
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
      if (history != null) {
        Map<String, List<Double>> json = new LinkedHashMap<>();
        json.put("loss", h.loss());
        json.putAll(h.metrics());
        byte[] bytes =
            (new com.google.gson.Gson().toJson(json) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(history, force, bytes);
      }
      System.out.printf(
          "wrote %s: loss %.6g -> %.6g, %s at step %d%n",
          out,
          h.loss().get(0),
          h.finalLoss(),
          m.optimizer().kerasClass(),
          m.optimizerState().iterations());
    }
    return 0;
  }
}
