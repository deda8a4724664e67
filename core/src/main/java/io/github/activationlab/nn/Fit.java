package io.github.activationlab.nn;

/**
 * {@code fit}'s arguments, with Keras's defaults: batch_size 32, shuffle on; the seed drives the
 * shuffles (default 42).
 *
 * <pre>{@code
 * History h = model.fit(x, y, Fit.epochs(1000).batchSize(4).seed(7).verbose(2).every(100));
 * }</pre>
 *
 * @param epochs the number of passes over the data (positive)
 * @param batchSize samples per step (positive); the last batch of an epoch may be smaller
 * @param shuffle whether each epoch visits the samples in a fresh order drawn from {@code seed}
 * @param seed the seed of the shuffles
 * @param verbose 0 silent; 1 or 2 Keras's line ({@code Epoch e/N - loss: ... - accuracy: ...}) on
 *     standard output every {@code every} epochs
 * @param every how often a verbose fit prints its line, in epochs
 * @param fused whether the whole fit runs as one TensorFlow while loop in one {@code Session.run}
 *     (the default) or one {@code Session.run} per step (the simple fallback)
 * @param xla whether XLA compiles the fused loop (system property {@code activationlab.xla},
 *     default on)
 * @param callback called after each epoch (null: none)
 */
public record Fit(
    int epochs,
    int batchSize,
    boolean shuffle,
    long seed,
    int verbose,
    int every,
    boolean fused,
    boolean xla,
    FitCallback callback) {
  /**
   * Checks the arguments; prefer {@link #epochs(int)} and the methods that return a changed copy.
   *
   * @param epochs the number of passes over the data
   * @param batchSize samples per step
   * @param shuffle whether each epoch visits the samples in a fresh order
   * @param seed the seed of the shuffles
   * @param verbose 0, 1 or 2
   * @param every how often a verbose fit prints its line, in epochs
   * @param fused whether the whole fit runs as one TensorFlow while loop
   * @param xla whether XLA compiles the fused loop
   * @param callback called after each epoch (null: none)
   * @throws IllegalArgumentException unless epochs, batch size and {@code every} are positive and
   *     verbose is 0, 1 or 2
   */
  public Fit {
    if (epochs <= 0) throw new IllegalArgumentException("epochs must be positive, got " + epochs);
    if (batchSize <= 0)
      throw new IllegalArgumentException("batch_size must be positive, got " + batchSize);
    if (every <= 0) throw new IllegalArgumentException("every must be positive, got " + every);
    if (verbose < 0 || verbose > 2)
      throw new IllegalArgumentException("verbose must be 0, 1 or 2, got " + verbose);
  }

  /**
   * {@code epochs} epochs with Keras's defaults: batch size 32, shuffled with seed 42, silent,
   * fused and XLA-compiled.
   *
   * @param epochs the number of epochs (positive)
   * @return the arguments
   */
  public static Fit epochs(int epochs) {
    return new Fit(epochs, 32, true, 42, 0, 100, true, DEFAULT_XLA, null);
  }

  /**
   * @param b samples per step
   * @return these arguments with batch size {@code b}
   */
  public Fit batchSize(int b) {
    return new Fit(epochs, b, shuffle, seed, verbose, every, fused, xla, callback);
  }

  /**
   * @param s whether to shuffle each epoch
   * @return these arguments with shuffling on or off
   */
  public Fit shuffle(boolean s) {
    return new Fit(epochs, batchSize, s, seed, verbose, every, fused, xla, callback);
  }

  /**
   * @param s the seed of the shuffles
   * @return these arguments with that seed
   */
  public Fit seed(long s) {
    return new Fit(epochs, batchSize, shuffle, s, verbose, every, fused, xla, callback);
  }

  /**
   * @param v 0 silent; 1 or 2 a line every {@link #every} epochs
   * @return these arguments with that verbosity
   */
  public Fit verbose(int v) {
    return new Fit(epochs, batchSize, shuffle, seed, v, every, fused, xla, callback);
  }

  /**
   * @param e how often a verbose fit prints its line, in epochs
   * @return these arguments with that period
   */
  public Fit every(int e) {
    return new Fit(epochs, batchSize, shuffle, seed, verbose, e, fused, xla, callback);
  }

  /**
   * Whether to run the whole fit as one TF while loop in one {@code Session.run} (the default), or
   * one {@code Session.run} per step (the simple fallback; the same loop op, so without XLA the two
   * give the same bits).
   *
   * @param f true for the fused loop
   * @return these arguments with that choice
   */
  public Fit fused(boolean f) {
    return new Fit(epochs, batchSize, shuffle, seed, verbose, every, f, xla, callback);
  }

  /**
   * Whether XLA compiles the fused loop (system property {@code activationlab.xla}, default on).
   *
   * @param x true for XLA
   * @return these arguments with that choice
   */
  public Fit xla(boolean x) {
    return new Fit(epochs, batchSize, shuffle, seed, verbose, every, fused, x, callback);
  }

  /**
   * @param c called after each epoch, in order (null: none)
   * @return these arguments with that callback
   */
  public Fit callback(FitCallback c) {
    return new Fit(epochs, batchSize, shuffle, seed, verbose, every, fused, xla, c);
  }

  static final boolean DEFAULT_XLA =
      Boolean.parseBoolean(System.getProperty("activationlab.xla", "true"));
}
