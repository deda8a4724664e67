package io.github.activationlab.spark;

import java.io.FileNotFoundException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The Spark jobs: {@code sweep} (seed ranges as tasks, gathered into the single-machine sweep's
 * JSON and chart) and {@code predict} (CSV or Parquet rows of any size, one model per executor JVM,
 * the CLI's output byte for byte). Each takes the command line's options plus {@code --master}
 * (default {@code local[*]}, or what {@code spark-submit} was given).
 *
 * <p>As the command line: errors are one line on stderr ({@code error: ...}), exit 1 for a failed
 * run and 2 for bad arguments; nothing half written is left at {@code --output} or {@code --json}.
 */
@Command(
    name = "activation-lab-spark",
    mixinStandardHelpOptions = true,
    version = "activation-lab-spark 0.1.0",
    description = "Seed sweeps and batch prediction of Activation Lab on Apache Spark.",
    subcommands = {SweepCommand.class, PredictCommand.class})
public final class SparkJobs {
  private SparkJobs() {}

  /**
   * Runs the command line and exits with its code.
   *
   * @param args a subcommand and its options
   */
  public static void main(String[] args) {
    int code = run(args);
    if (code != 0) System.exit(code);
  }

  /**
   * Runs the command line in this process and returns its exit code (tests call this).
   *
   * @param args a subcommand and its options
   * @return 0, 1 for a failed run, 2 for bad arguments
   */
  public static int run(String... args) {
    Sessions.quietLogging();
    CommandLine cli = new CommandLine(new SparkJobs());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("error: " + oneLine(e));
          return 1;
        });
    cli.setParameterExceptionHandler(
        (e, args2) -> {
          e.getCommandLine().getErr().println("error: " + e.getMessage() + " (see --help)");
          return 2;
        });
    return cli.execute(args);
  }

  /**
   * The one line a user reads: the message of the first exception in the chain that says something
   * of its own (Spark's "Job aborted due to stage failure: ..." wraps the task's exception, which
   * is what happened).
   */
  static String oneLine(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null
        && (t.getMessage() == null
            || t instanceof java.io.UncheckedIOException
            || t instanceof org.apache.spark.SparkException
            || t instanceof java.util.concurrent.ExecutionException)) {
      t = t.getCause();
    }
    if (t instanceof NoSuchFileException || t instanceof FileNotFoundException) {
      return "no such file: " + t.getMessage();
    }
    if (t instanceof FileAlreadyExistsException) return t.getMessage();
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return msg.strip().lines().findFirst().orElse(msg);
  }
}
