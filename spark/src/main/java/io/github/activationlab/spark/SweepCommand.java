package io.github.activationlab.spark;

import io.github.activationlab.files.AtomicFiles;
import io.github.activationlab.plot.SweepCharts;
import io.github.activationlab.sweep.SweepJson;
import io.github.activationlab.sweep.SweepResults;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sweep} on Spark: the command line's {@code sweep} (its options, its table, Sweep JSON and
 * chart) with the seeds of each activation trained as tasks ({@link SweepJob}).
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = {
      "The seed lottery on Spark: activation-lab's sweep, its seeds cut into ranges trained as"
          + " tasks, gathered into the same table, Sweep JSON and chart. By default a range is a"
          + " run of the single-machine sweep's chunks (about two ranges per task slot): every"
          + " seed's result is the single-machine one, bit for bit; --partitions N cuts each"
          + " activation's seeds into N ranges instead (narrower ranges: results within float32"
          + " rounding).",
      ""
    })
final class SweepCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      paramLabel = "NAME",
      defaultValue = "xor-mlp",
      description = "a model of the notebook (default: ${DEFAULT-VALUE})")
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
          "element-wise activations (Keras names), in this order; 'all': every one with a"
              + " gradient. Default: the model's own hidden activation")
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
          "the single-machine sweep whose chunks the ranges follow: its activations side by side"
              + " (default: as sweep's, one per core of this machine, at most 2)")
  Integer threads;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      description =
          "cut each activation's seeds into N ranges (default: runs of whole single-machine"
              + " chunks, about two ranges per task slot)")
  Integer partitions;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "also write the results as JSON (an existing file is refused unless --force)")
  Path json;

  @Option(names = "--force", description = "overwrite an existing --json file")
  boolean force;

  @Option(
      names = "--graphs",
      paramLabel = "DIR",
      defaultValue = "graphs/sweeps",
      description = "where the chart is written (default: ${DEFAULT-VALUE})")
  Path graphs;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark's master (default: spark-submit's, else " + Sessions.DEFAULT_MASTER + ")")
  String master;

  @Override
  public Integer call() throws Exception {
    int side =
        threads == null
            ? Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()))
            : threads;
    var plan = SweepJob.plan(model, activations, first, seeds, epochs, lr, dtype, side, partitions);
    if (json != null) AtomicFiles.refuseExisting(json, force);
    try (Sessions.Handle h = Sessions.open(Sessions.master(master), "activation-lab sweep")) {
      SweepJob.printHeader(plan, System.out);
      SweepJob.Run run = SweepJob.run(h.spark(), plan);
      SweepResults.printTable(run.sweep(), System.out);
      System.out.println(throughput(run));
      System.err.println(run.describe());
      System.out.println("wrote " + SweepCharts.save(run.sweep(), graphs));
      if (json != null) {
        System.out.println("wrote " + SweepJson.write(run.sweep(), json, force));
      }
    }
    return 0;
  }

  static String throughput(SweepJob.Run r) {
    var s = r.sweep();
    return String.format(
        "%d activation%s x %d seeds x %d epochs = %.3g seed-epochs in %.1f s: %.3g seed-epochs/s"
            + " (spark: %d tasks, ranges trained in chunks of up to %d seeds, %d task slots,"
            + " %d executor JVM%s)",
        s.results().size(),
        s.results().size() == 1 ? "" : "s",
        s.seeds(),
        s.epochs(),
        (double) s.seeds() * s.epochs() * s.results().size(),
        s.secondsTotal(),
        s.seedEpochsPerSecond(),
        r.tasks(),
        s.chunk(),
        s.threads(),
        r.jvms(),
        r.jvms() == 1 ? "" : "s");
  }
}
