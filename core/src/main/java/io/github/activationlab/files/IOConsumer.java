package io.github.activationlab.files;

import java.io.IOException;

/**
 * Something that consumes a value and may throw {@link IOException}: what {@link AtomicFiles#write}
 * calls with the stream to write to ({@code out -> out.write(bytes)}).
 *
 * @param <T> the type of the value
 */
@FunctionalInterface
public interface IOConsumer<T> {
  /**
   * Consumes the value.
   *
   * @param value the value, e.g. the stream to write to
   * @throws IOException to abandon the work (the caller cleans up)
   */
  void accept(T value) throws IOException;
}
