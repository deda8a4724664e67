package io.github.activationlab.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Keras's batching, in plain Java: every epoch the sample indices in order, or a fresh permutation
 * when shuffling (Fisher-Yates from the fit's seeded generator), cut into batches of {@code
 * batch_size} with the last partial batch kept.
 *
 * <p>A {@code Batching} is the recipe (n, batch size, epochs, shuffle, seed); its views are derived
 * from the same generator: {@link #batches()}, the sample indices of each batch (what run.json
 * records), and {@link #padded()}, the schedule for a graph with static shapes (XLA): a {@code
 * [steps, B]} matrix of indices, B = min(batch_size, n), where the last partial batch of an epoch
 * is padded with index 0 and a {@code [steps, B]} mask of 1 (real sample) and 0 (padding); {@link
 * #fillSeedMinor} writes many seeds' padded schedules into a sweep's block, the seed axis last.
 * Plain Java, immutable, no TensorFlow: the views are recomputed from the seed on each call.
 *
 * <pre>{@code
 * Batching b = Batching.schedule(5, 2, 1, false, 0);
 * b.batches();      // [[[0, 1], [2, 3], [4]]]
 * b.padded().mask(); // [1, 1, 1, 1, 1, 0]: the last batch's padding weighs 0
 * }</pre>
 *
 * @param n the number of samples (positive)
 * @param batchSize samples per batch (positive); the last batch of an epoch may be smaller
 * @param epochs the number of epochs (positive)
 * @param shuffle whether each epoch is a fresh permutation
 * @param seed the seed of the permutations (a {@code SplittableRandom})
 */
public record Batching(int n, int batchSize, int epochs, boolean shuffle, long seed) {

  /**
   * Checks the recipe.
   *
   * @param n the number of samples
   * @param batchSize samples per batch
   * @param epochs the number of epochs
   * @param shuffle whether each epoch is a fresh permutation
   * @param seed the seed of the permutations
   * @throws IllegalArgumentException unless n, the batch size and the epochs are positive
   */
  public Batching {
    if (n <= 0) throw new IllegalArgumentException("no training data");
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch_size must be positive, got " + batchSize);
    }
    if (epochs <= 0) throw new IllegalArgumentException("epochs must be positive, got " + epochs);
  }

  /**
   * The schedule of {@code epochs} epochs over {@code n} samples.
   *
   * @param n the number of samples
   * @param batchSize samples per batch
   * @param epochs the number of epochs
   * @param shuffle whether each epoch is a fresh permutation
   * @param seed the seed of the permutations
   * @return the recipe
   * @throws IllegalArgumentException unless n, the batch size and the epochs are positive
   */
  public static Batching schedule(int n, int batchSize, int epochs, boolean shuffle, long seed) {
    return new Batching(n, batchSize, epochs, shuffle, seed);
  }

  /**
   * The schedule {@code fit} trains with.
   *
   * @param n the number of samples
   * @param fit the fit's arguments (batch size, epochs, shuffle, seed)
   * @return the recipe
   */
  public static Batching of(int n, Fit fit) {
    return new Batching(n, fit.batchSize(), fit.epochs(), fit.shuffle(), fit.seed());
  }

  /** Each epoch's order of the samples: 0..n-1, shuffled (Fisher-Yates) when asked. */
  private void orders(Consumer<int[]> epoch) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[] order = new int[n];
    for (int e = 0; e < epochs; e++) {
      order(order, rng);
      epoch.accept(order);
    }
  }

  /** The next epoch's order from the fit's generator into {@code order}. */
  private void order(int[] order, SplittableRandom rng) {
    for (int i = 0; i < n; i++) order[i] = i;
    if (shuffle) {
      for (int i = n - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
    }
  }

  /**
   * The sample indices of every batch.
   *
   * @return per epoch, the indices of each batch, in order (unmodifiable lists of new arrays)
   */
  public List<List<int[]>> batches() {
    List<List<int[]>> all = new ArrayList<>(epochs);
    orders(
        order -> {
          List<int[]> batches = new ArrayList<>();
          for (int start = 0; start < n; start += batchSize) {
            batches.add(Arrays.copyOfRange(order, start, Math.min(n, start + batchSize)));
          }
          all.add(List.copyOf(batches));
        });
    return List.copyOf(all);
  }

  /**
   * Batches per epoch, the same every epoch.
   *
   * @return ceil(n / batch_size)
   */
  public int stepsPerEpoch() {
    return (n + batchSize - 1) / batchSize;
  }

  /**
   * Steps of the whole schedule.
   *
   * @return epochs * {@link #stepsPerEpoch()}
   * @throws ArithmeticException beyond {@code Integer.MAX_VALUE}
   */
  public int steps() {
    return Math.multiplyExact(epochs, stepsPerEpoch());
  }

  /**
   * The static batch width of the padded schedule.
   *
   * @return B = min(batch_size, n)
   */
  public int width() {
    return Math.min(batchSize, n);
  }

  /**
   * Whether some batch is shorter than {@link #width()} (then the padding needs a mask).
   *
   * @return true when n is not a multiple of the width
   */
  public boolean hasPartialBatch() {
    return n % width() != 0;
  }

  /**
   * The number of real samples in a batch.
   *
   * @param k the batch's index within its epoch, from 0
   * @return the batch size, or less for the last batch
   */
  public int batchLength(int k) {
    return Math.min(n, (k + 1) * batchSize) - k * batchSize;
  }

  /**
   * The schedule as static-shape arrays, row-major {@code [steps, B]}.
   *
   * @param steps the number of steps
   * @param width B, the static batch width
   * @param index the sample index of each slot (padding: 0)
   * @param mask 1 for a real sample, 0 for padding
   */
  public record Padded(int steps, int width, int[] index, double[] mask) {}

  /**
   * Packs the schedule for a graph with static shapes.
   *
   * @return the indices padded with 0, and the mask of the real samples
   */
  public Padded padded() {
    int b = width();
    int steps = steps();
    int[] index = new int[Math.multiplyExact(steps, b)];
    fillStepMajor(index, 0, 1);
    double[] mask = new double[index.length];
    int perEpoch = stepsPerEpoch();
    for (int st = 0; st < steps; st++)
      Arrays.fill(mask, st * b, st * b + batchLength(st % perEpoch), 1);
    return new Padded(steps, b, index, mask);
  }

  /**
   * Writes the padded schedules of many seeds — this recipe with seed {@code seeds[s]} for slot s —
   * into one block with the seed axis last, {@code [steps, B, S]}: the index at batch position p of
   * step st for slot s goes to {@code dst[(st * B + p) * S + s]} (padding: index 0), the same
   * indices as {@link #padded()} gives for that seed. Written epoch by epoch across the slots, so
   * that the writes of an epoch stay within a few cache lines (for seed sweeps).
   *
   * @param dst the block, at least {@code steps() * width() * seeds.length} long
   * @param seeds each slot's seed, in slot order
   */
  public void fillSeedMinor(int[] dst, long[] seeds) {
    int b = width();
    int slots = seeds.length;
    int perEpoch = stepsPerEpoch();
    SplittableRandom[] rngs = new SplittableRandom[slots];
    for (int s = 0; s < slots; s++) rngs[s] = new SplittableRandom(seeds[s]);
    int[] order = new int[n];
    for (int e = 0; e < epochs; e++) {
      for (int s = 0; s < slots; s++) {
        order(order, rngs[s]);
        for (int k = 0; k < perEpoch; k++) {
          int len = batchLength(k);
          int at = (e * perEpoch + k) * b * slots + s;
          for (int p = 0; p < b; p++, at += slots) dst[at] = p < len ? order[k * batchSize + p] : 0;
        }
      }
    }
  }

  /**
   * Writes the padded indices of this schedule into a step-major block of many seeds' schedules,
   * {@code [steps, seeds, B]}, at seed slot {@code slot}: step st's batch goes to {@code dst[(st *
   * seeds + slot) * B ...]} (padding: index 0). For sweeps of many seeds.
   *
   * @param dst the block, at least {@code steps() * seeds * width()} long
   * @param slot this schedule's seed slot, in [0, seeds)
   * @param seeds the number of seeds in the block
   */
  public void fillStepMajor(int[] dst, int slot, int seeds) {
    int b = width();
    int perEpoch = stepsPerEpoch();
    int[] epochIndex = {0};
    orders(
        order -> {
          for (int k = 0; k < perEpoch; k++) {
            int len = batchLength(k);
            int at = ((epochIndex[0] * perEpoch + k) * seeds + slot) * b;
            System.arraycopy(order, k * batchSize, dst, at, len);
            Arrays.fill(dst, at + len, at + b, 0);
          }
          epochIndex[0]++;
        });
  }
}
