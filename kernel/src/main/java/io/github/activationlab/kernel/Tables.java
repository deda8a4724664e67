package io.github.activationlab.kernel;

import io.github.activationlab.nn.History;
import io.github.activationlab.sweep.SweepResults;
import io.github.activationlab.sweep.SweepResults.ActivationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Core's results as tables: HTML for the notebook, the same rows as aligned text for a plain-text
 * front end. A table holds the run's numbers only, never its timings (a sweep's seconds are in its
 * throughput line), so that a re-run of the notebook can be compared with the committed one.
 */
public final class Tables {
  private Tables() {}

  /** At most this many epochs of a History are listed (evenly spaced, the last one included). */
  public static final int HISTORY_ROWS = 11;

  /**
   * @param h a fit's History
   * @return its loss and accuracy per epoch (at most {@link #HISTORY_ROWS} epochs, evenly spaced)
   */
  public static MimeBundle history(History h) {
    int n = h.loss().size();
    List<Integer> epochs = new ArrayList<>();
    if (n <= HISTORY_ROWS) {
      for (int e = 1; e <= n; e++) epochs.add(e);
    } else {
      for (int i = 0; i < HISTORY_ROWS; i++) {
        epochs.add(Math.max(1, (int) Math.round((double) n * i / (HISTORY_ROWS - 1))));
      }
    }
    List<String[]> rows = new ArrayList<>();
    for (int e : epochs.stream().distinct().toList()) {
      rows.add(
          new String[] {String.valueOf(e), g4(h.loss().get(e - 1)), g4(h.accuracy().get(e - 1))});
    }
    String caption =
        "History: "
            + n
            + " epochs"
            + (n > HISTORY_ROWS ? " (" + rows.size() + " of them listed)" : "")
            + ", final loss "
            + g4(h.finalLoss());
    return table(caption, new String[] {"epoch", "loss", "accuracy"}, rows);
  }

  /**
   * @param s a sweep
   * @return one row per activation: solved, rate with its 95% interval, final-loss percentiles,
   *     dead units, collapsed outputs
   */
  public static MimeBundle sweep(SweepResults.Sweep s) {
    List<String[]> rows = new ArrayList<>();
    for (ActivationResult r : s.results()) {
      rows.add(
          new String[] {
            r.activation(),
            r.solved() + "/" + r.n(),
            String.format(Locale.ROOT, "%.3f", r.solvedRate()),
            String.format(Locale.ROOT, "[%.3f, %.3f]", r.ci95().lo(), r.ci95().hi()),
            g4(r.median()),
            g4(r.p10()),
            g4(r.p90()),
            Double.isNaN(r.deadUnitRate())
                ? "-"
                : String.format(Locale.ROOT, "%.3f", r.deadUnitRate()),
            String.format(Locale.ROOT, "%.3f", r.collapsedRate())
          });
    }
    String caption =
        String.format(
            Locale.ROOT,
            "%s: %d seeds (%d..%d), %d epochs, Adam(%s), %s",
            s.model(),
            s.seeds(),
            s.firstSeed(),
            s.firstSeed() + s.seeds() - 1,
            s.epochs(),
            s.learningRate(),
            s.dtype());
    return table(
        caption,
        new String[] {
          "activation",
          "solved",
          "rate",
          "95% CI (Wilson)",
          "loss p50",
          "p10",
          "p90",
          "dead",
          "collapsed"
        },
        rows);
  }

  private static final Pattern SUMMARY_ROW =
      Pattern.compile("^\\s*(\\S+) \\((\\S+)\\)\\s+(\\(None, \\d+\\))\\s+(\\d+)\\s*$");

  /**
   * @param summary a model's {@code summary()} text
   * @return its layers as a table, the text as the fallback
   */
  public static MimeBundle summary(String summary) {
    List<String[]> rows = new ArrayList<>();
    String caption = summary.lines().findFirst().orElse("");
    String totals = "";
    for (String line : summary.lines().toList()) {
      Matcher m = SUMMARY_ROW.matcher(line);
      if (m.matches()) rows.add(new String[] {m.group(1), m.group(2), m.group(3), m.group(4)});
      if (line.startsWith("Total params:")) totals = line;
    }
    String html =
        htmlTable(
            caption + (totals.isEmpty() ? "" : " &mdash; " + totals),
            new String[] {"Layer", "Type", "Output Shape", "Param #"},
            rows);
    return MimeBundle.html(html, summary);
  }

  /**
   * @param caption the table's title
   * @param header the column names
   * @param rows the cells, row by row
   * @return the table as HTML and as aligned text
   */
  public static MimeBundle table(String caption, String[] header, List<String[]> rows) {
    return MimeBundle.html(htmlTable(escape(caption), header, rows), text(caption, header, rows));
  }

  private static String htmlTable(String caption, String[] header, List<String[]> rows) {
    StringBuilder b = new StringBuilder("<table>\n<caption>").append(caption);
    b.append("</caption>\n<thead><tr>");
    for (String h : header) b.append("<th>").append(escape(h)).append("</th>");
    b.append("</tr></thead>\n<tbody>\n");
    for (String[] row : rows) {
      b.append("<tr>");
      for (int i = 0; i < row.length; i++) {
        b.append(i == 0 ? "<td style=\"text-align:left\">" : "<td>");
        b.append(escape(row[i])).append("</td>");
      }
      b.append("</tr>\n");
    }
    return b.append("</tbody>\n</table>").toString();
  }

  private static String text(String caption, String[] header, List<String[]> rows) {
    int[] w = new int[header.length];
    for (int i = 0; i < w.length; i++) w[i] = header[i].length();
    for (String[] r : rows) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], r[i].length());
    StringBuilder b = new StringBuilder(caption).append('\n');
    line(b, header, w);
    for (String[] r : rows) line(b, r, w);
    return b.toString().stripTrailing();
  }

  private static void line(StringBuilder b, String[] cells, int[] w) {
    for (int i = 0; i < cells.length; i++) {
      String fmt = i == 0 ? "%-" + w[i] + "s" : "  %" + w[i] + "s";
      b.append(String.format(Locale.ROOT, fmt, cells[i]));
    }
    b.append('\n');
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String g4(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4g", v);
  }
}
