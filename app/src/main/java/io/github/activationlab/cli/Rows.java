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
   * (as {@code BufferedReader.readLine}); the text is UTF-8. A row of plain decimal numbers is
   * parsed without making a String (exactly as {@link Double#parseDouble}: see {@link #number});
   * anything else — other number forms, empty cells, non-ASCII text, an error — goes through {@link
   * PredictFormat#parseRow} on the line's String, which also words the errors.
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
        row++;
        int c = fast(s, e, cells);
        if (c >= 0) return c;
        return cells.parse(new String(buf, s, e - s, StandardCharsets.ISO_8859_1), row);
      }
      return -1;
    }

    /**
     * The row at {@code buf[s, e)} if every cell is a plain decimal number (see {@link #number}),
     * cells separated by commas with spaces or tabs around them; -1 otherwise.
     */
    private int fast(int s, int e, Cells cells) {
      while (s < e && buf[s] <= ' ') s++;
      while (e > s && buf[e - 1] <= ' ') e--;
      int count = 0;
      for (int i = s; ; ) {
        int j = i;
        while (j < e && buf[j] != ',') j++;
        int a = i;
        int b = j;
        while (a < b && (buf[a] == ' ' || buf[a] == '\t')) a++;
        while (b > a && (buf[b - 1] == ' ' || buf[b - 1] == '\t')) b--;
        if (a == b) return -1;
        double v = number(buf, a, b);
        if (!PredictFormat.finiteFloat(v)) return -1; // parseRow names the row
        if (count == cells.values.length) {
          cells.values = java.util.Arrays.copyOf(cells.values, count * 2);
        }
        cells.values[count++] = v;
        if (j == e) return count;
        i = j + 1;
      }
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

  private static final double[] POW10 = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  /**
   * The value of the decimal number in {@code b[from, to)} — {@code [+-]digits[.digits][e[+-]
   * digits]}, or with no digits before the point — when it is exactly what {@link
   * Double#parseDouble} gives by one correctly rounded operation: at most 18 significant digits
   * that make an exact double (at most 2^53) scaled by a power of ten up to 1e22 (also exact). NaN
   * (never such a value) for anything else: the caller then uses parseDouble itself.
   */
  static double number(byte[] b, int from, int to) {
    int i = from;
    boolean negative = false;
    if (b[i] == '+' || b[i] == '-') {
      negative = b[i] == '-';
      i++;
    }
    long significand = 0;
    int digits = 0;
    int scale = 0;
    boolean any = false;
    boolean point = false;
    for (; i < to; i++) {
      byte c = b[i];
      if (c >= '0' && c <= '9') {
        any = true;
        if (point) scale--;
        if (significand == 0 && c == '0') continue; // a leading zero
        if (++digits > 18) return Double.NaN;
        significand = significand * 10 + (c - '0');
      } else if (c == '.' && !point) {
        point = true;
      } else {
        break;
      }
    }
    if (!any) return Double.NaN;
    int exponent = 0;
    if (i < to && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      boolean negativeExponent = false;
      if (i < to && (b[i] == '+' || b[i] == '-')) {
        negativeExponent = b[i] == '-';
        i++;
      }
      int expDigits = 0;
      for (; i < to && b[i] >= '0' && b[i] <= '9'; i++) {
        if (++expDigits > 4) return Double.NaN;
        exponent = exponent * 10 + (b[i] - '0');
      }
      if (expDigits == 0) return Double.NaN;
      if (negativeExponent) exponent = -exponent;
    }
    if (i != to) return Double.NaN;
    double v;
    if (significand == 0) {
      v = 0.0;
    } else if (significand > 1L << 53) {
      return Double.NaN; // not an exact double
    } else {
      int e10 = scale + exponent;
      if (e10 >= 0 && e10 <= 22) {
        v = significand * POW10[e10];
      } else if (e10 < 0 && e10 >= -22) {
        v = significand / POW10[-e10];
      } else {
        return Double.NaN;
      }
    }
    return negative ? -v : v;
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
