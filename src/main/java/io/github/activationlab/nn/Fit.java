package io.github.activationlab.nn;

/**
 * {@code fit}'s arguments, with Keras's defaults: batch_size 32, shuffle on; the seed drives the
 * shuffles (default 42). verbose: 0 silent, 1 a progress bar over the epochs, 2 one line every
 * {@code every} epochs.
 */
public record Fit(int epochs, int batchSize, boolean shuffle, long seed, int verbose, int every) {
  public Fit {
    if (epochs <= 0) throw new IllegalArgumentException("epochs must be positive, got " + epochs);
    if (batchSize <= 0) throw new IllegalArgumentException("batch_size must be positive, got " + batchSize);
  }

  public static Fit epochs(int epochs) {
    return new Fit(epochs, 32, true, 42, 0, 100);
  }

  public Fit batchSize(int b) {
    return new Fit(epochs, b, shuffle, seed, verbose, every);
  }

  public Fit shuffle(boolean s) {
    return new Fit(epochs, batchSize, s, seed, verbose, every);
  }

  public Fit seed(long s) {
    return new Fit(epochs, batchSize, shuffle, s, verbose, every);
  }

  public Fit verbose(int v) {
    return new Fit(epochs, batchSize, shuffle, seed, v, every);
  }

  public Fit every(int e) {
    return new Fit(epochs, batchSize, shuffle, seed, verbose, e);
  }
}
