package io.github.activationlab.kernel;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.VarSnippet;

/**
 * Runs cells as JShell snippets in a second JVM (JShell's JDI engine) whose class path is the
 * kernel's: the project's classes, TensorFlow's natives, app's charts when the kernel runs from the
 * application jar. A cell is split into snippets and run one by one until one fails; its last
 * expression, written without a semicolon, is its value. Rich outputs come back in-band on the
 * cells' standard output ({@link Frames}).
 *
 * <p>The second JVM is what keeps the kernel alive: {@code System.exit} or a crash in a cell ends
 * that JVM only (the kernel says so and starts a new one with the next cell), and an interrupt can
 * always end a cell (see {@link #interrupt()}).
 */
final class CellRunner implements AutoCloseable {
  /** Where a cell's outputs go. */
  interface Output {
    void stdout(String text);

    void stderr(String text);

    void display(MimeBundle bundle);
  }

  /** Wait this long after an interrupt before explaining why the cell is still running. */
  static final long STOP_GRACE_MILLIS = 2000;

  private static final Set<String> SIMPLE_TYPES =
      Set.of(
          "int",
          "long",
          "double",
          "float",
          "boolean",
          "char",
          "short",
          "byte",
          "String",
          "Integer",
          "Long",
          "Double",
          "Float",
          "Boolean",
          "Character",
          "Short",
          "Byte",
          "java.lang.String");

  private final String classPath;
  private final Output output;
  private final OutputSplitter out;
  private final OutputSplitter err;
  private final Map<String, int[]> snippetCells = new ConcurrentHashMap<>();

  private volatile JShell shell;
  private volatile boolean running;
  private volatile boolean closing;
  private volatile boolean died;
  private volatile boolean stopRequested;
  private volatile boolean killed;
  private volatile int interrupts;
  private volatile String exitWhere;
  private volatile MimeBundle result;

  /**
   * @param classPath the class path of the cells' JVM and of the snippets' compiler
   * @param output where the cells' text and displays go
   */
  CellRunner(String classPath, Output output) {
    this.classPath = classPath;
    this.output = output;
    this.out = new OutputSplitter(output::stdout, this::frame);
    this.err = new OutputSplitter(output::stderr, f -> {});
  }

  private void frame(Frames.Frame f) {
    switch (f.kind()) {
      case "display" -> output.display(new MimeBundle(f.data()));
      case "result" -> result = new MimeBundle(f.data());
      case "exit" -> exitWhere = f.data().getOrDefault("snippet", "");
      default -> {}
    }
  }

  /**
   * The JShell, started (with its JVM and the startup snippets) if there is none.
   *
   * @return the JShell
   */
  synchronized JShell shell() {
    if (shell != null && !died) return shell;
    if (shell != null) close();
    closing = false;
    died = false;
    exitWhere = null;
    JShell js =
        JShell.builder()
            .out(new PrintStream(out, true, StandardCharsets.UTF_8))
            .err(new PrintStream(err, true, StandardCharsets.UTF_8))
            .in(InputStream.nullInputStream())
            .compilerOptions("--class-path", classPath)
            .remoteVMOptions(
                "--class-path",
                classPath,
                "-D" + Display.PROPERTY + "=true",
                "-Djava.awt.headless=true",
                "-Dfile.encoding=UTF-8")
            .build();
    js.onShutdown(j -> died = !closing);
    shell = js;
    for (String s : Startup.snippets()) {
      for (SnippetEvent e : js.eval(s)) {
        if (e.causeSnippet() == null && (e.exception() != null || !e.status().isDefined())) {
          String why =
              e.exception() != null
                  ? e.exception().getMessage()
                  : js.diagnostics(e.snippet())
                      .map(d -> d.getMessage(null))
                      .findFirst()
                      .orElse(e.status().toString());
          throw new CellError(
              "KernelStartError",
              "the kernel's startup snippet failed: " + s.strip() + ": " + why,
              List.of("startup snippet: " + s.strip(), why));
        }
      }
    }
    return js;
  }

  /**
   * Runs one cell.
   *
   * @param cell the cell's code
   * @param count the cell's execution count (errors and stack frames name the cell by it)
   * @return the rendered value of the cell's last expression, or null
   * @throws CellError when the cell does not compile, throws, is interrupted or ends the JVM
   */
  synchronized MimeBundle run(String cell, int count) {
    List<Cells.Piece> pieces = Cells.split(shell().sourceCodeAnalysis(), cell);
    JShell js = shell();
    result = null;
    interrupts = 0;
    stopRequested = false;
    killed = false;
    running = true;
    try {
      Cells.Piece tail = pieces.isEmpty() ? null : pieces.get(pieces.size() - 1);
      if (tail != null && !tail.completeness().isComplete()) {
        int line = Cells.line(cell, tail.offset() + Cells.leadingBlank(tail.source()));
        throw new CellError(
            "CompileError",
            "line " + line + ": the cell ends inside an unfinished statement",
            List.of(
                "line "
                    + line
                    + ": the cell ends inside an unfinished statement"
                    + " (a missing ';', ')' or '}'?); nothing was run",
                "    " + Cells.lineText(cell, line)));
      }
      MimeBundle value = null;
      for (int i = 0; i < pieces.size(); i++) {
        Cells.Piece p = pieces.get(i);
        boolean last = i == pieces.size() - 1;
        String written = cell.substring(p.offset(), p.offset() + p.length()).strip();
        checkAlive(count); // an interrupt between two snippets stops the cell here
        value = eval(js, p, cell, count, last && !written.endsWith(";"));
      }
      return value;
    } finally {
      running = false;
      out.drain();
      err.drain();
      if (killed) shell = null;
    }
  }

  private MimeBundle eval(JShell js, Cells.Piece p, String cell, int count, boolean show) {
    // JShell numbers a snippet's lines from its first non-blank character
    int firstLine = Cells.line(cell, p.offset() + Cells.leadingBlank(p.source()));
    List<SnippetEvent> events = js.eval(p.source());
    for (SnippetEvent e : events) {
      if (e.causeSnippet() == null)
        snippetCells.put(e.snippet().id(), new int[] {count, firstLine});
    }
    checkAlive(count);
    String valueName = null;
    String valueType = null;
    String valueText = null;
    for (SnippetEvent e : events) {
      if (e.causeSnippet() != null) continue;
      Snippet s = e.snippet();
      if (e.status() == Snippet.Status.REJECTED) {
        throw Errors.compile(js.diagnostics(s).toList(), cell, p.offset(), p.source());
      }
      if (e.exception() != null) throw Errors.runtime(e.exception(), snippetCells);
      if (s instanceof VarSnippet v && s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
        valueName = v.name();
        valueType = v.typeName();
        valueText = e.value();
      } else if (s instanceof ExpressionSnippet x
          && s.subKind() == Snippet.SubKind.VAR_VALUE_SUBKIND) {
        valueName = x.name();
        valueType = x.typeName();
        valueText = e.value();
      }
    }
    if (!show || valueName == null) return null;
    if (SIMPLE_TYPES.contains(valueType)) return MimeBundle.text(valueText);
    result = null;
    for (SnippetEvent e :
        js.eval("io.github.activationlab.kernel.Display.result(" + valueName + ");")) {
      js.drop(e.snippet());
      checkAlive(count);
      if (e.exception() != null) throw Errors.runtime(e.exception(), snippetCells);
    }
    out.drain();
    return result != null ? result : MimeBundle.text(valueText);
  }

  /** After a snippet: did the JVM end, or was the cell stopped? */
  private void checkAlive(int count) {
    if (killed) {
      throw new CellError(
          "Interrupted",
          "the cell's Java process was ended by a second interrupt; every variable is gone",
          List.of(
              "Interrupted: the cell did not stop at the first interrupt (it was inside one"
                  + " native call, e.g. a fused fit's Session.run), so the second interrupt ended"
                  + " the Java process that runs the cells.",
              "Every variable is gone; a new process starts with the next cell: run the cells"
                  + " above again."));
    }
    if (died) {
      String where = exitWhere;
      String msg =
          where == null
              ? "the Java process that runs the cells ended unexpectedly (a crash?)"
              : "System.exit was called"
                  + (where.isEmpty() ? "" : " (" + Errors.cell(where, snippetCells) + ")")
                  + ": it ended the Java process that runs the cells";
      throw new CellError(
          "SystemExit",
          msg,
          List.of(
              msg + ".",
              "The kernel is still running; every variable is gone and a new process starts with"
                  + " the next cell: run the cells above again."));
    }
    if (stopRequested) {
      throw new CellError(
          "Interrupted",
          "the cell was interrupted",
          List.of("Interrupted: the cell stopped at the interrupt (cell [" + count + "])."));
    }
  }

  /**
   * Interrupts the running cell. The first interrupt stops the cell's Java code (JShell's stop: an
   * exception thrown in the cell's thread at its next Java instruction); a thread inside a native
   * call — TensorFlow's {@code Session.run}, which is the whole of a fused fit — gets it only when
   * that call returns, so the kernel says so after {@link #STOP_GRACE_MILLIS}. A second interrupt
   * of the same cell ends the cells' JVM (its variables are lost).
   */
  void interrupt() {
    JShell js = shell;
    if (js == null || !running) return;
    int n = ++interrupts;
    if (n == 1) {
      stopRequested = true;
      js.stop();
      Thread watch =
          new Thread(
              () -> {
                try {
                  Thread.sleep(STOP_GRACE_MILLIS);
                } catch (InterruptedException e) {
                  return;
                }
                if (running && interrupts == 1 && shell == js) {
                  output.stderr(
                      "Still running: the cell is probably inside one native TensorFlow call (a"
                          + " fused fit is a single Session.run, which cannot be cancelled); it"
                          + " stops when that call returns. Interrupt again to end the cells'"
                          + " Java process now (every variable is lost).\n");
                }
              },
              "kernel-interrupt-watch");
      watch.setDaemon(true);
      watch.start();
    } else {
      killed = true;
      closing = true;
      js.close();
    }
  }

  /**
   * @return the JShell for analysis (completion, documentation), started if needed
   */
  JShell analysis() {
    JShell js = shell;
    return js != null && !died ? js : shell();
  }

  /** Ends the cells' JVM, even while a cell runs (a shutdown does not wait for it). */
  @Override
  public void close() {
    closing = true;
    JShell js = shell;
    shell = null;
    if (js != null) js.close();
  }
}
