package io.github.activationlab.cli;

import io.github.activationlab.kernel.ActivationLabKernel;
import io.github.activationlab.kernel.Kernelspec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kernel install|remove}: the Jupyter kernelspec {@code activation-lab}, as {@code jupyter
 * kernelspec install} places it (see {@link Kernelspec}); the kernel itself is {@code
 * io.github.activationlab.kernel.KernelMain}, which Jupyter starts from the spec.
 */
@Command(
    name = "kernel",
    mixinStandardHelpOptions = true,
    description =
        "The Jupyter kernel \""
            + ActivationLabKernel.DISPLAY_NAME
            + "\" (kernelspec activation-lab).",
    subcommands = {KernelCommand.Install.class, KernelCommand.Remove.class})
final class KernelCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new picocli.CommandLine.ParameterException(
        new picocli.CommandLine(this), "kernel needs a subcommand: install or remove");
  }

  /** Where: the user's data directory (default) or a prefix, as jupyter kernelspec install. */
  static final class Where {
    @Option(
        names = "--user",
        description = "the user's Jupyter data directory (the default; JUPYTER_DATA_DIR if set)")
    boolean user;

    @Option(
        names = "--prefix",
        paramLabel = "DIR",
        description = "DIR/share/jupyter/kernels instead (e.g. a virtualenv: --prefix .venv)")
    Path prefix;
  }

  @Command(
      name = "install",
      mixinStandardHelpOptions = true,
      description =
          "Writes the kernelspec activation-lab; it starts the kernel with this JDK and this jar."
              + " Replaces an existing one.")
  static final class Install implements Callable<Integer> {
    @ArgGroup(exclusive = true)
    Where where;

    @Override
    public Integer call() throws Exception {
      Path dir = Kernelspec.install(where == null ? null : where.prefix, System.getenv());
      System.out.println(
          "installed kernelspec "
              + ActivationLabKernel.NAME
              + " (\""
              + ActivationLabKernel.DISPLAY_NAME
              + "\") in "
              + dir);
      System.out.println("open the notebook: jupyter lab notebooks/");
      return 0;
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Removes the kernelspec activation-lab from where install put it.")
  static final class Remove implements Callable<Integer> {
    @ArgGroup(exclusive = true)
    Where where;

    @Override
    public Integer call() throws Exception {
      Path dir = Kernelspec.remove(where == null ? null : where.prefix, System.getenv());
      System.out.println("removed kernelspec " + ActivationLabKernel.NAME + " from " + dir);
      return 0;
    }
  }
}
