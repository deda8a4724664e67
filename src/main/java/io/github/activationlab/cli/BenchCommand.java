package io.github.activationlab.cli;

import io.github.activationlab.bench.TrainingBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Training speed of the notebook's models: fused loop with and without XLA, and "
        + "one Session.run per step (median of timed runs after a warm-up).")
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--repeats", defaultValue = "5", description = "timed runs per row (default: ${DEFAULT-VALUE})")
  int repeats;

  @Override
  public Integer call() {
    if (repeats <= 0) throw new IllegalArgumentException("--repeats must be positive, got " + repeats);
    TrainingBench.print(TrainingBench.run(repeats), System.out);
    return 0;
  }
}
