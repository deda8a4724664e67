package io.github.activationlab.kernel;

import java.util.Map;

/**
 * The display API of a notebook cell (statically imported in every cell): {@code display(x)} shows
 * {@code x} richly below the cell, at once and in order with the text the cell prints — a chart as
 * an image, a History or a sweep as a table ({@link Renderers}). Outside the kernel (a plain JVM, a
 * test) it prints the value's text form instead, so code written in a notebook runs anywhere.
 */
public final class Display {
  private Display() {}

  /**
   * The system property the kernel sets in the cells' JVM: rich outputs go out as {@link Frames}.
   */
  public static final String PROPERTY = "activationlab.kernel.frames";

  /**
   * Shows a value below the cell.
   *
   * @param value anything: a chart, an image, a History, a sweep, a model, text
   */
  public static void display(Object value) {
    emit("display", Renderers.render(value));
  }

  /**
   * Shows HTML below the cell.
   *
   * @param html the HTML
   */
  public static void html(String html) {
    emit("display", MimeBundle.html(html, html.replaceAll("<[^>]+>", "")));
  }

  /**
   * Shows Markdown below the cell.
   *
   * @param markdown the Markdown text
   */
  public static void markdown(String markdown) {
    emit(
        "display",
        new MimeBundle(
            new java.util.LinkedHashMap<>(
                Map.of("text/markdown", markdown, "text/plain", markdown))));
  }

  /**
   * The cell's last value, rendered (the kernel calls this after the cell's last expression; user
   * code has no need to).
   *
   * @param value the value of the cell's last expression
   */
  public static void result(Object value) {
    emit("result", Renderers.render(value));
  }

  /**
   * Called by a shutdown hook the kernel installs in the cells' JVM: tells the kernel that the JVM
   * is ending in an orderly way (System.exit) and from where, if a cell called it.
   */
  public static void exiting() {
    String snippet = "";
    for (var e : Thread.getAllStackTraces().entrySet()) {
      boolean exiting = false;
      for (StackTraceElement f : e.getValue()) {
        if (f.getClassName().equals("java.lang.Runtime") && f.getMethodName().equals("exit")) {
          exiting = true;
        } else if (exiting && f.getClassName().startsWith("REPL.$JShell$")) {
          // a snippet's class: REPL.$JShell$<snippet id>[version letter]
          snippet = f.getClassName().substring(13).replaceAll("\\D.*$", "");
          break;
        }
      }
      if (!snippet.isEmpty()) break;
    }
    System.out.print(Frames.encode("exit", Map.of("snippet", snippet)));
    System.out.flush();
  }

  private static void emit(String kind, MimeBundle bundle) {
    if (Boolean.getBoolean(PROPERTY)) {
      System.out.print(Frames.encode(kind, bundle.data()));
      System.out.flush();
    } else {
      System.out.println(bundle.plain());
    }
  }
}
