package io.github.activationlab.kernel;

import io.github.activationlab.nn.History;
import io.github.activationlab.nn.Sequential;
import io.github.activationlab.sweep.SweepResults;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import javax.imageio.ImageIO;

/**
 * How a value is shown: core's tables ({@link History}, a sweep, a {@link Sequential}'s summary) as
 * HTML with a text fallback ({@link Tables}); images and image files as PNG or JPEG; then the
 * renderers other modules register ({@link MimeRenderer}); anything else as its text ({@code
 * toString}, arrays element by element).
 */
public final class Renderers {
  private Renderers() {}

  private static volatile List<MimeRenderer> plugins;

  /**
   * @param value any value (null too)
   * @return its rich form
   */
  public static MimeBundle render(Object value) {
    if (value == null) return MimeBundle.text("null");
    if (value instanceof MimeBundle b) return b;
    if (value instanceof History h) return Tables.history(h);
    if (value instanceof SweepResults.Sweep s) return Tables.sweep(s);
    if (value instanceof Sequential m) return Tables.summary(m.summary());
    if (value instanceof RenderedImage img) {
      return MimeBundle.image("image/png", png(img), "<image " + size(img) + ">");
    }
    if (value instanceof File f) value = f.toPath();
    if (value instanceof Path p && imageType(p) != null) {
      try {
        return MimeBundle.image(imageType(p), Files.readAllBytes(p), p.toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (MimeRenderer r : plugins()) {
      try {
        Optional<MimeBundle> b = r.render(value);
        if (b.isPresent()) return b.get();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("rendering " + value.getClass().getName() + ": " + e, e);
      }
    }
    return MimeBundle.text(text(value));
  }

  /**
   * @param image an image
   * @return it as PNG bytes
   */
  public static byte[] png(RenderedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String size(RenderedImage img) {
    return img.getWidth() + "x" + img.getHeight();
  }

  /** The MIME type of an image file by its extension, or null. */
  static String imageType(Path p) {
    String n = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".png")) return "image/png";
    if (n.endsWith(".jpg") || n.endsWith(".jpeg")) return "image/jpeg";
    if (n.endsWith(".gif")) return "image/gif";
    return null;
  }

  /** A value's text: arrays element by element, everything else its toString. */
  static String text(Object v) {
    if (v instanceof Object[] a) return Arrays.deepToString(a);
    if (v instanceof double[] a) return Arrays.toString(a);
    if (v instanceof float[] a) return Arrays.toString(a);
    if (v instanceof long[] a) return Arrays.toString(a);
    if (v instanceof int[] a) return Arrays.toString(a);
    if (v instanceof boolean[] a) return Arrays.toString(a);
    if (v instanceof byte[] a) return Arrays.toString(a);
    if (v instanceof char[] a) return Arrays.toString(a);
    if (v instanceof short[] a) return Arrays.toString(a);
    return String.valueOf(v);
  }

  private static List<MimeRenderer> plugins() {
    List<MimeRenderer> p = plugins;
    if (p == null) {
      List<MimeRenderer> found = new ArrayList<>();
      ServiceLoader.load(MimeRenderer.class, Renderers.class.getClassLoader()).forEach(found::add);
      plugins = p = List.copyOf(found);
    }
    return p;
  }
}
