package io.github.activationlab.cli;

import io.github.activationlab.experiment.ActivationsExperiment;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "activations", mixinStandardHelpOptions = true,
    description = "Every activation as TF ops: a table of values and derivatives, and the "
        + "'activations' SavedModel (one signature per activation).")
final class ActivationsCommand implements Callable<Integer> {
  @Mixin Options.Output output;
  @Mixin Options.Only only;

  @Override
  public Integer call() throws Exception {
    new ActivationsExperiment(only.names, output.out, output.force).run(System.out);
    return 0;
  }
}
