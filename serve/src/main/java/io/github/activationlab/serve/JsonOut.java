package io.github.activationlab.serve;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * JSON written as TensorFlow Serving writes it: rapidjson's {@code PrettyWriter} (4-space indent;
 * with {@link #singleLineArrays} on, array elements on one line after {@code ", "}; the option is
 * read at each value, as rapidjson reads it), strings escaped as rapidjson escapes them, and
 * floating-point values by {@link #decimal(float)} / {@link #decimal(double)}, TensorFlow Serving's
 * {@code WriteDecimal}. An optional limit stops writing once that many characters are out (error
 * messages quote at most 256).
 */
final class JsonOut {
  private final StringBuilder b;
  private final int limit;
  private boolean singleLine;
  private boolean stopped;
  private boolean[] inArray = new boolean[32];
  private int[] count = new int[32];
  private int depth;

  JsonOut() {
    this(Integer.MAX_VALUE);
  }

  JsonOut(int limit) {
    this.limit = limit;
    this.b = new StringBuilder(limit == Integer.MAX_VALUE ? 256 : limit + 16);
  }

  /** rapidjson's {@code kFormatSingleLineArray} on or off (from the next value on). */
  JsonOut singleLineArrays(boolean on) {
    singleLine = on;
    return this;
  }

  boolean full() {
    return stopped || b.length() >= limit;
  }

  void stop() {
    stopped = true;
  }

  private boolean skip() {
    if (b.length() >= limit) stopped = true;
    return stopped;
  }

  private void prefix() {
    if (depth == 0) return;
    int d = depth - 1;
    if (inArray[d]) {
      if (count[d] > 0) {
        b.append(',');
        if (singleLine) b.append(' ');
      }
      if (!singleLine) {
        b.append('\n');
        indent();
      }
    } else {
      if (count[d] > 0) {
        if (count[d] % 2 == 0) b.append(",\n");
        else b.append(": ");
      } else {
        b.append('\n');
      }
      if (count[d] % 2 == 0) indent();
    }
    count[d]++;
  }

  private void indent() {
    for (int i = 0; i < depth * 4; i++) b.append(' ');
  }

  private void push(boolean array) {
    if (depth == inArray.length) {
      inArray = java.util.Arrays.copyOf(inArray, depth * 2);
      count = java.util.Arrays.copyOf(count, depth * 2);
    }
    inArray[depth] = array;
    count[depth] = 0;
    depth++;
  }

  JsonOut startObject() {
    if (skip()) return this;
    prefix();
    push(false);
    b.append('{');
    return this;
  }

  JsonOut endObject() {
    if (skip()) return this;
    boolean empty = count[--depth] == 0;
    if (!empty) {
      b.append('\n');
      indent();
    }
    b.append('}');
    return this;
  }

  JsonOut startArray() {
    if (skip()) return this;
    prefix();
    push(true);
    b.append('[');
    return this;
  }

  JsonOut endArray() {
    if (skip()) return this;
    boolean empty = count[--depth] == 0;
    if (!empty && !singleLine) {
      b.append('\n');
      indent();
    }
    b.append(']');
    return this;
  }

  JsonOut key(String k) {
    return string(k);
  }

  JsonOut string(String s) {
    if (skip()) return this;
    prefix();
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) b.append(String.format("\\u%04X", (int) c));
          else b.append(c);
        }
      }
    }
    b.append('"');
    return this;
  }

  /** A number (or literal) written as given. */
  JsonOut raw(String text) {
    if (skip()) return this;
    prefix();
    b.append(text);
    return this;
  }

  JsonOut value(long v) {
    if (skip()) return this;
    prefix();
    b.append(v);
    return this;
  }

  JsonOut value(float v) {
    if (skip()) return this;
    prefix();
    decimal(b, v);
    return this;
  }

  JsonOut value(double v) {
    if (skip()) return this;
    prefix();
    decimal(b, v);
    return this;
  }

  @Override
  public String toString() {
    return b.toString();
  }

  // ---------------------------------------------------------------- WriteDecimal

  /**
   * A float as TensorFlow Serving writes it: {@code %g} with 6 significant digits (absl's {@code
   * StrCat}) if that reads back as the same float, else {@code %.9g}; {@code .0} appended to a
   * whole number not in exponent notation; {@code NaN}, {@code Infinity}, {@code -Infinity}.
   */
  static String decimal(float v) {
    StringBuilder s = new StringBuilder(16);
    decimal(s, v);
    return s.toString();
  }

  /** A double as TensorFlow Serving writes it ({@code %g}, else {@code %.17g}; see above). */
  static String decimal(double v) {
    StringBuilder s = new StringBuilder(24);
    decimal(s, v);
    return s.toString();
  }

  private static void decimal(StringBuilder out, float v) {
    if (nonFinite(out, v)) return;
    int start = out.length();
    if (!fastFloat(out, v)) {
      g(out, v, 6);
      if (Float.parseFloat(out.substring(start)) != v) {
        out.setLength(start);
        g(out, v, 9);
      }
    }
    dotZero(out, start);
  }

  /**
   * {@link #decimal(float)} without reading the text back: the 6-digit value round-trips iff it is
   * nearer to {@code v} than half the float's spacing there; decided in double arithmetic when the
   * distance is clearly on one side, else left to the exact path (false).
   */
  private static boolean fastFloat(StringBuilder out, float v) {
    if (v == 0) return false;
    double a = Math.abs((double) v);
    int x = (int) Math.floor(Math.log10(a));
    long d6 = fastDigits(a, x, 6);
    if (d6 < 0) return false;
    int m = x - 5;
    double c = m >= 0 ? d6 * POW10[m] : d6 / POW10[-m];
    double ulp = Math.ulp(Math.abs(v));
    boolean powerOfTwo = Float.floatToRawIntBits(Math.abs(v)) % (1 << 23) == 0;
    double half = c < a && powerOfTwo ? ulp / 4 : ulp / 2;
    double diff = Math.abs(c - a);
    if (Math.abs(diff - half) <= 1e-9 * half) return false; // too close to call
    if (diff < half) {
      format(out, v < 0, d6, x, 6);
      return true;
    }
    long d9 = fastDigits(a, x, 9);
    if (d9 < 0) return false;
    format(out, v < 0, d9, x, 9);
    return true;
  }

  /** The {@code p} significant digits of {@code a} (exponent {@code x}), or -1 if not exact. */
  private static long fastDigits(double a, int x, int p) {
    int m = x - (p - 1);
    if (Math.abs(m) >= POW10.length || (m < 0 && -m > 12)) return -1;
    double scaled = m >= 0 ? a / POW10[m] : a * POW10[-m];
    if (!(scaled > POW10[p - 1] - 0.5 && scaled < POW10[p] - 0.5)) return -1;
    double frac = scaled - Math.floor(scaled);
    if (Math.abs(frac - 0.5) <= 1e-6) return -1;
    return Math.round(scaled);
  }

  private static void decimal(StringBuilder out, double v) {
    if (nonFinite(out, v)) return;
    int start = out.length();
    g(out, v, 6);
    if (Double.parseDouble(out.substring(start)) != v) {
      out.setLength(start);
      g(out, v, 17);
    }
    dotZero(out, start);
  }

  private static boolean nonFinite(StringBuilder out, double v) {
    if (Double.isNaN(v)) out.append("NaN");
    else if (v == Double.POSITIVE_INFINITY) out.append("Infinity");
    else if (v == Double.NEGATIVE_INFINITY) out.append("-Infinity");
    else return false;
    return true;
  }

  private static void dotZero(StringBuilder out, int start) {
    for (int i = start; i < out.length(); i++) {
      char c = out.charAt(i);
      if (c == '.' || c == 'e') return;
    }
    out.append(".0");
  }

  private static final double[] POW10 = new double[23];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) POW10[i] = POW10[i - 1] * 10;
  }

  /**
   * C's {@code printf("%.Pg", v)}: {@code P} significant digits, correctly rounded (half to even on
   * the exact binary value), fixed notation for exponents -4 to P-1, else {@code d.ddde+XX};
   * trailing zeros dropped. Fast path in double arithmetic where it is provably exact (no tie
   * nearby, scale factor exact); BigDecimal otherwise.
   */
  static void g(StringBuilder out, double v, int p) {
    if (v == 0) {
      out.append(1 / v < 0 ? "-0" : "0");
      return;
    }
    double a = Math.abs(v);
    int x = (int) Math.floor(Math.log10(a));
    int m = x - (p - 1);
    long digits = -1;
    if (p <= 15 && Math.abs(m) < POW10.length) {
      double scaled = m >= 0 ? a / POW10[m] : a * POW10[-m];
      double lo = POW10[p - 1] - 0.5;
      double hi = POW10[p] - 0.5;
      double frac = scaled - Math.floor(scaled);
      if (scaled > lo && scaled < hi && Math.abs(frac - 0.5) > 1e-6 && (m >= 0 || -m <= 9)) {
        digits = Math.round(scaled);
      }
    }
    if (digits < 0) {
      BigDecimal r = new BigDecimal(a).round(new MathContext(p, RoundingMode.HALF_EVEN));
      x = r.precision() - r.scale() - 1;
      digits = r.movePointLeft(x - (p - 1)).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
    }
    format(out, v < 0, digits, x, p);
  }

  /** {@code %g}'s layout of {@code p} digits with decimal exponent {@code x}. */
  private static void format(StringBuilder out, boolean negative, long digits, int x, int p) {
    if (negative) out.append('-');
    String d = Long.toString(digits); // p digits
    int end = d.length();
    while (end > 1 && d.charAt(end - 1) == '0') end--;
    if (x < -4 || x >= p) {
      out.append(d.charAt(0));
      if (end > 1) out.append('.').append(d, 1, end);
      out.append('e').append(x < 0 ? '-' : '+');
      int ax = Math.abs(x);
      if (ax < 10) out.append('0');
      out.append(ax);
    } else if (x >= 0) {
      if (end <= x + 1) {
        out.append(d, 0, x + 1);
      } else {
        out.append(d, 0, x + 1).append('.').append(d, x + 1, end);
      }
    } else {
      out.append("0.");
      for (int i = 0; i < -x - 1; i++) out.append('0');
      out.append(d, 0, end);
    }
  }
}
