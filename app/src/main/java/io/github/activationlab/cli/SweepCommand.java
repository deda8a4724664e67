package io.github.activationlab.cli;

import io.github.activationlab.experiment.Sweeps;
import io.github.activationlab.files.AtomicFiles;
import io.github.activationlab.plot.SweepCharts;
import io.github.activationlab.sweep.SweepJson;
import io.github.activationlab.sweep.SweepResults;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = {
      "The seed lottery, measured: trains a model for many seeds with each activation (all seeds"
          + " of an activation in one XLA op, in chunks within a memory budget) and reports per"
          + " activation the solved rate with its 95%% Wilson interval, the final loss's median"
          + " and 10th/90th percentiles (linear interpolation, numpy's default), the dead-unit"
          + " rate, the collapsed rate and the seconds; then the throughput. Chart:"
          + " <graphs>/sweep-<model>.png; --json FILE: DESIGN.md's Sweep JSON.",
      "",
      "The activation replaces that of every hidden Dense layer (every Dense but the last); the"
          + " output layer keeps its own (sigmoid for xor-mlp, linear for the ReLU fits). A"
          + " single-layer model (or-sigmoid, xor-sigmoid, ...) has no hidden layer: its one layer"
          + " is the output, and it is replaced. PReLU layers (xor-prelu) are kept; 'prelu' as an"
          + " activation is the notebook's fixed alpha 0.1.",
      "The seeds FIRST..FIRST+N-1 vary the initial weights and the shuffles only: the data are"
          + " the same for every seed (the model's data with seed 42, the notebook's default; it"
          + " fixes the noise of the ReLU fits).",
      "Solved: gates, every output within 0.4 of its label; ReLU fits, MSE against the noiseless"
          + " x^2 below 50. Collapsed: max - min of the output over the training inputs <= 1e-6 *"
          + " max(1, |mean|). Dead unit: a hidden unit whose output is the same for every"
          + " training input (by the same test). Loss: the last epoch's loss as Keras's History"
          + " reports it.",
      ""
    })
final class SweepCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      paramLabel = "NAME",
      defaultValue = "xor-mlp",
      description =
          "a model of the notebook (default: ${DEFAULT-VALUE}): or-linear, and-linear, or-sigmoid,"
              + " and-sigmoid, xor-sigmoid, xor-mlp, relu-parallel, relu-serial, xor-bce,"
              + " xor-prelu")
  String model;

  @Option(
      names = "--seeds",
      paramLabel = "N",
      defaultValue = "1000",
      description = "how many seeds (default: ${DEFAULT-VALUE})")
  int seeds;

  @Option(
      names = "--seed",
      paramLabel = "FIRST",
      defaultValue = "42",
      description = "the first seed (default: ${DEFAULT-VALUE})")
  long first;

  @Option(
      names = "--activation",
      paramLabel = "A[,B...]|all",
      split = ",",
      hideParamSyntax = true,
      description =
          "element-wise activations (Keras names), in this order; 'all': every element-wise"
              + " activation of the catalogue that has a gradient (all but binary_step). Default:"
              + " the model's own hidden activation")
  List<String> activations;

  @Option(names = "--epochs", paramLabel = "N", description = "epochs (default: the model's)")
  Integer epochs;

  @Option(
      names = "--lr",
      paramLabel = "X",
      description = "Adam's learning rate (default: the model's)")
  Double lr;

  @Option(
      names = "--dtype",
      paramLabel = "float32|float64",
      defaultValue = "float32",
      description = "(default: ${DEFAULT-VALUE})")
  String dtype;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "activations swept side by side, each on one core; they share the memory"
              + " budget (default: one per core, at most 2)")
  Integer threads;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description =
          "also write the results as JSON" + " (an existing file is refused unless --force)")
  Path json;

  @Option(names = "--force", description = "overwrite an existing --json file")
  boolean force;

  @Option(
      names = "--graphs",
      paramLabel = "DIR",
      defaultValue = "graphs/sweeps",
      description =
          "where the chart is written (default: ${DEFAULT-VALUE}, which git ignores: an ad-hoc"
              + " sweep never overwrites the README's figures, which the main job draws)")
  Path graphs;

  @Override
  public Integer call() throws Exception {
    // every check before TensorFlow allocates anything
    var plan =
        Sweeps.plan(
            model,
            activations,
            first,
            seeds,
            epochs,
            lr,
            dtype,
            threads == null ? Sweeps.defaultThreads() : threads);
    if (json != null) AtomicFiles.refuseExisting(json, force);
    Sweeps.printHeader(plan, System.out);
    var sweep = Sweeps.run(plan, System.err);
    SweepResults.printTable(sweep, System.out);
    System.out.println(SweepResults.throughput(sweep));
    System.out.println("wrote " + SweepCharts.save(sweep, graphs));
    if (json != null) System.out.println("wrote " + SweepJson.write(sweep, json, force));
    return 0;
  }
}
