package io.github.activationlab.cli;

import io.github.activationlab.activation.Activations;
import io.github.activationlab.experiment.Context;
import io.github.activationlab.experiment.GatesExperiment;
import io.github.activationlab.experiment.Notebook;
import io.github.activationlab.experiment.PerceptronExperiment;
import io.github.activationlab.experiment.ReluFitExperiment;
import io.github.activationlab.experiment.Runs;
import io.github.activationlab.files.AtomicFiles;
import io.github.activationlab.notebook.NotebookModels;
import io.github.activationlab.savedmodel.ActivationsExport;
import java.nio.file.FileAlreadyExistsException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The notebook's sections as subcommands. */
final class ExperimentCommands {
  private ExperimentCommands() {}

  /**
   * Refuses to replace existing exports unless --force, before any training: an early, friendly
   * error. (The export itself refuses again, atomically, when it publishes — so two exports started
   * together cannot both pass; see {@link io.github.activationlab.files.AtomicDirectory}.) A link
   * whose version is gone still counts as existing.
   */
  static void refuseExisting(Context ctx, List<String> names) throws FileAlreadyExistsException {
    for (String n : names) {
      AtomicFiles.refuseExisting(ctx.models.resolve(n), ctx.force);
      AtomicFiles.refuseExisting(ctx.models.resolve(n + ".keras"), ctx.force);
    }
  }

  static final List<String> GATES = NotebookModels.names(NotebookModels.GATES);
  static final List<String> RELU = NotebookModels.names(NotebookModels.RELU_FITS);

  @Command(
      name = "notebook",
      mixinStandardHelpOptions = true,
      description =
          "The whole notebook, in its order: every experiment, its charts and exports, "
              + "then a summary of what was written where. It regenerates its own exports.")
  static final class NotebookCommand implements Callable<Integer> {
    @Mixin Options.Output output;
    @Mixin Options.Training training;
    @Mixin Options.Image image;

    @Override
    public Integer call() throws Exception {
      Notebook.run(Options.context(output, training, image, true));
      return 0;
    }
  }

  @Command(
      name = "perceptron",
      mixinStandardHelpOptions = true,
      description =
          "The hand-written perceptron on OR, AND, XOR and XOR with x1*x2 (chart:"
              + " perceptron-gates.png).")
  static final class PerceptronCommand implements Callable<Integer> {
    @Mixin Options.Output output;
    @Mixin Options.Training training;

    @Override
    public Integer call() throws Exception {
      PerceptronExperiment.run(Options.context(output, training, null, output.force));
      return 0;
    }
  }

  @Command(
      name = "gates",
      mixinStandardHelpOptions = true,
      description =
          "The Keras gate models (linear, sigmoid, the XOR MLP): summaries, training, "
              + "decision maps, and their SavedModels.")
  static final class GatesCommand implements Callable<Integer> {
    @Mixin Options.Output output;
    @Mixin Options.Training training;

    @Override
    public Integer call() throws Exception {
      Context ctx = Options.context(output, training, null, output.force);
      refuseExisting(ctx, GATES);
      GatesExperiment.run(ctx);
      return 0;
    }
  }

  @Command(
      name = "relu-fit",
      mixinStandardHelpOptions = true,
      description =
          "ReLU networks fitting x^2 + noise (chart: relu-fit.png), and their SavedModels.")
  static final class ReluFitCommand implements Callable<Integer> {
    @Mixin Options.Output output;
    @Mixin Options.Training training;

    @Override
    public Integer call() throws Exception {
      Context ctx = Options.context(output, training, null, output.force);
      refuseExisting(ctx, RELU);
      ReluFitExperiment.run(ctx);
      return 0;
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description =
          "Trains every model of the notebook (and the extras xor-bce, xor-prelu) and exports each"
              + " to <out>/<name>/1/ with run.json; also the activations SavedModel. No charts.")
  static final class ExportCommand implements Callable<Integer> {
    @Mixin Options.Output output;
    @Mixin Options.Training training;

    @Override
    public Integer call() throws Exception {
      Context ctx = Options.context(output, training, null, output.force);
      refuseExisting(ctx, List.of(ActivationsExport.NAME));
      refuseExisting(ctx, NotebookModels.names(NotebookModels.all()));
      ActivationsExport.export(
          ctx.models.resolve(ActivationsExport.NAME), Activations.all(), ctx.force);
      List<String> names = Runs.exportAll(ctx);
      System.out.println(
          "exported to "
              + ctx.models
              + ": "
              + ActivationsExport.NAME
              + ", "
              + String.join(", ", names));
      return 0;
    }
  }
}
