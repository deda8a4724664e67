package io.github.activationlab.cli;

import io.github.activationlab.files.AtomicFiles;
import io.github.activationlab.savedmodel.LoadedModel;
import io.github.activationlab.savedmodel.PredictFormat;
import io.github.activationlab.savedmodel.Predictor;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code predict}: rows in, {@code inputs -> outputs} lines out (DESIGN.md's format: a {@code #}
 * header line, then one line per row; the values, the row rule and the line's text are core's
 * {@link PredictFormat}, shared with the Spark job).
 *
 * <p>Streaming: rows are read, predicted and written {@value #BATCH} at a time, so memory stays
 * bounded whatever the input's size. A bad row N (not a number, not a finite float32 value, a wrong
 * column count) stops the run with one line naming row N (data rows counted from 1; blank lines and
 * {@code #} lines are skipped). With {@code --output FILE} the result is written atomically ({@link
 * AtomicFiles}): the file appears complete or not at all — after a bad row there is no partial
 * output — and an existing file is refused unless {@code --force}. On stdout the rows before the
 * failing batch have already been printed (nothing is printed when the error is in the first
 * {@value #BATCH} rows).
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description =
        "Loads a SavedModel (ours, or a Keras model.export()) or a Keras 3 .keras file "
            + "and prints its outputs for the given rows (streamed: any input size).")
final class PredictCommand implements Callable<Integer> {
  /** Rows per prediction call (core's {@link PredictFormat#BATCH}, which the Spark job uses). */
  static final int BATCH = PredictFormat.BATCH;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "DIR",
      description =
          "a SavedModel directory, a model directory with numbered versions, or a " + ".keras file")
  Path model;

  @ArgGroup(multiplicity = "1")
  Input input;

  static final class Input {
    @Option(
        names = "--input",
        paramLabel = "ROWS",
        description = "rows separated by ';', values by ',': \"0,1;1,1\"")
    String inline;

    @Option(
        names = "--input-file",
        paramLabel = "CSV",
        description =
            "a CSV file, one row per line (blank lines and lines starting with # are "
                + "skipped); read in batches, any size")
    Path file;
  }

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description =
          "write the output to FILE instead of stdout (atomically: complete or not at all)")
  Path output;

  @Option(names = "--force", description = "replace an existing --output FILE")
  boolean force;

  @Override
  public Integer call() throws IOException {
    if (input.file != null && !Files.isRegularFile(input.file)) {
      throw new NoSuchFileException(input.file.toString());
    }
    if (output != null) AtomicFiles.refuseExisting(output, force);
    try (LoadedModel m = LoadedModel.open(model);
        Rows.RowSource rows =
            input.inline != null
                ? new Rows.LineRows(List.of(input.inline.split(";")))
                : new Rows.CsvRows(Files.newInputStream(input.file))) {
      if (output == null) {
        PrintStream stdout = System.out;
        stream(m, rows, stdout::print, new BufferedOutputStream(stdout, 1 << 16));
      } else {
        long[] n = new long[1];
        AtomicFiles.write(
            output,
            force,
            out ->
                n[0] =
                    stream(
                        m,
                        rows,
                        header -> out.write(header.getBytes(StandardCharsets.UTF_8)),
                        out));
        System.out.println("wrote " + output + " (" + n[0] + " rows)");
      }
    }
    return 0;
  }

  /** Where the header line goes (stdout's own encoding, or UTF-8 in a file). */
  interface Header {
    void write(String line) throws IOException;
  }

  /**
   * Predicts every row of {@code rows} with {@code m}, {@value #BATCH} at a time, and writes the
   * header (once the first batch is predicted) and one ASCII line per row to {@code out} (flushed
   * at the end, not closed). Returns the number of rows. Allocates next to nothing per row.
   */
  static long stream(LoadedModel m, Rows.RowSource rows, Header header, OutputStream out)
      throws IOException {
    long expected = m.inputWidth();
    if (expected > Integer.MAX_VALUE / BATCH) {
      throw new IllegalArgumentException("the model takes " + expected + " columns; too many");
    }
    int width = -1;
    double[] batch = null;
    double[] y = null;
    Rows.Cells cells = new Rows.Cells();
    Text text = new Text();
    boolean started = false;
    int n = 0;
    for (int c; (c = rows.next(cells)) >= 0; ) {
      if (width < 0) {
        width = expected >= 0 ? (int) expected : c;
        batch = new double[BATCH * Math.max(width, 1)];
      }
      if (c != width) throw new IllegalArgumentException(m.columnsError(rows.row(), c, width));
      System.arraycopy(cells.values, 0, batch, n * width, width);
      if (++n == BATCH) {
        y = predictAndWrite(m, batch, n, width, y, !started ? header : null, text, out);
        started = true;
        n = 0;
      }
    }
    if (rows.row() == 0) throw new IllegalArgumentException("no input rows");
    if (n > 0) predictAndWrite(m, batch, n, width, y, !started ? header : null, text, out);
    out.flush();
    return rows.row();
  }

  /** Predicts a batch, then writes the header (if given) and the batch's lines. */
  private static double[] predictAndWrite(
      LoadedModel m,
      double[] batch,
      int n,
      int width,
      double[] reuse,
      Header header,
      Text text,
      OutputStream out)
      throws IOException {
    Predictor.Outputs o = m.predict(batch, n, width, reuse);
    if (header != null) header.write(PredictFormat.header(m, EOL));
    StringBuilder b = text.clear();
    double[] y = o.values();
    int w = o.width();
    for (int i = 0; i < n; i++)
      PredictFormat.appendRow(b, batch, i * width, width, y, i * w, w, EOL);
    text.writeTo(out);
    return y;
  }

  private static final String EOL = System.lineSeparator();

  /** A reused text buffer, written out as bytes (the lines are ASCII: digits, '-', '.', 'E'). */
  static final class Text {
    private final StringBuilder b = new StringBuilder(BATCH * 48);
    private byte[] bytes = new byte[BATCH * 48];

    StringBuilder clear() {
      b.setLength(0);
      return b;
    }

    void writeTo(OutputStream out) throws IOException {
      int n = b.length();
      if (bytes.length < n) bytes = new byte[n + n / 2];
      for (int i = 0; i < n; i++) bytes[i] = (byte) b.charAt(i);
      out.write(bytes, 0, n);
    }
  }
}
