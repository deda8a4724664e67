package io.github.activationlab.kernel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One output as Jupyter shows it: the same value in several MIME types, richest first, the front
 * end picks the richest it can show ({@code image/png} as base64, {@code text/html}, always a
 * {@code text/plain} fallback).
 *
 * @param data MIME type to content (binary types base64-encoded), in insertion order
 */
public record MimeBundle(Map<String, String> data) {
  /**
   * @param data MIME type to content; copied
   */
  public MimeBundle {
    data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
  }

  /**
   * @param text the plain text
   * @return a bundle with only {@code text/plain}
   */
  public static MimeBundle text(String text) {
    return new MimeBundle(Map.of("text/plain", text));
  }

  /**
   * @param html the HTML
   * @param text what a plain-text front end shows instead
   * @return a bundle with {@code text/html} and {@code text/plain}
   */
  public static MimeBundle html(String html, String text) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("text/html", html);
    m.put("text/plain", text);
    return new MimeBundle(m);
  }

  /**
   * @param mime an image type ({@code image/png}, {@code image/jpeg})
   * @param bytes the encoded image
   * @param text what a plain-text front end shows instead
   * @return a bundle with the image (base64) and {@code text/plain}
   */
  public static MimeBundle image(String mime, byte[] bytes, String text) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(mime, java.util.Base64.getEncoder().encodeToString(bytes));
    m.put("text/plain", text);
    return new MimeBundle(m);
  }

  /**
   * @return the {@code text/plain} content, or an empty string
   */
  public String plain() {
    return data.getOrDefault("text/plain", "");
  }
}
