package io.github.activationlab.tf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A byte stream filter that drops TensorFlow's native log lines and passes everything else through
 * unchanged, byte for byte, and without waiting for a newline.
 *
 * <p>Dropped: whole lines in the native library's formats, at severity I, W or E —
 *
 * <ul>
 *   <li>TSL: {@code 2026-11-29 05:32:49.091203: I tensorflow/core/util/port.cc:153] msg}
 *   <li>absl: {@code I0000 00:00:1795930383.275048 3172 service.cc:148] msg} (before {@code
 *       absl::InitializeLog()} the date is 0000 and the time the epoch seconds)
 *   <li>{@code WARNING: All log messages before absl::InitializeLog() is called are written to
 *       STDERR}
 *   <li>cpu_feature_guard's second line, {@code To enable the following instructions: ... compiler
 *       flags.}
 * </ul>
 *
 * Fatal ({@code F}) lines are kept: they explain a crash.
 *
 * <p>The stream is cut into segments at {@code \n} and {@code \r} (a progress bar redraws its line
 * with {@code \r} and no newline). At the start of a segment the filter holds bytes back only while
 * they can still be the beginning of a native log line; as soon as they cannot (for almost any
 * output, the first byte) they are written, and the rest of the segment passes straight through.
 * {@link #release()} writes the held-back bytes anyway; {@link #close()} calls it, so an unfinished
 * last segment is written too ({@link NativeRuntime} writes what TensorFlow printed while it loaded
 * through a filter and closes it; native lines arrive whole, in one write).
 */
final class NativeLogFilter extends OutputStream {
  /** One complete native log line, newline included. */
  static final Pattern NATIVE_LINE =
      Pattern.compile(
          "(?:\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6}: [IWE] [^\\]\\r"
              + "\\n"
              + "]+:\\d+\\] [^\\r"
              + "\\n"
              + "]*|[IWE]\\d{4} \\d{2}:\\d{2}:\\d+\\.\\d{6} +\\d+ [^\\]\\r"
              + "\\n"
              + "]+:\\d+\\] [^\\r"
              + "\\n"
              + "]*|WARNING: All log messages before absl::InitializeLog\\(\\) is called are"
              + " written to STDERR|To enable the following instructions: [^\\r"
              + "\\n"
              + "]*rebuild TensorFlow with the appropriate compiler flags\\.)\\r"
              + "?\\n");

  /** A segment longer than this is passed through even if it still looks like a native line. */
  static final int MAX_HELD = 64 * 1024;

  private final OutputStream out;
  private final ByteArrayOutputStream held = new ByteArrayOutputStream();
  private boolean passing; // the current segment is not a native line: pass it through

  NativeLogFilter(OutputStream out) {
    this.out = out;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
    int end = off + len;
    int i = off;
    while (i < end) {
      int cut = nextBoundary(b, i, end); // just after the segment's \n or \r, or end
      boolean ended = isBoundary(b[cut - 1]);
      if (passing) {
        out.write(b, i, cut - i);
        if (ended) passing = false;
      } else {
        held.write(b, i, cut - i);
        decide(ended);
      }
      i = cut;
    }
  }

  /** Classifies the held-back bytes: a whole native line (drop), not one (write), or undecided. */
  private void decide(boolean ended) throws IOException {
    Matcher m = NATIVE_LINE.matcher(held.toString(StandardCharsets.ISO_8859_1));
    if (m.lookingAt()) {
      held.reset(); // a native log line (it ends with the newline): dropped
    } else if (!m.hitEnd() || held.size() > MAX_HELD) {
      held.writeTo(out); // cannot be one
      held.reset();
      passing = !ended;
    }
    // else: still a prefix of a native line (e.g. "2026-11-29 05:3"): wait for more bytes
  }

  /** True while bytes are held back (a segment that may still turn out to be a native log line). */
  synchronized boolean holding() {
    return held.size() > 0;
  }

  /** Writes the held-back bytes, and the rest of their segment, through. */
  synchronized void release() throws IOException {
    if (held.size() == 0) return;
    byte last = held.toByteArray()[held.size() - 1];
    held.writeTo(out);
    held.reset();
    passing = !isBoundary(last);
  }

  @Override
  public synchronized void flush() throws IOException {
    out.flush();
  }

  /**
   * Writes anything held back (an unfinished last segment) and flushes; does not close the target.
   */
  @Override
  public synchronized void close() throws IOException {
    release();
    out.flush();
  }

  private static boolean isBoundary(byte c) {
    return c == '\n' || c == '\r';
  }

  private static int nextBoundary(byte[] b, int from, int end) {
    for (int i = from; i < end; i++) if (isBoundary(b[i])) return i + 1;
    return end;
  }
}
