package io.github.activationlab.spark;

import io.github.activationlab.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code predict} on Spark: the command line's {@code predict} (its options, its output byte for
 * byte) for inputs of any size, CSV or Parquet, spread over the executors ({@link PredictJob}).
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Loads a SavedModel (ours, or a Keras model.export()) or a Keras 3 .keras file once in each"
          + " executor JVM and predicts every row of a CSV or Parquet input, written in input"
          + " order: the same bytes as activation-lab's predict.",
      ""
    })
final class PredictCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description =
          "a SavedModel directory, a model directory with numbered versions, or a .keras file;"
              + " every executor must read it at this path (relative: to the driver's directory)")
  Path model;

  @ArgGroup(multiplicity = "1")
  Input input;

  static final class Input {
    @Option(
        names = "--input",
        paramLabel = "ROWS",
        description = "rows separated by ';', values by ',': \"0,1;1,1\"")
    String inline;

    @Option(
        names = "--input-file",
        paramLabel = "FILE",
        description =
            "a CSV file (one row per line; blank lines and lines starting with # skipped), a"
                + " Parquet file (numeric columns), or a directory of either; any size; any path"
                + " Hadoop reads (hdfs://, s3a://, ...)")
    String file;
  }

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description =
          "write the output to FILE instead of stdout (atomically: complete or not at all)")
  Path output;

  @Option(names = "--force", description = "replace an existing --output FILE")
  boolean force;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark's master (default: spark-submit's, else " + Sessions.DEFAULT_MASTER + ")")
  String master;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      description = "cut the input into about N partitions (default: Spark's splits)")
  Integer partitions;

  @Override
  public Integer call() throws IOException {
    if (partitions != null && partitions <= 0) {
      throw new IllegalArgumentException("--partitions must be positive, got " + partitions);
    }
    if (input.file != null) { // missing, or neither CSV nor Parquet: before Spark starts
      Inputs.kind(new org.apache.hadoop.conf.Configuration(), input.file);
    }
    if (output != null) AtomicFiles.refuseExisting(output, force);
    List<String> inline = input.inline != null ? List.of(input.inline.split(";")) : null;
    long t0 = System.nanoTime();
    try (Sessions.Handle h = Sessions.open(Sessions.master(master), "activation-lab predict")) {
      PredictJob.Summary s =
          PredictJob.run(
              h.spark(), model, inline, input.file, output, force, partitions, System.out);
      if (output != null) System.out.println("wrote " + output + " (" + s.rows() + " rows)");
      System.err.printf("%s; %.1f s%n", s.describe(), (System.nanoTime() - t0) / 1e9);
    }
    return 0;
  }
}
