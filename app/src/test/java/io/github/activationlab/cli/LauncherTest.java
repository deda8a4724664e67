package io.github.activationlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The child JVM's command line, for java -jar / java -cp and for exec:java (Maven's JVM). */
class LauncherTest {
  static final String[] ARGS = {"predict", "--model", "m", "--input", "0,1"};

  @Test
  void javaCpRunsTheSameClassPathWithThisJvmsOptions() {
    Launcher.Child child = Launcher.child(Main.class, ARGS);
    assertNotNull(child);
    List<String> c = child.command();
    assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toString(), c.get(0));
    List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
    assertEquals(jvm, c.subList(1, 1 + jvm.size()), "this JVM's options come first");
    int cp = c.indexOf("-cp");
    assertEquals(System.getProperty("java.class.path"), c.get(cp + 1));
    assertEquals(Main.class.getName(), c.get(cp + 2));
    assertEquals(List.of(ARGS), c.subList(cp + 3, c.size()));
    assertTrue(child.jvmOptionsForwarded());
  }

  @Test
  void execJavaRunsTheProjectClassPathWithoutMavensOptions() throws Exception {
    // exec:java loads Main through a URLClassLoader inside Maven's JVM, whose options are Maven's
    URL classes = Main.class.getProtectionDomain().getCodeSource().getLocation();
    System.setProperty("activationlab.xla", "false");
    try (var loader =
        new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
      Class<?> main = loader.loadClass(Main.class.getName());
      assertNotSame(Main.class, main);
      Launcher.Child child = Launcher.child(main, ARGS);
      assertNotNull(child);
      List<String> c = child.command();
      int cp = c.indexOf("-cp");
      assertEquals(Path.of(classes.toURI()).toString(), c.get(cp + 1));
      assertEquals(
          List.of("-Dactivationlab.xla=false"),
          c.subList(1, cp).stream().filter(o -> !o.startsWith("-Dsun.stderr.encoding=")).toList(),
          "only our own system properties, none of Maven's JVM options");
      assertEquals(List.of(ARGS), c.subList(cp + 3, c.size()));
      assertFalse(child.jvmOptionsForwarded());
    } finally {
      System.clearProperty("activationlab.xla");
    }
  }

  @Test
  void helpAndVersionNeedNoChild() {
    assertTrue(Launcher.asksForHelp(new String[] {"--help"}));
    assertTrue(Launcher.asksForHelp(new String[] {"predict", "-h"}));
    assertTrue(Launcher.asksForHelp(new String[] {"-V"}));
    assertFalse(Launcher.asksForHelp(ARGS));
    assertFalse(Launcher.asksForHelp(new String[0]));
  }
}
