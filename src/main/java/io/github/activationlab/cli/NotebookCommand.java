package io.github.activationlab.cli;

import io.github.activationlab.experiment.Notebook;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "notebook", mixinStandardHelpOptions = true,
    description = "The whole notebook, in its order: every experiment, its charts and exports, "
        + "then a summary of what was written where.")
final class NotebookCommand implements Callable<Integer> {
  @Mixin Options.Output output;

  @Override
  public Integer call() throws Exception {
    // The notebook regenerates everything it writes: its own exports are replaced.
    new Notebook(output.out, output.graphs).run(System.out);
    return 0;
  }

}
