package io.github.activationlab.cli;

import io.github.activationlab.savedmodel.PredictFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows of numbers for {@code predict} and {@code fit}: CSV files streamed one row at a time ({@link
 * CsvRows}, bytes parsed in place) or given as strings ({@link LineRows}), and the one parser both
 * use (core's {@link PredictFormat#parseRow}, which the Spark job uses too): a bad row N (not a
 * number, not a finite float32 value — NaN, infinities, magnitudes beyond 3.4028235e38 —, a wrong
 * column count) is one error naming row N, data rows counted from 1, blank lines and {@code #}
 * lines skipped.
 */
final class Rows {
  private Rows() {}

  /** The values of one row, in an array that grows as needed. */
  static final class Cells {
    double[] values = new double[16];

    /**
     * Parses {@code line} (row {@code row}) with {@link PredictFormat#parseRow}; returns the column
     * count.
     */
    int parse(String line, long row) {
      int c = PredictFormat.parseRow(line, row, values);
      if (c > values.length) {
        values = new double[c];
        PredictFormat.parseRow(line, row, values);
      }
      return c;
    }

    /** The same for the ASCII bytes {@code b[from, to)}, parsed in place when they are plain. */
    int parse(byte[] b, int from, int to, long row) {
      int c = PredictFormat.parseRow(b, from, to, row, values);
      if (c > values.length) {
        values = new double[c];
        PredictFormat.parseRow(b, from, to, row, values);
      }
      return c;
    }
  }

  /** Data rows, parsed one at a time. */
  interface RowSource extends AutoCloseable {
    /** Parses the next data row into {@code cells}; its column count, or -1 after the last. */
    int next(Cells cells) throws IOException;

    /** The number of data rows returned so far (the last one's 1-based number). */
    long row();

    @Override
    void close() throws IOException;
  }

  /** Rows given as strings ({@code --input}): every one is a data row. */
  static final class LineRows implements RowSource {
    private final List<String> lines;
    private int row;

    LineRows(List<String> lines) {
      this.lines = lines;
    }

    public int next(Cells cells) {
      return row < lines.size() ? cells.parse(lines.get(row), ++row) : -1;
    }

    public long row() {
      return row;
    }

    public void close() {}
  }

  /**
   * The data rows of a CSV stream, read in 64 KiB blocks and parsed from the bytes: blank lines and
   * lines starting with {@code #} are skipped; lines end at {@code \n}, {@code \r} or {@code \r\n}
   * (as {@code BufferedReader.readLine}); the text is UTF-8. An ASCII row is parsed from the bytes
   * by core's {@link PredictFormat#parseRow(byte[], int, int, long, double[])} (plain decimal
   * numbers without making a String, exactly as {@link Double#parseDouble}; anything else through
   * the String parser, which also words the errors) — the parser the Spark job uses.
   */
  static final class CsvRows implements RowSource {
    private final InputStream in;
    private byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;
    private boolean eof;
    private boolean skipLf;
    private int lineStart;
    private int lineEnd;
    private long row;

    CsvRows(InputStream in) {
      this.in = in;
    }

    public long row() {
      return row;
    }

    public void close() throws IOException {
      in.close();
    }

    public int next(Cells cells) throws IOException {
      while (nextLine()) {
        int s = lineStart;
        int e = lineEnd;
        boolean ascii = true;
        boolean blank = true;
        for (int i = s; i < e; i++) {
          byte b = buf[i];
          if (b < 0) {
            ascii = false;
            break;
          }
          if (blank && !(b == ' ' || (b >= 9 && b <= 13) || (b >= 28 && b <= 31))) blank = false;
        }
        if (!ascii) {
          String line =
              StandardCharsets.UTF_8
                  .newDecoder()
                  .decode(java.nio.ByteBuffer.wrap(buf, s, e - s))
                  .toString();
          if (!PredictFormat.isDataLine(line)) continue;
          return cells.parse(line, ++row);
        }
        if (blank || buf[s] == '#') continue;
        return cells.parse(buf, s, e, ++row);
      }
      return -1;
    }

    /** Moves to the next line: {@code buf[lineStart, lineEnd)}; false at the end. */
    private boolean nextLine() throws IOException {
      if (skipLf) { // the last line ended with '\r': a '\n' right after it belongs to it
        if (pos == lim && !eof) fill();
        if (pos < lim && buf[pos] == '\n') pos++;
        skipLf = false;
      }
      int i = pos;
      while (true) {
        for (; i < lim; i++) {
          byte b = buf[i];
          if (b == '\n' || b == '\r') {
            lineStart = pos;
            lineEnd = i;
            pos = i + 1;
            skipLf = b == '\r';
            return true;
          }
        }
        if (eof) {
          if (pos == lim) return false;
          lineStart = pos;
          lineEnd = lim;
          pos = lim;
          return true;
        }
        i -= pos;
        fill();
      }
    }

    /** Keeps the unread bytes (moved to the front, the buffer grown if full) and reads more. */
    private void fill() throws IOException {
      if (pos > 0) {
        System.arraycopy(buf, pos, buf, 0, lim - pos);
        lim -= pos;
        pos = 0;
      }
      if (lim == buf.length) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
      int n = in.read(buf, lim, buf.length - lim);
      if (n < 0) {
        eof = true;
      } else {
        lim += n;
      }
    }
  }

  /** The data lines of a CSV file, all at once (blank lines and {@code #} lines skipped). */
  static List<String> readCsv(Path file) throws IOException {
    if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString());
    List<String> lines = new ArrayList<>();
    for (String l : Files.readAllLines(file)) if (PredictFormat.isDataLine(l)) lines.add(l);
    return lines;
  }

  /**
   * Rows of numbers from lines (row N of a bad value is named, as in {@link
   * PredictFormat#parseRow}).
   */
  static double[][] parse(List<String> lines) {
    double[][] rows = new double[lines.size()][];
    double[] cells = new double[16];
    for (int i = 0; i < rows.length; i++) {
      int c = PredictFormat.parseRow(lines.get(i), i + 1, cells);
      if (c > cells.length) {
        cells = new double[c];
        PredictFormat.parseRow(lines.get(i), i + 1, cells);
      }
      rows[i] = java.util.Arrays.copyOf(cells, c);
    }
    if (rows.length == 0) throw new IllegalArgumentException("no input rows");
    return rows;
  }
}
