package io.github.activationlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** complete, inspect (with core's Javadoc) and is_complete, as the kernel answers them. */
@Timeout(120)
class KernelRequestsTest {
  static ActivationLabKernel kernel;

  @BeforeAll
  static void start() {
    kernel = new ActivationLabKernel(System.getProperty("java.class.path"));
  }

  @AfterAll
  static void stop() {
    kernel.onShutdown(false);
  }

  @Test
  void completeOffersTheLibrarysMembers() {
    String cell = "int a = 1;\nvar f = Fit.epo";
    var r = kernel.complete(cell, cell.length());
    assertTrue(r.getReplacements().contains("epochs("), r.getReplacements().toString());
    assertEquals(cell.length() - 3, r.getSourceStart(), "replaces the word at the cursor");
    assertEquals(cell.length(), r.getSourceEnd());
  }

  @Test
  void inspectShowsTheSignatureAndCoresJavadoc() {
    String cell = "var f = Fit.epochs(";
    var d = kernel.inspect(cell, cell.length(), false);
    assertNotNull(d);
    String text =
        (String) d.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN);
    assertTrue(text.startsWith("Fit io.github.activationlab.nn.Fit.epochs(int epochs)"), text);
    assertTrue(text.contains("with Keras's defaults: batch size 32"), text);
    assertTrue(text.contains("@param epochs the number of epochs"), text);
  }

  @Test
  void javadocOfAClassAndOfANestedRecord() {
    assertTrue(Javadocs.of("io.github.activationlab.nn.Sequential") != null);
    String sweep = Javadocs.of("io.github.activationlab.sweep.SweepResults.Sweep");
    assertNotNull(sweep);
    assertTrue(sweep.startsWith("A whole sweep"), sweep);
  }

  @Test
  void isCompleteAsksForMoreInsideABlock() {
    assertEquals(BaseKernel.IS_COMPLETE_YES, kernel.isComplete("int x = 1;\nx + 1"));
    assertEquals("    ", kernel.isComplete("for (int i = 0; i < 3; i++) {"));
    assertEquals(BaseKernel.IS_COMPLETE_BAD, kernel.isComplete("int x = ;)"));
  }
}
