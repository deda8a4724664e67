package io.github.activationlab.files;

import java.io.IOException;

/** Something that consumes a value and may throw {@link IOException} (e.g. writes to a stream). */
@FunctionalInterface
public interface IOConsumer<T> {
  void accept(T value) throws IOException;
}
