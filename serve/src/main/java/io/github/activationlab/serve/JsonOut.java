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
  private final char[] scratch = new char[FLOAT_CHARS];

  JsonOut() {
    this(Integer.MAX_VALUE);
  }

  JsonOut(int limit) {
    this.limit = limit;
    this.b = new StringBuilder(limit == Integer.MAX_VALUE ? 256 : limit + 16);
  }

  /**
   * Makes room for {@code chars} more characters at once (a large answer grows no copy at a time).
   */
  JsonOut reserve(int chars) {
    b.ensureCapacity(b.length() + Math.max(0, chars));
    return this;
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
    decimal(b, v, scratch);
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
    decimal(s, v, new char[FLOAT_CHARS]);
    return s.toString();
  }

  /** {@link #decimal(float)} by the exact path alone (the fast one is tested against it). */
  static String decimalExact(float v) {
    StringBuilder s = new StringBuilder(16);
    if (!nonFinite(s, v)) exact(s, v);
    return s.toString();
  }

  /** A double as TensorFlow Serving writes it ({@code %g}, else {@code %.17g}; see above). */
  static String decimal(double v) {
    StringBuilder s = new StringBuilder(24);
    decimal(s, v);
    return s.toString();
  }

  private static void decimal(StringBuilder out, float v, char[] scratch) {
    if (nonFinite(out, v)) return;
    int n = fastFloat(v, scratch);
    if (n >= 0) out.append(scratch, 0, n);
    else exact(out, v);
  }

  /** {@code %g}, read back, {@code %.9g} if need be: BigDecimal where doubles cannot decide. */
  private static void exact(StringBuilder out, float v) {
    int start = out.length();
    g(out, v, 6);
    if (Float.parseFloat(out.substring(start)) != v) {
      out.setLength(start);
      g(out, v, 9);
    }
    dotZero(out, start);
  }

  /** The most characters {@link #fastFloat} writes: {@code -0.000123456789}. */
  private static final int FLOAT_CHARS = 16;

  /**
   * {@link #decimal(float)} for a normal float without BigDecimal or reading the text back, into
   * {@code out} from 0; its length, or -1 where the exact path must decide. In double arithmetic:
   * the decimal exponent {@code x} from the binary one and a table; the 6 digits {@code d6},
   * rounded from {@code v·10^(5-x)} (one exact power of ten, one rounding: a tie within 1e-6 is
   * left to the exact path); they read back as {@code v} iff {@code d6·10^(x-5)} is nearer to
   * {@code v} than half the float's spacing there (a quarter below a power of two), decided when
   * the distance is clearly on one side (else the exact path); otherwise the 9 digits, likewise.
   */
  private static int fastFloat(float v, char[] out) {
    int bits = Float.floatToRawIntBits(v);
    int e2 = ((bits >>> 23) & 0xff) - 127;
    if (e2 == -127 || e2 == 128) return -1; // zero or subnormal (non-finite: handled before)
    double a = Math.abs((double) v);
    int x = exponent10(a, e2);
    long d = digits(a, x, 6);
    if (d < 0) return -1;
    int m = x - 5;
    double c = m >= 0 ? d * POW10[m] : d / POW10[-m];
    double ulp = Double.longBitsToDouble((long) (e2 - 23 + 1023) << 52);
    double half = c < a && (bits & 0x7fffff) == 0 ? ulp / 4 : ulp / 2;
    double diff = Math.abs(c - a);
    if (Math.abs(diff - half) <= 1e-9 * half) return -1; // too close to call
    int p = 6;
    if (diff >= half) {
      d = digits(a, x, 9);
      if (d < 0) return -1;
      p = 9;
    }
    return layout(out, bits < 0, (int) d, x, p);
  }

  /**
   * {@code floor(log10(a))} for a normal float {@code a} with binary exponent {@code e2}: {@code
   * log10(a)} lies in {@code [e2·log10 2, (e2+1)·log10 2)}, less than one wide, so the answer is
   * the floor of the lower end ({@code (e2·78913) >> 18}, exact for these exponents) or one more,
   * as the table of the doubles nearest the powers of ten tells. (Where such a double equals a
   * float, the float's 6 or 9 digits round to that power of ten, which printf writes with the same
   * exponent.)
   */
  private static int exponent10(double a, int e2) {
    int x = (e2 * 78913) >> 18;
    return a >= TENS[x + 1 - TENS_MIN] ? x + 1 : x;
  }

  private static final int TENS_MIN = -46;
  private static final double[] TENS = new double[40 - TENS_MIN];

  static {
    for (int k = 0; k < TENS.length; k++) TENS[k] = Double.parseDouble("1e" + (k + TENS_MIN));
  }

  /** The {@code p} significant digits of {@code a} (exponent {@code x}), or -1 if not exact. */
  private static long digits(double a, int x, int p) {
    int m = x - (p - 1);
    if (m < -22 || m > 22) return -1; // the power of ten would not be exact
    double scaled = m >= 0 ? a / POW10[m] : a * POW10[-m];
    if (!(scaled > POW10[p - 1] - 0.5 && scaled < POW10[p] - 0.5)) return -1;
    double floor = Math.floor(scaled);
    double frac = scaled - floor;
    if (Math.abs(frac - 0.5) <= 1e-6) return -1;
    return (long) floor + (frac > 0.5 ? 1 : 0);
  }

  private static final char[] ONES = new char[100];
  private static final char[] TENS_DIGIT = new char[100];

  static {
    for (int i = 0; i < 100; i++) {
      ONES[i] = (char) ('0' + i % 10);
      TENS_DIGIT[i] = (char) ('0' + i / 10);
    }
  }

  /**
   * {@code %g}'s layout of the {@code p <= 9} digits {@code d} with decimal exponent {@code x} (as
   * {@link #format}), plus {@code .0} on a whole number, into {@code buf} from 0; returns the
   * length. The digits are written once, two a step, where the layout wants them, then the leading
   * ones moved over by one for the point.
   */
  private static int layout(char[] buf, boolean negative, int d, int x, int p) {
    int n0 = negative ? 1 : 0;
    if (negative) buf[0] = '-';
    boolean fixed = x >= -4 && x < p;
    int base = fixed && x < 0 ? n0 + 1 - x : n0 + 1; // where digit 0 goes
    int k = p - 1;
    for (; k >= 1; k -= 2) {
      int q = d / 100;
      int r = d - q * 100;
      buf[base + k] = ONES[r];
      buf[base + k - 1] = TENS_DIGIT[r];
      d = q;
    }
    if (k == 0) buf[base] = (char) ('0' + d);
    int end = p; // the digits without trailing zeros
    while (end > 1 && buf[base + end - 1] == '0') end--;
    if (!fixed) { // d.ddde+XX
      buf[n0] = buf[n0 + 1];
      int n = n0 + 1;
      if (end > 1) {
        buf[n0 + 1] = '.';
        n = n0 + 1 + end;
      }
      buf[n++] = 'e';
      buf[n++] = x < 0 ? '-' : '+';
      int ax = Math.abs(x);
      buf[n++] = (char) ('0' + ax / 10);
      buf[n++] = (char) ('0' + ax % 10);
      return n;
    }
    if (x >= 0) { // ddd.ddd, or ddd.0
      for (int j = 0; j <= x; j++) buf[n0 + j] = buf[n0 + 1 + j];
      buf[n0 + x + 1] = '.';
      if (end > x + 1) return n0 + 1 + end;
      buf[n0 + x + 2] = '0';
      return n0 + x + 3;
    }
    buf[n0] = '0'; // 0.000ddd
    buf[n0 + 1] = '.';
    for (int j = n0 + 2; j < base; j++) buf[j] = '0';
    return base + end;
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

  /** The powers of ten that are exact doubles, 10^0 to 10^22 (FastPredict reads them too). */
  static final double[] POW10 = new double[23];

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
    long digits = p <= 15 && (m >= 0 || -m <= 9) ? digits(a, x, p) : -1;
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
