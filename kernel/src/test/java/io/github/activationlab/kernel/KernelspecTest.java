package io.github.activationlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the kernelspec goes (as jupyter kernelspec install), what it says, and its removal. */
class KernelspecTest {
  @TempDir Path tmp;

  /** A PATH with a fake {@code jupyter} executable. */
  Map<String, String> env(String... more) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path jupyter = bin.resolve("jupyter");
    Files.writeString(jupyter, "#!/bin/sh\n");
    Files.setPosixFilePermissions(jupyter, PosixFilePermissions.fromString("rwxr-xr-x"));
    var m = new java.util.HashMap<String, String>(Map.of("PATH", "/nonexistent:" + bin));
    for (int i = 0; i < more.length; i += 2) m.put(more[i], more[i + 1]);
    return m;
  }

  @Test
  void installWritesTheSpecIntoJupyterDataDir() throws Exception {
    Path data = tmp.resolve("data");
    Path dir = Kernelspec.install(null, env("JUPYTER_DATA_DIR", data.toString()));
    assertEquals(data.resolve("kernels/activation-lab"), dir);
    var spec =
        JsonParser.parseString(Files.readString(dir.resolve("kernel.json"))).getAsJsonObject();
    assertEquals("Java (Activation Lab)", spec.get("display_name").getAsString());
    assertEquals("java", spec.get("language").getAsString());
    assertEquals("message", spec.get("interrupt_mode").getAsString());
    var argv = spec.getAsJsonArray("argv");
    assertTrue(Files.isExecutable(Path.of(argv.get(0).getAsString())), argv.toString());
    assertEquals("-cp", argv.get(1).getAsString());
    assertTrue(argv.get(2).getAsString().contains("classes"), "this module's class path: " + argv);
    assertEquals(KernelMain.class.getName(), argv.get(3).getAsString());
    assertEquals("{connection_file}", argv.get(4).getAsString());
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "kernel.json only, no temporaries left");
    }
  }

  @Test
  void userInstallWithoutJupyterDataDirFollowsXdg() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        System.getProperty("os.name").toLowerCase().contains("linux"));
    Path dir = Kernelspec.install(null, env("XDG_DATA_HOME", tmp.resolve("xdg").toString()));
    assertEquals(tmp.resolve("xdg/jupyter/kernels/activation-lab"), dir);
  }

  @Test
  void prefixInstallGoesUnderShareJupyter() throws Exception {
    Path dir = Kernelspec.install(tmp.resolve("venv"), env("JUPYTER_DATA_DIR", "/nonexistent"));
    assertEquals(tmp.resolve("venv/share/jupyter/kernels/activation-lab"), dir);
    assertTrue(Files.isRegularFile(dir.resolve("kernel.json")));
  }

  @Test
  void withoutJupyterInstallSaysWhatToInstallAndWritesNothing() {
    Path data = tmp.resolve("data");
    var e =
        assertThrows(
            IllegalStateException.class,
            () ->
                Kernelspec.install(
                    null, Map.of("PATH", "/nonexistent", "JUPYTER_DATA_DIR", data.toString())));
    assertEquals(Kernelspec.NO_JUPYTER, e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertFalse(Files.exists(data));
  }

  @Test
  void removeUndoesInstallAndAMissingSpecIsAnError() throws Exception {
    var env = env("JUPYTER_DATA_DIR", tmp.resolve("data").toString());
    Path dir = Kernelspec.install(null, env);
    assertEquals(dir, Kernelspec.remove(null, env));
    assertFalse(Files.exists(dir));
    assertTrue(Files.isDirectory(dir.getParent()), "the kernels directory stays");
    assertThrows(NoSuchFileException.class, () -> Kernelspec.remove(null, env));
  }

  @Test
  void installReplacesAnOldSpec() throws Exception {
    var env = env("JUPYTER_DATA_DIR", tmp.resolve("data").toString());
    Path dir = Kernelspec.install(null, env);
    Files.writeString(dir.resolve("kernel.json"), "{\"stale\": true}");
    Kernelspec.install(null, env);
    assertTrue(Files.readString(dir.resolve("kernel.json")).contains("Java (Activation Lab)"));
  }
}
