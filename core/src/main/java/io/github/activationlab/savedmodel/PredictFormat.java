package io.github.activationlab.savedmodel;

import java.nio.charset.StandardCharsets;

/**
 * The text of {@code predict}: which input values are taken, how a row of text is read, and how a
 * row's line is written — said once, so that the command line and the Spark job read the same rows
 * the same way and write the same bytes (DESIGN.md's format: a {@code #} header line, then one
 * {@code inputs -> outputs} line per data row).
 *
 * <ul>
 *   <li>Data rows: every line that is not blank and does not start with {@code #}; they are counted
 *       from 1 in error messages ({@code input row N: ...}).
 *   <li>Values: comma-separated, spaces around them ignored, trailing empty cells dropped; each
 *       must be a finite float32 value ({@link #finiteFloat}).
 *   <li>Lines: inputs and outputs as float32 values ({@link Float#toString(float)}'s digits),
 *       comma-separated, joined by {@code " -> "}.
 * </ul>
 */
public final class PredictFormat {
  private PredictFormat() {}

  /** Rows per prediction call: memory stays bounded whatever the input's size. */
  public static final int BATCH = 4096;

  /** Between the inputs and the outputs of a line. */
  public static final String ARROW = " -> ";

  /**
   * The one rule for input values: a finite float32 value. NaN, the infinities and numbers that
   * round to a float32 infinity ({@code 1e39}, {@code 1e999}) are refused: the models take float32
   * inputs, where such a value is not a number a model can compute with.
   *
   * @param v a parsed value
   * @return whether it is taken
   */
  public static boolean finiteFloat(double v) {
    return Float.isFinite((float) v);
  }

  /**
   * Whether a line of an input file is a data row: not blank ({@link String#isBlank}) and not a
   * comment (starting with {@code #}).
   *
   * @param line a line, without its line end
   * @return true for a data row
   */
  public static boolean isDataLine(String line) {
    return !line.isBlank() && !line.startsWith("#");
  }

  /**
   * {@link #isDataLine(String)} of a line given as UTF-8 bytes {@code b[from, to)}, without making
   * a String when the line is ASCII.
   *
   * @param b the bytes
   * @param from the line's first byte
   * @param to the end of the line (exclusive, without its line end)
   * @return true for a data row
   */
  public static boolean isDataLine(byte[] b, int from, int to) {
    boolean blank = true;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c < 0) return isDataLine(new String(b, from, to - from, StandardCharsets.UTF_8));
      if (blank && !(c == ' ' || (c >= 9 && c <= 13) || (c >= 28 && c <= 31))) blank = false;
    }
    return !blank && b[from] != '#';
  }

  /**
   * {@link #parseRow(String, long, double[])} of a row given as UTF-8 bytes {@code b[from, to)}:
   * the same values, column count and messages. A row of plain decimal numbers (see {@link
   * #number}) separated by commas, spaces or tabs around them, is parsed without making a String;
   * anything else — other number forms, empty cells, non-ASCII text, an error, more values than
   * {@code cells} holds — goes through the String version, which also words the errors.
   *
   * @param b the bytes
   * @param from the row's first byte
   * @param to the end of the row (exclusive, without its line end)
   * @param row its number, for the error messages (data rows counted from 1)
   * @param cells where the values go
   * @return the number of columns (when it exceeds {@code cells.length} nothing is stored)
   * @throws IllegalArgumentException as the String version
   */
  public static int parseRow(byte[] b, int from, int to, long row, double[] cells) {
    int c = fast(b, from, to, cells);
    if (c >= 0) return c;
    for (int i = from; i < to; i++) {
      if (b[i] < 0) {
        return parseRow(new String(b, from, to - from, StandardCharsets.UTF_8), row, cells);
      }
    }
    return parseRow(new String(b, from, to - from, StandardCharsets.ISO_8859_1), row, cells);
  }

  /** The fast path of {@link #parseRow(byte[], int, int, long, double[])}, or -1. */
  private static int fast(byte[] buf, int s, int e, double[] cells) {
    while (s < e && buf[s] <= ' ' && buf[s] >= 0) s++;
    while (e > s && buf[e - 1] <= ' ' && buf[e - 1] >= 0) e--;
    int count = 0;
    for (int i = s; ; ) {
      int j = i;
      while (j < e && buf[j] != ',') j++;
      int a = i;
      int z = j;
      while (a < z && (buf[a] == ' ' || buf[a] == '\t')) a++;
      while (z > a && (buf[z - 1] == ' ' || buf[z - 1] == '\t')) z--;
      if (a == z) return -1;
      double v = number(buf, a, z);
      if (!finiteFloat(v)) return -1; // the String version names the row
      if (count == cells.length) return -1;
      cells[count++] = v;
      if (j == e) return count;
      i = j + 1;
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
   * that make an exact double (at most 2^53) scaled by a power of ten up to 1e22 (also exact).
   *
   * @param b the bytes
   * @param from the number's first byte
   * @param to the end of the number (exclusive)
   * @return the value, or NaN (never such a value) for anything else: the caller then uses
   *     parseDouble itself
   */
  public static double number(byte[] b, int from, int to) {
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

  /**
   * Parses one row into {@code cells} and returns its column count; when that exceeds {@code
   * cells.length} nothing is stored (call again with a larger array; a zero-length array counts the
   * columns without parsing). As {@code line.trim().split("\\s*,\\s*")} then {@link
   * Double#parseDouble}: cells trimmed, trailing empty cells dropped.
   *
   * @param line the row's text
   * @param row its number, for the error messages (data rows counted from 1)
   * @param cells where the values go
   * @return the number of columns
   * @throws IllegalArgumentException "input row N: 'x' is not a number", "input row N: 'x' is not a
   *     finite float32 value"
   */
  public static int parseRow(String line, long row, double[] cells) {
    String s = line.trim();
    int end = s.length();
    // split's rule: trailing empty cells are dropped (but "" is one empty cell)
    while (end > 0 && (s.charAt(end - 1) <= ' ' || s.charAt(end - 1) == ',')) end--;
    int columns = 0;
    if (s.isEmpty()) {
      columns = 1;
    } else if (end > 0) {
      columns = 1;
      for (int i = 0; i < end; i++) if (s.charAt(i) == ',') columns++;
    }
    if (columns > cells.length) return columns;
    int start = 0;
    for (int k = 0; k < columns; k++) {
      int comma = s.indexOf(',', start);
      int stop = comma < 0 || comma > end ? end : comma;
      String cell = s.substring(start, stop).trim();
      start = stop + 1;
      double v;
      try {
        v = Double.parseDouble(cell);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("input row " + row + ": '" + cell + "' is not a number");
      }
      if (!finiteFloat(v)) {
        throw new IllegalArgumentException(
            "input row " + row + ": '" + cell + "' is not a finite float32 value");
      }
      cells[k] = v;
    }
    return columns;
  }

  /**
   * The header line: {@code #}, a space, what was loaded ({@link LoadedModel#describe}).
   *
   * @param model the model
   * @param eol the line end
   * @return the line, with its line end
   */
  public static String header(LoadedModel model, String eol) {
    return "# " + model.describe() + eol;
  }

  /**
   * Appends a row's line: its inputs, {@link #ARROW}, its outputs, the line end; each value printed
   * as the float32 it is ({@link Float#toString(float)}: what Java's {@code println} prints for a
   * float), comma-separated.
   *
   * @param b where the line goes
   * @param inputs the inputs of a batch, row-major
   * @param inFrom the row's first input in {@code inputs}
   * @param width the row's number of inputs
   * @param outputs the outputs of the batch, row-major
   * @param outFrom the row's first output in {@code outputs}
   * @param outWidth the row's number of outputs
   * @param eol the line end
   * @return {@code b}
   */
  public static StringBuilder appendRow(
      StringBuilder b,
      double[] inputs,
      int inFrom,
      int width,
      double[] outputs,
      int outFrom,
      int outWidth,
      String eol) {
    join(b, inputs, inFrom, width).append(ARROW);
    return join(b, outputs, outFrom, outWidth).append(eol);
  }

  private static StringBuilder join(StringBuilder b, double[] v, int from, int count) {
    for (int i = 0; i < count; i++) {
      if (i > 0) b.append(',');
      b.append((float) v[from + i]); // Float.toString's digits, as println printed them
    }
    return b;
  }
}
