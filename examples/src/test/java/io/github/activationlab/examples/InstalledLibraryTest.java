package io.github.activationlab.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What {@code mvn install} put in the local repository for this project to use: a thin library jar
 * (under 5 MB) with its -sources and -javadoc jars, whose POM brings no platform native and no
 * logging binding.
 */
class InstalledLibraryTest {
  static final Path DIR =
      Path.of(
          System.getProperty("localRepository"),
          "io/github/activationlab/activation-lab-core",
          System.getProperty("activationLabVersion"));
  static final String BASE = "activation-lab-core-" + System.getProperty("activationLabVersion");

  @Test
  void aThinJarWithSourcesAndJavadoc() throws Exception {
    Path jar = DIR.resolve(BASE + ".jar");
    assertTrue(Files.isRegularFile(jar), jar + " (run mvn install at the root)");
    assertTrue(Files.size(jar) < 5_000_000, jar + ": " + Files.size(jar) + " bytes");
    for (String kind : List.of("sources", "javadoc")) {
      Path p = DIR.resolve(BASE + "-" + kind + ".jar");
      assertTrue(Files.isRegularFile(p) && Files.size(p) > 10_000, p.toString());
    }
  }

  @Test
  void itsPomBringsNoNativeAndNoLoggingBinding() throws Exception {
    String pom = Files.readString(DIR.resolve(BASE + ".pom"));
    List<String> deps = new ArrayList<>();
    Matcher m = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL).matcher(pom);
    while (m.find()) {
      String d = m.group(1);
      if (d.contains("<scope>test</scope>") || d.contains("<scope>provided</scope>")) continue;
      deps.add(d.replaceAll("\\s+", " "));
    }
    assertTrue(deps.stream().anyMatch(d -> d.contains("tensorflow-core-api")), deps.toString());
    for (String d : deps) {
      assertFalse(d.contains("<classifier>"), "a platform-specific dependency: " + d);
      assertFalse(d.contains("tensorflow-core-platform"), "every platform's native: " + d);
      assertFalse(
          d.matches(".*(slf4j-(nop|simple|reload4j|jdk14|log4j12)|logback-classic|log4j-slf4j).*"),
          "a logging binding: " + d);
    }
  }
}
