package io.github.activationlab.kernel;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The one channel from the cells' JVM to the kernel: rich outputs travel in-band on the cells'
 * standard output, one frame per line: {@code NUL "activation-lab:" kind ":" base64(JSON) LF}. On
 * the same stream as the text printed around them, they arrive in the order they were made, and a
 * frame of any size passes (JShell's own channel returns a value only as its string). Kinds: {@code
 * display} (a {@code display(x)}), {@code result} (the cell's last value), {@code exit}
 * (System.exit was called; the JSON names where).
 */
public final class Frames {
  private Frames() {}

  /** The bytes that start a frame: NUL, then the tag. */
  public static final String START = "\u0000activation-lab:";

  private static final Gson GSON = new Gson();

  /**
   * @param kind the frame's kind
   * @param data its content
   * @return the frame's line, newline included
   */
  public static String encode(String kind, Map<String, String> data) {
    String json = GSON.toJson(data);
    return START
        + kind
        + ":"
        + Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))
        + "\n";
  }

  /** A decoded frame. */
  public record Frame(String kind, Map<String, String> data) {}

  /**
   * @param body a frame's line without {@link #START} and without the newline
   * @return the frame
   * @throws IllegalArgumentException when the line is not a frame
   */
  public static Frame decode(String body) {
    int colon = body.indexOf(':');
    if (colon < 0) throw new IllegalArgumentException("not a frame: " + body);
    String json =
        new String(Base64.getDecoder().decode(body.substring(colon + 1)), StandardCharsets.UTF_8);
    Map<String, String> data =
        GSON.fromJson(json, new TypeToken<Map<String, String>>() {}.getType());
    return new Frame(body.substring(0, colon), data);
  }
}
