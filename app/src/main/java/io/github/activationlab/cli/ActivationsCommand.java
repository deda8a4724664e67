package io.github.activationlab.cli;

import io.github.activationlab.experiment.ActivationsExperiment;
import io.github.activationlab.experiment.Context;
import io.github.activationlab.files.AtomicFiles;
import io.github.activationlab.savedmodel.ActivationsExport;
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
    Context ctx = Options.context(output, training, image, output.force);
    // refuse an existing export before drawing anything, as gates, relu-fit and export do
    AtomicFiles.refuseExisting(ctx.models.resolve(ActivationsExport.NAME), ctx.force);
    new ActivationsExperiment(only.names, ctx).run();
    return 0;
  }
}
