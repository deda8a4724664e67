package io.github.activationlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kernel's cells, run as the kernel runs them (JShell in a second JVM with this module's test
 * class path): values, output order, compile errors, exceptions, System.exit, interrupts. One
 * runner for the class (a JVM start and TensorFlow's load cost seconds); tests that end its JVM
 * check that the next cell gets a new one.
 */
@Timeout(120)
class CellRunnerTest {
  static final List<String> events = new ArrayList<>();
  static CellRunner runner;
  static int count;

  @BeforeAll
  static void start() {
    runner =
        new CellRunner(
            System.getProperty("java.class.path"),
            new CellRunner.Output() {
              @Override
              public void stdout(String text) {
                synchronized (events) {
                  events.add("out:" + text);
                }
              }

              @Override
              public void stderr(String text) {
                synchronized (events) {
                  events.add("err:" + text);
                }
              }

              @Override
              public void display(MimeBundle bundle) {
                synchronized (events) {
                  events.add("display:" + bundle.plain());
                }
              }
            });
  }

  @AfterAll
  static void stop() {
    runner.close();
  }

  @BeforeEach
  void clear() {
    synchronized (events) {
      events.clear();
    }
  }

  static MimeBundle run(String cell) {
    return runner.run(cell, ++count);
  }

  static CellError fails(String cell) {
    return assertThrows(CellError.class, () -> run(cell));
  }

  @Test
  void theLastExpressionWithoutSemicolonIsTheValue() {
    assertEquals("42", run("int x = 20;\nx + 22").plain());
    assertNull(run("x + 1;"), "a semicolon keeps the value quiet, as in IPython");
    assertEquals("\"ab\"", run("\"a\" + \"b\"").plain());
    assertEquals("[1, 2]", run("List.of(1, 2)").plain(), "objects are rendered in the cells' JVM");
  }

  @Test
  void textAndDisplaysArriveInTheOrderTheyWereMade() {
    run("System.out.println(\"a\"); display(\"b\"); System.out.print(\"c\\n\");");
    assertEquals(List.of("out:a\n", "display:b", "out:c\n"), List.copyOf(events));
  }

  @Test
  void aCompileErrorNamesItsLineInTheCell() {
    CellError e = fails("int a = 1;\nint b = 2;\nString s = a;");
    assertEquals("CompileError", e.name);
    assertTrue(e.getMessage().startsWith("line 3: incompatible types"), e.getMessage());
    assertTrue(e.traceback.contains("    String s = a;"), e.traceback.toString());
    assertTrue(e.traceback.contains("               ^"), e.traceback.toString());
    assertEquals("3", run("a + b").plain(), "the snippets before the error ran; the kernel lives");
  }

  @Test
  void anUnfinishedCellIsACompileErrorAndRunsNothing() {
    CellError e = fails("int before = 1;\nfor (int i = 0; i < 3; i++) {\n  before++;");
    assertEquals("CompileError", e.name);
    assertTrue(
        e.getMessage().contains("line 2: the cell ends inside an unfinished"), e.getMessage());
    assertEquals("CompileError", fails("before").name, "nothing of the cell ran");
  }

  @Test
  void anExceptionShowsItsStackTrimmedToTheCell() {
    CellError e = fails("int f(int x) {\n  return Integer.parseInt(\"z\" + x);\n}\n\nf(1)");
    int cell = count;
    assertEquals("NumberFormatException", e.name);
    assertEquals("For input string: \"z1\"", e.getMessage());
    String trace = String.join("\n", e.traceback);
    assertTrue(trace.contains("at java.base/java.lang.Integer.parseInt"), trace);
    assertTrue(trace.contains("cell [" + cell + "], line 2"), trace);
    assertTrue(trace.endsWith("cell [" + cell + "], line 5"), trace);
    assertFalse(trace.contains("jdk.jshell") || trace.contains("reflect"), trace);
    assertEquals("2", run("1 + 1").plain());
  }

  @Test
  void systemExitSaysSoAndTheNextCellGetsANewJvm() {
    run("int kept = 7;");
    CellError e = fails("System.out.println(\"bye\");\nSystem.exit(3);");
    assertEquals("SystemExit", e.name);
    assertTrue(
        e.getMessage().startsWith("System.exit was called (cell [" + count + "])"), e.getMessage());
    assertTrue(events.contains("out:bye\n"), events.toString());
    assertEquals("4", run("2 + 2").plain());
    assertEquals("CompileError", fails("kept").name, "a new JVM: the old variables are gone");
  }

  @Test
  void anInterruptStopsJavaCode() throws Exception {
    interruptAfter(500, 1);
    CellError e = fails("long n = 0;\nwhile (true) { n++; }");
    assertEquals("Interrupted", e.name);
    assertTrue(run("n > 0").plain().equals("true"), "the same JVM: the cell's variables remain");
  }

  @Test
  void aSecondInterruptEndsACellThatIgnoresTheFirst() throws Exception {
    interruptAfter(500, 2);
    CellError e =
        fails("while (true) {\n  try { Thread.sleep(60_000); } catch (Throwable swallowed) {}\n}");
    assertEquals("Interrupted", e.name);
    assertTrue(e.getMessage().contains("second interrupt"), e.getMessage());
    assertTrue(
        events.stream().anyMatch(s -> s.startsWith("err:Still running")),
        "the kernel explains why the first interrupt did not stop the cell: " + events);
    assertEquals("6", run("3 + 3").plain());
  }

  @Test
  void aHistoryIsATable() {
    MimeBundle b =
        run(
            "var m = Sequential.of(2, Dense.of(1, \"sigmoid\"))"
                + ".compile(Loss.MSE, Adam.learningRate(0.01), 42);\n"
                + "m.fit(Gates.X, Gates.column(Gates.XOR), Fit.epochs(5))");
    assertTrue(b.data().get("text/html").startsWith("<table>"), b.data().toString());
    assertTrue(b.plain().startsWith("History: 5 epochs, final loss"), b.plain());
    assertEquals(1 + 1 + 5, b.plain().lines().count(), "caption, header, 5 epochs: " + b.plain());
    MimeBundle s = run("m");
    assertTrue(s.data().get("text/html").contains("<td>(None, 1)</td>"), s.data().toString());
  }

  /** Interrupts the running cell {@code times} times, the first after {@code millis}. */
  static void interruptAfter(long millis, int times) {
    Thread t =
        new Thread(
            () -> {
              try {
                Thread.sleep(millis);
                for (int i = 0; i < times; i++) {
                  runner.interrupt();
                  Thread.sleep(CellRunner.STOP_GRACE_MILLIS + 500);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    t.setDaemon(true);
    t.start();
  }
}
