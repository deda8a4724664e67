package io.github.activationlab.savedmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.activationlab.nn.Sequential;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One model, many threads: a {@link Predictor} (SavedModel) and a {@link Sequential} (a .keras
 * file) give every thread what one thread gets, and {@code close()} during predictions waits for
 * them — then every prediction fails cleanly with {@code IllegalStateException("closed")}, never a
 * native crash.
 */
class ConcurrentPredictTest {
  static final Path SAVED_MODEL = Path.of("src/test/resources/keras-xor-mlp");
  static final Path KERAS = Path.of("src/test/resources/keras-files/xor_mlp.keras");
  static final int THREADS = 8;

  /** Batches of 1..64 random rows of two values. */
  static List<double[][]> batches(int n, long seed) {
    Random r = new Random(seed);
    List<double[][]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[][] b = new double[1 + r.nextInt(64)][2];
      for (double[] row : b) {
        row[0] = r.nextDouble() * 4 - 2;
        row[1] = r.nextDouble() * 4 - 2;
      }
      out.add(b);
    }
    return out;
  }

  /** 8 threads, each predicting all batches in its own order, against one thread's results. */
  static void sameAsOneThread(Function<double[][], double[][]> predict) throws Exception {
    List<double[][]> batches = batches(300, 1);
    List<double[][]> expected = new ArrayList<>();
    for (double[][] b : batches) expected.add(predict.apply(b));
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int offset = t * 37;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  int n = 0;
                  for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < batches.size(); i++) {
                      int k = (i + offset) % batches.size();
                      double[][] got = predict.apply(batches.get(k));
                      for (int j = 0; j < got.length; j++) {
                        assertArrayEquals(
                            expected.get(k)[j], got[j], 0.0, "batch " + k + " row " + j);
                      }
                      n++;
                    }
                  }
                  return n;
                }));
      }
      for (Future<Integer> f : done) assertEquals(900, f.get(120, TimeUnit.SECONDS));
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Threads predict big batches in a loop; close() comes in the middle. Every prediction either
   * completes with the right result (close waited for it) or throws IllegalStateException
   * ("closed"); none crashes or returns garbage; afterwards predict says "closed".
   */
  static void closeDuringPredictions(Function<double[][], double[][]> predict, Runnable close)
      throws Exception {
    double[][] big = new double[20_000][];
    for (int i = 0; i < big.length; i++)
      big[i] = new double[] {(i % 100) / 50.0 - 1, (i % 37) / 18.0 - 1};
    double[][] expected = predict.apply(big);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> ends = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        ends.add(
            pool.submit(
                () -> {
                  while (true) {
                    running.incrementAndGet();
                    try {
                      double[][] got = predict.apply(big);
                      assertArrayEquals(expected[big.length - 1], got[big.length - 1], 0.0);
                      completed.incrementAndGet();
                    } catch (IllegalStateException e) {
                      return e.getMessage();
                    } finally {
                      running.decrementAndGet();
                    }
                  }
                }));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (completed.get() < 8 && System.nanoTime() < deadline) Thread.sleep(5);
      close.run(); // with predictions under way
      for (Future<String> f : ends) assertEquals("closed", f.get(60, TimeUnit.SECONDS));
      assertEquals(0, running.get());
      assertTrue(completed.get() >= 8, "predictions ran before close: " + completed.get());
      var e = assertThrows(IllegalStateException.class, () -> predict.apply(big));
      assertEquals("closed", e.getMessage());
      close.run(); // closing twice is harmless
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @Timeout(300)
  void onePredictorServesEightThreadsAsOne() throws Exception {
    try (Predictor p = Predictor.load(SAVED_MODEL)) {
      sameAsOneThread(p::predict);
    }
  }

  @Test
  @Timeout(300)
  void oneKerasModelServesEightThreadsAsOne() throws Exception {
    try (Sequential m = Sequential.load(KERAS)) {
      sameAsOneThread(m::predict);
    }
  }

  @Test
  @Timeout(300)
  void closingAPredictorWhilePredictingWaitsThenFailsCleanly() throws Exception {
    Predictor p = Predictor.load(SAVED_MODEL);
    closeDuringPredictions(p::predict, p::close);
  }

  @Test
  @Timeout(300)
  void closingAKerasModelWhilePredictingWaitsThenFailsCleanly() throws Exception {
    Sequential m = Sequential.load(KERAS);
    closeDuringPredictions(m::predict, m::close);
  }
}
