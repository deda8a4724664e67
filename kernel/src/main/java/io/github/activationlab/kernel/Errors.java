package io.github.activationlab.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShellException;
import jdk.jshell.UnresolvedReferenceException;

/**
 * A failed cell as its reader needs it: a compile error at its line in the cell, with the line and
 * a caret under the culprit; an exception with its stack trimmed to the cell's code (the frames of
 * JShell's machinery below the cell are dropped, the cell's own frames named by cell and line).
 */
final class Errors {
  private Errors() {}

  /** Library frames shown above the cell's own, at most. */
  static final int LIBRARY_FRAMES = 12;

  static CellError compile(List<Diag> diags, String cell, int offset, String source) {
    List<String> lines = new ArrayList<>();
    String first = null;
    for (Diag d : diags) {
      if (!d.isError()) continue;
      long start = d.getStartPosition() < 0 ? d.getPosition() : d.getStartPosition();
      long end = Math.max(d.getEndPosition(), start + 1);
      int at = offset + (int) Math.max(0, Math.min(start, source.length()));
      int line = Cells.line(cell, at);
      String text = Cells.lineText(cell, line);
      int lineStart = cell.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
      if (at > 0 && cell.charAt(at - 1) == '\n') lineStart = at;
      int col = Math.max(0, at - lineStart);
      int width = (int) Math.max(1, Math.min(end - start, text.length() - col));
      List<String> msg = d.getMessage(Locale.ROOT).lines().toList();
      String head = "line " + line + ": " + msg.get(0);
      if (first == null) first = head;
      lines.add(head);
      for (int i = 1; i < msg.size(); i++) lines.add("  " + msg.get(i).strip());
      lines.add("    " + text);
      lines.add("    " + " ".repeat(Math.min(col, text.length())) + "^".repeat(width));
    }
    if (first == null) first = "the snippet was rejected";
    return new CellError("CompileError", first, lines);
  }

  static CellError runtime(JShellException e, Map<String, int[]> cells) {
    List<String> lines = new ArrayList<>();
    String name;
    String message;
    if (e instanceof UnresolvedReferenceException u) {
      name = "UnresolvedReference";
      message =
          u.getSnippet().toString().strip().lines().findFirst().orElse("")
              + " refers to something not (yet) defined";
      lines.add(name + ": " + message);
    } else {
      String cls =
          e instanceof EvalException ee ? ee.getExceptionClassName() : e.getClass().getName();
      name = cls.substring(cls.lastIndexOf('.') + 1);
      message = e.getMessage() == null ? "" : e.getMessage();
      lines.add(cls + (message.isEmpty() ? "" : ": " + message));
    }
    frames(e.getStackTrace(), cells, lines);
    Throwable cause = e.getCause();
    for (int depth = 0; cause != null && depth < 5; depth++, cause = cause.getCause()) {
      String cls =
          cause instanceof EvalException ee
              ? ee.getExceptionClassName()
              : cause.getClass().getName();
      lines.add(
          "Caused by: " + cls + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
      frames(cause.getStackTrace(), cells, lines);
    }
    return new CellError(name, message, lines);
  }

  /** The frames down to the cell's outermost one; library frames above it capped. */
  private static void frames(
      StackTraceElement[] stack, Map<String, int[]> cells, List<String> out) {
    int lastCell = -1;
    for (int i = 0; i < stack.length; i++) if (isCell(stack[i])) lastCell = i;
    int end = lastCell >= 0 ? lastCell + 1 : stack.length;
    int library = 0;
    int skipped = 0;
    for (int i = 0; i < end; i++) {
      StackTraceElement f = stack[i];
      if (isCell(f)) {
        if (skipped > 0) out.add("\t... " + skipped + " more frames in libraries");
        skipped = 0;
        String method =
            f.getMethodName() == null || f.getMethodName().isEmpty()
                ? ""
                : f.getMethodName() + ", ";
        out.add(
            "\tat "
                + method
                + where(f.getFileName().substring(1) + ":" + f.getLineNumber(), cells));
      } else if (library++ < LIBRARY_FRAMES) {
        out.add("\tat " + f);
      } else {
        skipped++;
      }
    }
    if (skipped > 0) out.add("\t... " + skipped + " more frames in libraries");
  }

  private static boolean isCell(StackTraceElement f) {
    return f.getFileName() != null && f.getFileName().startsWith("#");
  }

  /**
   * @param id a snippet id
   * @return {@code "cell [5]"}: the cell that defined the snippet
   */
  static String cell(String id, Map<String, int[]> cells) {
    int[] cell = cells.get(id);
    return cell == null ? "snippet " + id : "cell [" + cell[0] + "]";
  }

  /**
   * @param idLine a snippet id and its line, {@code "12:3"}
   * @return {@code "cell [5], line 4"}: the cell that defined the snippet and the line in it
   */
  static String where(String idLine, Map<String, int[]> cells) {
    int colon = idLine.lastIndexOf(':');
    String id = colon < 0 ? idLine : idLine.substring(0, colon);
    int line = colon < 0 ? 1 : Integer.parseInt(idLine.substring(colon + 1));
    int[] cell = cells.get(id);
    if (cell == null) return "snippet " + id + ", line " + line;
    return "cell [" + cell[0] + "], line " + (cell[1] + line - 1);
  }
}
