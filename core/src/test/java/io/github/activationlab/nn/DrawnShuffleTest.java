package io.github.activationlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The shuffles a loop draws are Batching's, epoch by epoch and seed by seed: the same generator
 * (SplittableRandom), the same Fisher-Yates, the same rejection of over-represented draws.
 */
class DrawnShuffleTest {
  /** Each epoch's order for each seed, drawn by the ops: [epoch][seed][position]. */
  static int[][][] drawn(long[] seeds, int n, int epochs, boolean shuffle) {
    try (Graph g = new Graph();
        Session s = new Session(g);
        TInt64 seedTensor = TInt64.tensorOf(Shape.of(seeds.length), DataBuffers.of(seeds))) {
      Ops tf = Ops.create(g);
      var generator = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(seeds.length)));
      Operand<TInt64> z = generator;
      List<Operand<TInt32>> orders = new ArrayList<>();
      for (int e = 0; e < epochs; e++) {
        var draw = DrawnShuffle.next(tf, z, n, shuffle);
        orders.add(draw.order()); // [n, S]
        z = draw.generator();
      }
      Session.Runner r = s.runner().feed(generator, seedTensor);
      orders.forEach(r::fetch);
      int[][][] out = new int[epochs][seeds.length][n];
      try (Result res = r.run()) {
        for (int e = 0; e < epochs; e++) {
          int[] flat = new int[n * seeds.length];
          ((TInt32) res.get(e)).asRawTensor().data().asInts().read(flat);
          for (int p = 0; p < n; p++) {
            for (int k = 0; k < seeds.length; k++) out[e][k][p] = flat[p * seeds.length + k];
          }
        }
      }
      return out;
    }
  }

  static void assertBatchingsOrders(long[] seeds, int n, int epochs, boolean shuffle) {
    int[][][] got = drawn(seeds, n, epochs, shuffle);
    for (int k = 0; k < seeds.length; k++) {
      var batches = Batching.schedule(n, 32, epochs, shuffle, seeds[k]).batches();
      for (int e = 0; e < epochs; e++) {
        assertArrayEquals(batches.get(e).get(0), got[e][k], "seed " + seeds[k] + " epoch " + e);
      }
    }
  }

  @ParameterizedTest(name = "{0} samples")
  @ValueSource(ints = {1, 2, 3, 4, 5, 8})
  void everyEpochOfEverySeedIsBatchingsOrder(int n) {
    long[] seeds = new long[300];
    for (int k = 0; k < seeds.length; k++) seeds[k] = k < 200 ? 42 + k : -7_000_000_000L * k;
    assertBatchingsOrders(seeds, n, 25, true);
    assertBatchingsOrders(new long[] {3, 4}, n, 3, false);
  }

  @Test
  void aRejectedDrawIsDrawnAgainAsSplittableRandomDoes() {
    // a seed whose second draw (nextInt(3), 4 samples) falls into the over-represented top:
    // SplittableRandom's state then is seed + 2 gamma, and mix32 of it is -1
    long seed = stateMixingTo(-1) - 2 * DrawnShuffle.GAMMA;
    SplittableRandom rng = new SplittableRandom(seed);
    rng.nextInt();
    int second = rng.nextInt();
    assertTrue((second >>> 1) > Integer.MAX_VALUE - 2, "nextInt(3) rejects " + second);
    long other = stateMixingTo(-2) - 2 * DrawnShuffle.GAMMA;
    assertBatchingsOrders(new long[] {seed, other, 42}, 4, 5, true);
  }

  /** A state z with SplittableRandom.mix32(z) == r: its two multiply-xorshifts inverted. */
  static long stateMixingTo(int r) {
    long z2 = ((long) r << 32) | 0x12345678L;
    long z1 = unXorShift(z2 * inverse(DrawnShuffle.MIX2), 28);
    return unXorShift(z1 * inverse(DrawnShuffle.MIX1), 33);
  }

  static long inverse(long odd) {
    return BigInteger.valueOf(odd).modInverse(BigInteger.ONE.shiftLeft(64)).longValue();
  }

  /** The x with x ^ (x >>> s) == y. */
  static long unXorShift(long y, int s) {
    long x = y;
    for (int i = 0; i < 64 / s + 1; i++) x = y ^ (x >>> s);
    return x;
  }
}
