package io.github.activationlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.activationlab.nn.Sequential;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** A cell sees every public package of core: a package added to core is imported or named. */
class StartupTest {
  private static final String ROOT = "io/github/activationlab/";

  @Test
  void everyPublicCorePackageIsImportedOrDeliberatelyLeftOut() throws Exception {
    Set<String> expected = new TreeSet<>(Startup.CORE_PACKAGES);
    expected.addAll(Startup.CORE_PACKAGES_NOT_IMPORTED);
    assertEquals(expected, corePackages(), "core's top-level packages vs Startup's lists");
  }

  @Test
  void snippetsImportEachListedPackage() {
    for (String p : Startup.CORE_PACKAGES) {
      assertTrue(Startup.snippets().contains("import io.github.activationlab." + p + ".*;"), p);
    }
  }

  /** Top-level packages under io.github.activationlab in core's jar (or classes directory). */
  private static Set<String> corePackages() throws IOException, URISyntaxException {
    Path where =
        Path.of(Sequential.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<String> packages = new TreeSet<>();
    if (Files.isDirectory(where)) {
      try (Stream<Path> files = Files.walk(where.resolve(ROOT))) {
        files
            .filter(f -> f.toString().endsWith(".class"))
            .map(f -> where.resolve(ROOT).relativize(f).getName(0).toString())
            .forEach(packages::add);
      }
    } else {
      try (ZipFile jar = new ZipFile(where.toFile())) {
        jar.stream()
            .map(e -> e.getName())
            .filter(n -> n.startsWith(ROOT) && n.endsWith(".class"))
            .map(n -> n.substring(ROOT.length()).split("/")[0])
            .forEach(packages::add);
      }
    }
    packages.remove("internal");
    packages.removeIf(p -> p.endsWith(".class")); // classes directly in the root package
    return packages;
  }
}
