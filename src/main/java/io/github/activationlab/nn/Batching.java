package io.github.activationlab.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Keras's batching, in plain Java: every epoch the sample indices in order, or a fresh
 * permutation when shuffling (Fisher-Yates from the fit's seeded generator), cut into batches of
 * {@code batch_size} with the last partial batch kept.
 *
 * <p>{@link #padded()} packs the schedule for a graph with static shapes (XLA): a {@code [steps,
 * B]} matrix of indices, B = min(batch_size, n), where the last partial batch of an epoch is
 * padded with index 0 and a {@code [steps, B]} mask of 1 (real sample) and 0 (padding).
 *
 * @param batches per epoch, the sample indices of each batch in order
 */
public record Batching(int n, int batchSize, List<List<int[]>> batches) {

  /** The schedule of {@code epochs} epochs over {@code n} samples. */
  public static Batching schedule(int n, int batchSize, int epochs, boolean shuffle, long seed) {
    check(n, batchSize);
    List<List<int[]>> all = new ArrayList<>(epochs);
    orders(n, epochs, shuffle, seed, order -> {
      List<int[]> batches = new ArrayList<>();
      for (int start = 0; start < n; start += batchSize) {
        batches.add(Arrays.copyOfRange(order, start, Math.min(n, start + batchSize)));
      }
      all.add(List.copyOf(batches));
    });
    return new Batching(n, batchSize, List.copyOf(all));
  }

  private static void check(int n, int batchSize) {
    if (n <= 0) throw new IllegalArgumentException("no training data");
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch_size must be positive, got " + batchSize);
    }
  }

  /** Each epoch's order of the samples: 0..n-1, shuffled (Fisher-Yates) when asked. */
  private static void orders(int n, int epochs, boolean shuffle, long seed,
      java.util.function.Consumer<int[]> epoch) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[] order = new int[n];
    for (int e = 0; e < epochs; e++) {
      for (int i = 0; i < n; i++) order[i] = i;
      if (shuffle) {
        for (int i = n - 1; i > 0; i--) {
          int j = rng.nextInt(i + 1);
          int tmp = order[i];
          order[i] = order[j];
          order[j] = tmp;
        }
      }
      epoch.accept(order);
    }
  }

  /**
   * Writes the padded indices of one seed's schedule (the same as {@code schedule(...).padded()})
   * into a step-major block of many seeds' schedules, {@code [steps, seeds, B]}, at seed slot
   * {@code slot}: step st's batch goes to {@code dst[(st * seeds + slot) * B ...]}. Without
   * building the lists, for sweeps of many seeds.
   */
  public static void fillStepMajor(int n, int batchSize, int epochs, boolean shuffle, long seed,
      int[] dst, int slot, int seeds) {
    check(n, batchSize);
    int b = Math.min(batchSize, n);
    int perEpoch = (n + batchSize - 1) / batchSize;
    int[] epochIndex = {0};
    orders(n, epochs, shuffle, seed, order -> {
      for (int k = 0; k < perEpoch; k++) {
        int start = k * batchSize;
        int len = Math.min(n, start + batchSize) - start;
        int st = epochIndex[0] * perEpoch + k;
        int at = (st * seeds + slot) * b;
        System.arraycopy(order, start, dst, at, len);
        Arrays.fill(dst, at + len, at + b, 0);
      }
      epochIndex[0]++;
    });
  }

  /** {@code fit}'s schedule. */
  public static Batching of(int n, Fit fit) {
    return schedule(n, fit.batchSize(), fit.epochs(), fit.shuffle(), fit.seed());
  }

  public int epochs() {
    return batches.size();
  }

  /** Batches per epoch (the same every epoch): ceil(n / batch_size). */
  public int stepsPerEpoch() {
    return (n + batchSize - 1) / batchSize;
  }

  /** Steps of the whole schedule. */
  public int steps() {
    return epochs() * stepsPerEpoch();
  }

  /** The static batch width B = min(batch_size, n). */
  public int width() {
    return Math.min(batchSize, n);
  }

  /** Whether some batch is shorter than {@link #width()} (then the padding needs a mask). */
  public boolean hasPartialBatch() {
    return n % width() != 0;
  }

  /** The schedule as static-shape arrays (row-major {@code [steps, B]}). */
  public record Padded(int steps, int width, int[] index, double[] mask) {}

  /** Packs the schedule: indices padded with 0, and the mask of the real samples. */
  public Padded padded() {
    int b = width();
    int steps = steps();
    int[] index = new int[steps * b];
    double[] mask = new double[steps * b];
    int st = 0;
    for (List<int[]> epoch : batches) {
      for (int[] batch : epoch) {
        System.arraycopy(batch, 0, index, st * b, batch.length);
        Arrays.fill(mask, st * b, st * b + batch.length, 1);
        st++;
      }
    }
    return new Padded(steps, b, index, mask);
  }
}
