package io.github.activationlab.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * How many seeds a {@link SeedSweep} trains per {@code Session.run}: few enough that one chunk's
 * loop state stays in a core's cache, so that the cost per seed-step does not grow with the number
 * of seeds (measured: 1000 seeds of xor-mlp fit, 8000 at once ran 2.5x slower per seed-step on a 2
 * MB L2), and few enough that a chunk stays within a memory budget, which a fed batch schedule
 * ({@code steps * B * 4} bytes per seed) dominates; as many as that allows, balanced into chunks of
 * equal size, at least one chunk per thread.
 */
public final class SweepChunks {
  private SweepChunks() {}

  /** Default memory budget of one chunk (bytes; system property activationlab.sweepChunkBytes). */
  public static final long CHUNK_BYTES = Long.getLong("activationlab.sweepChunkBytes", 256L << 20);

  /**
   * The cache a chunk's loop state should fit in (bytes; system property
   * activationlab.sweepCacheBytes): a 512 kB L2, as AMD's Zen cores have (Intel's have 1.25-2 MB).
   */
  public static final long CACHE_BYTES = Long.getLong("activationlab.sweepCacheBytes", 512L << 10);

  /** Seeds per chunk at least, whatever the cache: the vectors along the seed axis stay long. */
  static final int MIN_CACHE_SEEDS = 128;

  /**
   * Memory of one seed in a chunk, in bytes: its fed schedule (none when the loop draws it), its
   * weights, records and evaluation.
   *
   * @param spec what is trained
   * @param n training samples
   * @return bytes per seed
   */
  public static long bytesPerSeed(SeedSweep.Spec spec, int n) {
    Batching recipe = recipe(spec, n);
    long schedule = FusedFit.Batches.of(recipe) == FusedFit.Batches.FED ? recipe.steps() : 0;
    long params = spec.arch().countParams();
    return schedule * recipe.width() * 4
        + (params * 4 + units(spec) * n * 2 + recipe.stepsPerEpoch() * 2) * scalar(spec)
        + 8;
  }

  /**
   * Bytes of one seed that a training step touches: its weights and moments before and after the
   * step (XLA's buffers for the loop state and its next value) and the batch's activations and
   * gradients. (For xor-mlp, 408 bytes: XLA's buffer assignment of a 1000-seed chunk holds 408 kB.)
   *
   * @param spec what is trained
   * @param n training samples
   * @return bytes per seed
   */
  static long hotBytesPerSeed(SeedSweep.Spec spec, int n) {
    Batching recipe = recipe(spec, n);
    return (6 * spec.arch().countParams() + 4L * recipe.width() * units(spec)) * scalar(spec);
  }

  /**
   * The seeds per chunk for {@code seeds} seeds: within the cache ({@link #CACHE_BYTES}) and within
   * {@code budget} bytes, at most {@code seeds / threads} so that each thread has a chunk, balanced
   * so that the chunks are of equal size (the last is padded with extra seeds, whose results are
   * dropped).
   *
   * @param spec what is trained
   * @param n training samples
   * @param seeds seeds in all
   * @param budget memory of one chunk, in bytes
   * @param threads chunks trained side by side
   * @return seeds per chunk
   * @throws IllegalArgumentException if one seed alone exceeds the budget
   */
  public static int chunkSize(SeedSweep.Spec spec, int n, int seeds, long budget, int threads) {
    long per = bytesPerSeed(spec, n);
    if (per > budget) {
      throw new IllegalArgumentException(
          String.format(
              "one seed needs %.1f MB (its batch schedule"
                  + " of %d epochs), more than the %.0f MB a chunk may use",
              per / 1e6, spec.epochs(), budget / 1e6));
    }
    long cached = Math.max(MIN_CACHE_SEEDS, CACHE_BYTES / hotBytesPerSeed(spec, n));
    long perThread = (seeds + Math.max(1, threads) - 1) / Math.max(1, threads);
    long most = Math.max(1, Math.min(Math.min(perThread, cached), budget / per));
    long chunks = (seeds + most - 1) / most;
    return (int) ((seeds + chunks - 1) / chunks);
  }

  /**
   * Runs chunks {@code 0 .. chunks - 1} on {@code threads} threads at most (the caller's alone when
   * 1) and returns their results in chunk order; {@code done} hears the results so far after each
   * chunk, in order.
   */
  static <T> List<T> inOrder(
      int chunks, int threads, IntFunction<List<T>> chunk, int expected, IntConsumer done) {
    List<T> out = new ArrayList<>(expected);
    if (threads <= 1 || chunks == 1) {
      for (int c = 0; c < chunks; c++) {
        out.addAll(chunk.apply(c));
        done.accept(out.size());
      }
      return out;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(threads, chunks),
            r -> {
              Thread th = new Thread(r, "seed-sweep-chunk");
              th.setDaemon(true);
              return th;
            });
    try {
      List<Future<List<T>>> futures = new ArrayList<>();
      for (int c = 0; c < chunks; c++) {
        int i = c;
        futures.add(pool.submit(() -> chunk.apply(i)));
      }
      for (Future<List<T>> f : futures) {
        out.addAll(f.get());
        done.accept(out.size());
      }
      return out;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Batching recipe(SeedSweep.Spec spec, int n) {
    return Batching.schedule(n, spec.batchSize(), spec.epochs(), spec.shuffle(), 0);
  }

  private static long units(SeedSweep.Spec spec) {
    long units = 0;
    int d = spec.arch().inputDim();
    for (Layer l : spec.arch().layers()) {
      d = l.units(d);
      units += d;
    }
    return units;
  }

  private static long scalar(SeedSweep.Spec spec) {
    return spec.dtype().getSimpleName().equals("TFloat64") ? 8 : 4;
  }
}
