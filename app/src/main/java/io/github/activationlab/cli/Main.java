package io.github.activationlab.cli;

import io.github.activationlab.serve.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line: one entry, one subcommand per exec id of DESIGN.md. Errors are one line on
 * stderr and a non-zero exit (1 for a failed run, 2 for bad arguments). It runs in this JVM, quiet
 * and fast as any application of the library is: the library loads TensorFlow with its settings and
 * filters TensorFlow's once-per-process log lines ({@code tf.NativeRuntime}).
 */
@Command(
    name = "activation-lab",
    mixinStandardHelpOptions = true,
    version = "activation-lab 0.1.0",
    description = "The activation-functions notebook, ported to TensorFlow Java.",
    subcommands = {
      ExperimentCommands.NotebookCommand.class,
      ActivationsCommand.class,
      ExperimentCommands.PerceptronCommand.class,
      ExperimentCommands.GatesCommand.class,
      ExperimentCommands.ReluFitCommand.class,
      ExperimentCommands.ExportCommand.class,
      PredictCommand.class,
      FitCommand.class,
      SweepCommand.class,
      BenchCommand.class,
      KernelCommand.class,
      ServeCommand.class
    })
public final class Main {

  public static void main(String[] args) {
    int code = run(args);
    if (code != 0) System.exit(code);
  }

  /** Runs the command line in this process and returns its exit code (tests call this). */
  public static int run(String... args) {
    if (args.length == 0) args = new String[] {"notebook"}; // the main job
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("error: " + Errors.oneLine(e));
          return 1;
        });
    cli.setParameterExceptionHandler(
        (e, args2) -> {
          e.getCommandLine().getErr().println("error: " + e.getMessage() + " (see --help)");
          return 2;
        });
    return cli.execute(args);
  }
}
