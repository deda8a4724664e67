package io.github.activationlab.cli;

import io.github.activationlab.experiment.ActivationsExperiment;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "activations",
    mixinStandardHelpOptions = true,
    description =
        "Every activation as TF ops: a table of values and derivatives, the notebook's "
            + "chart for each (graphs/activations/), and the 'activations' SavedModel.")
final class ActivationsCommand implements Callable<Integer> {
  @Mixin Options.Output output;
  @Mixin Options.Only only;
  @Mixin Options.Image image;
  @Mixin Options.Training training;

  @Override
  public Integer call() throws Exception {
    new ActivationsExperiment(only.names, Options.context(output, training, image, output.force))
        .run();
    return 0;
  }
}
