package io.github.activationlab.kernel;

import java.util.Optional;

/**
 * Turns values of some type into a {@link MimeBundle}: how {@code display(x)} and a cell's last
 * expression show {@code x}. The kernel has renderers for core's types (History, a sweep,
 * Sequential), images and image files; a module that knows other types registers one with {@link
 * java.util.ServiceLoader} ({@code META-INF/services/io.github.activationlab.kernel.MimeRenderer}),
 * as app does for XChart charts, so that the kernel needs no compile-time dependency on them.
 */
public interface MimeRenderer {
  /**
   * @param value any value a cell produced (never null)
   * @return its rich form, or empty when this renderer does not know the value's type
   * @throws Exception when rendering a value of a known type fails (shown as the cell's error)
   */
  Optional<MimeBundle> render(Object value) throws Exception;
}
