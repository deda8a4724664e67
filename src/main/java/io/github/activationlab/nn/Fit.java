package io.github.activationlab.nn;

/**
 * {@code fit}'s arguments, with Keras's defaults: batch_size 32, shuffle on; the seed drives the
 * shuffles (default 42). verbose: 0 silent, 1 a progress bar over the epochs, 2 one line every
 * {@code every} epochs.
 */
public record Fit(
    int epochs,
    int batchSize,
    boolean shuffle,
    long seed,
    int verbose,
    int every,
    boolean fused,
    boolean xla) {
  public Fit {
    if (epochs <= 0) throw new IllegalArgumentException("epochs must be positive, got " + epochs);
    if (batchSize <= 0)
      throw new IllegalArgumentException("batch_size must be positive, got " + batchSize);
  }

  public static Fit epochs(int epochs) {
    return new Fit(epochs, 32, true, 42, 0, 100, true, DEFAULT_XLA);
  }

  public Fit batchSize(int b) {
    return new Fit(epochs, b, shuffle, seed, verbose, every, fused, xla);
  }

  public Fit shuffle(boolean s) {
    return new Fit(epochs, batchSize, s, seed, verbose, every, fused, xla);
  }

  public Fit seed(long s) {
    return new Fit(epochs, batchSize, shuffle, s, verbose, every, fused, xla);
  }

  public Fit verbose(int v) {
    return new Fit(epochs, batchSize, shuffle, seed, v, every, fused, xla);
  }

  /**
   * Whether to run the whole fit as one TF while loop in one {@code Session.run} (the default), or
   * one {@code Session.run} per step (the simple fallback).
   */
  public Fit fused(boolean f) {
    return new Fit(epochs, batchSize, shuffle, seed, verbose, every, f, xla);
  }

  /**
   * Whether XLA compiles the fused loop (system property {@code activationlab.xla}, default on).
   */
  public Fit xla(boolean x) {
    return new Fit(epochs, batchSize, shuffle, seed, verbose, every, fused, x);
  }

  static final boolean DEFAULT_XLA =
      Boolean.parseBoolean(System.getProperty("activationlab.xla", "true"));

  public Fit every(int e) {
    return new Fit(epochs, batchSize, shuffle, seed, verbose, e, fused, xla);
  }
}
