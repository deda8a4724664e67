package io.github.activationlab.savedmodel;

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
