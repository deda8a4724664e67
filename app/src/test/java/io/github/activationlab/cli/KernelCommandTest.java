package io.github.activationlab.cli;

import static io.github.activationlab.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.activationlab.kernel.Kernelspec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kernel install|remove} on the command line: exit codes and one-line errors. */
class KernelCommandTest {
  @TempDir Path tmp;

  @Test
  void kernelNeedsASubcommandAndOneWhere() {
    var r = run("kernel");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("error: kernel needs a subcommand"), r.err());
    assertEquals(2, run("kernel", "install", "--user", "--prefix", tmp.toString()).code());
  }

  @Test
  void installWithPrefixOrTheOneLineAboutJupyter() throws Exception {
    var r = run("kernel", "install", "--prefix", tmp.toString());
    Path spec = tmp.resolve("share/jupyter/kernels/activation-lab/kernel.json");
    if (Kernelspec.jupyterOnPath(System.getenv())) {
      assertEquals(0, r.code(), r.err());
      assertTrue(Files.readString(spec).contains("\"display_name\": \"Java (Activation Lab)\""));
      assertEquals(0, run("kernel", "remove", "--prefix", tmp.toString()).code());
    } else {
      assertEquals(1, r.code());
      assertEquals("error: " + Kernelspec.NO_JUPYTER + "\n", r.err());
    }
    assertTrue(Files.notExists(spec));
  }

  @Test
  void removingWhatIsNotThereIsOneLine() {
    var r = run("kernel", "remove", "--prefix", tmp.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("error: no such file: "), r.err());
    assertTrue(r.err().trim().endsWith("(no kernelspec activation-lab there)"), r.err());
    assertEquals(1, r.err().lines().count());
  }
}
