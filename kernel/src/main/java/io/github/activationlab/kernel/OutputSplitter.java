package io.github.activationlab.kernel;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The kernel's end of the cells' standard output: text goes to {@code text} (a line at a time, or
 * whatever is complete when the stream is flushed), {@link Frames} to {@code frames}, in the order
 * they were written. A NUL not followed by the frame tag is text.
 */
final class OutputSplitter extends OutputStream {
  private static final byte[] TAG = Frames.START.substring(1).getBytes(StandardCharsets.UTF_8);

  private final Consumer<String> text;
  private final Consumer<Frames.Frame> frames;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final ByteArrayOutputStream frame = new ByteArrayOutputStream();
  private boolean inFrame;

  OutputSplitter(Consumer<String> text, Consumer<Frames.Frame> frames) {
    this.text = text;
    this.frames = frames;
  }

  @Override
  public synchronized void write(int b) {
    if (inFrame) {
      if (b == '\n') {
        inFrame = false;
        finishFrame();
      } else {
        frame.write(b);
      }
      return;
    }
    if (b == 0) {
      drain();
      inFrame = true;
      frame.reset();
      return;
    }
    pending.write(b);
    if (b == '\n') drain();
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) write(b[i]);
  }

  /**
   * A flush of the cells' stream (after every {@code print}) sends nothing: whole lines go out as
   * they end and the rest when the cell ends ({@link #drain()}), so that a line printed in pieces
   * ({@code printf} with arguments) is one output, not several.
   */
  @Override
  public void flush() {}

  /** Sends the pending text, up to its last complete UTF-8 character. */
  synchronized void drain() {
    byte[] b = pending.toByteArray();
    int end = completeUtf8(b);
    if (end == 0) return;
    text.accept(new String(b, 0, end, StandardCharsets.UTF_8));
    pending.reset();
    pending.write(b, end, b.length - end);
  }

  private void finishFrame() {
    byte[] body = frame.toByteArray();
    boolean tagged = body.length >= TAG.length;
    for (int i = 0; tagged && i < TAG.length; i++) tagged = body[i] == TAG[i];
    if (!tagged) { // a NUL the user printed: text after all
      pending.write(0);
      pending.write(body, 0, body.length);
      pending.write('\n');
      drain();
      return;
    }
    String s = new String(body, TAG.length, body.length - TAG.length, StandardCharsets.UTF_8);
    frames.accept(Frames.decode(s));
  }

  /** The length of the longest prefix of {@code b} that ends on a whole UTF-8 character. */
  static int completeUtf8(byte[] b) {
    int n = b.length;
    for (int back = 1; back <= Math.min(4, n); back++) {
      int c = b[n - back] & 0xff;
      if ((c & 0xc0) == 0x80) continue; // a continuation byte: look further back
      int need = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
      return need <= back ? n : n - back;
    }
    return n;
  }
}
