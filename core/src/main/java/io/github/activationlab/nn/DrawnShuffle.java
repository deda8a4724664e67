package io.github.activationlab.nn;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * {@link Batching}'s shuffle drawn inside the training loop, for a few samples in one batch per
 * epoch (the gates: 4 samples, batch 32): the same generator — {@link java.util.SplittableRandom}
 * seeded with the fit's seed, its state advanced by its golden gamma and mixed by its {@code
 * mix32}, its bounded {@code nextInt} with the rejection of over-represented values — and the same
 * Fisher-Yates, written as int64/int32 ops, so each epoch's order is the one Batching gives (tested
 * against it). A fed schedule costs a seed sweep more than its training: writing and copying {@code
 * [steps, B, S]} indices from Java; drawn here, it is a few vectorised integer ops per seed-epoch.
 *
 * <p>The generator is one int64 per seed ({@code []} for a fit, {@code [S]} for a sweep): the
 * {@code seed} field of that seed's SplittableRandom.
 */
final class DrawnShuffle {
  private DrawnShuffle() {}

  /** SplittableRandom's GOLDEN_GAMMA, the step of its state. */
  static final long GAMMA = 0x9e3779b97f4a7c15L;

  /** SplittableRandom.mix32's multipliers. */
  static final long MIX1 = 0x62a9d9ed799705f5L;

  static final long MIX2 = 0xcb24d0a5c88c35b3L;

  /** Whether the loop draws the shuffles of {@code recipe} itself (else they are fed). */
  static boolean applies(Batching recipe) {
    return recipe.stepsPerEpoch() == 1 && recipe.n() <= TrainStep.SELECT_ROWS;
  }

  /** An epoch's order of the samples ({@code [n]} or {@code [n, S]}) and the generator after it. */
  record Draw(Operand<TInt32> order, Operand<TInt64> generator) {}

  /** The next epoch's order: 0..n-1, shuffled by Fisher-Yates from the generator when asked. */
  static Draw next(Ops tf, Operand<TInt64> generator, int n, boolean shuffle) {
    List<Operand<TInt32>> order = new ArrayList<>();
    var zeros = tf.zerosLike(tf.dtypes.cast(generator, TInt32.class));
    for (int i = 0; i < n; i++) order.add(tf.math.add(zeros, tf.constant(i)));
    Operand<TInt64> z = generator;
    if (shuffle) {
      for (int i = n - 1; i > 0; i--) {
        Bounded draw = nextInt(tf, z, i + 1);
        z = draw.generator();
        var j = draw.value();
        var atI = order.get(i);
        Operand<TInt32> atJ = order.get(0);
        for (int p = 1; p <= i; p++) atJ = tf.select(equal(tf, j, p), order.get(p), atJ);
        for (int p = 0; p < i; p++) order.set(p, tf.select(equal(tf, j, p), atI, order.get(p)));
        order.set(i, atJ);
      }
    }
    return new Draw(tf.stack(order), z);
  }

  private static Operand<TBool> equal(Ops tf, Operand<TInt32> a, int b) {
    return tf.math.equal(a, tf.constant(b));
  }

  private record Bounded(Operand<TInt32> value, Operand<TInt64> generator) {}

  /**
   * {@code nextInt(bound)}: a power of two masks one draw; otherwise the draw's upper 31 bits
   * modulo the bound, drawn again while they fall into the over-represented top of the range (a
   * loop that runs while any seed needs it: with probability below 2^-30 per draw).
   */
  private static Bounded nextInt(Ops tf, Operand<TInt64> z, int bound) {
    var next = tf.math.add(z, tf.constant(GAMMA));
    var r = mix32(tf, next);
    int m = bound - 1;
    if ((bound & m) == 0) return new Bounded(tf.bitwise.bitwiseAnd(r, tf.constant(m)), next);
    var u = tf.bitwise.bitwiseAnd(tf.bitwise.rightShift(r, tf.constant(1)), tf.constant(~0 >>> 1));
    var j = tf.math.floorMod(u, tf.constant(bound));
    var reject = overRepresented(tf, u, j, m);
    List<Operand<?>> state = List.of(next, u, reject);
    var retry =
        tf.whileOp(state, retryCondition(state), retryBody(state, bound)).output(); // rarely runs
    @SuppressWarnings("unchecked")
    Operand<TInt32> finalU = (Operand<TInt32>) retry.get(1);
    @SuppressWarnings("unchecked")
    Operand<TInt64> finalZ = (Operand<TInt64>) retry.get(0);
    return new Bounded(tf.math.floorMod(finalU, tf.constant(bound)), finalZ);
  }

  /** Java's {@code u + m - (u % bound) < 0} (an int overflow) without the overflow. */
  private static Operand<TBool> overRepresented(
      Ops tf, Operand<TInt32> u, Operand<TInt32> j, int m) {
    return tf.math.greater(tf.math.sub(u, j), tf.constant(Integer.MAX_VALUE - m));
  }

  private static ConcreteFunction retryCondition(List<Operand<?>> like) {
    return ConcreteFunction.create(
        c -> {
          var in = placeholders(c, like);
          @SuppressWarnings("unchecked")
          Operand<TBool> reject = (Operand<TBool>) in.get(2);
          var any = c.reduceAny(reject, c.range(c.constant(0), c.rank(reject), c.constant(1)));
          return named(Signature.builder("drawn_shuffle_retry_cond"), in)
              .output("out", any)
              .build();
        });
  }

  /** One more draw for the seeds whose last one was rejected; the others keep theirs. */
  @SuppressWarnings("unchecked")
  private static ConcreteFunction retryBody(List<Operand<?>> like, int bound) {
    return ConcreteFunction.create(
        b -> {
          var in = placeholders(b, like);
          var z = (Operand<TInt64>) in.get(0);
          var u = (Operand<TInt32>) in.get(1);
          var reject = (Operand<TBool>) in.get(2);
          var z2 = b.select(reject, b.math.add(z, b.constant(GAMMA)), z);
          var r = mix32(b, z2);
          var u2 =
              b.select(
                  reject,
                  b.bitwise.bitwiseAnd(
                      b.bitwise.rightShift(r, b.constant(1)), b.constant(~0 >>> 1)),
                  u);
          var j = b.math.floorMod(u2, b.constant(bound));
          var still = b.math.logicalAnd(reject, overRepresented(b, u2, j, bound - 1));
          return named(Signature.builder("drawn_shuffle_retry_body"), in)
              .output("o0", z2)
              .output("o1", u2)
              .output("o2", still)
              .build();
        });
  }

  /** SplittableRandom.mix32: {@code (int) (mix(z) >>> 32)} with its two multiply-xorshifts. */
  private static Operand<TInt32> mix32(Ops tf, Operand<TInt64> z) {
    var z1 = tf.math.mul(tf.bitwise.bitwiseXor(z, unsignedShift(tf, z, 33)), tf.constant(MIX1));
    var z2 = tf.math.mul(tf.bitwise.bitwiseXor(z1, unsignedShift(tf, z1, 28)), tf.constant(MIX2));
    // (int) (z2 >>> 32): the low 32 bits of the shifted value, whichever shift
    return tf.dtypes.cast(tf.bitwise.rightShift(z2, tf.constant(32L)), TInt32.class);
  }

  /** Java's {@code z >>> s} on int64: the arithmetic shift with the sign bits masked off. */
  private static Operand<TInt64> unsignedShift(Ops tf, Operand<TInt64> z, int s) {
    return tf.bitwise.bitwiseAnd(
        tf.bitwise.rightShift(z, tf.constant((long) s)), tf.constant(-1L >>> s));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Operand<?>> placeholders(Ops tf, List<Operand<?>> like) {
    List<Operand<?>> in = new ArrayList<>();
    for (int j = 0; j < like.size(); j++) {
      Operand<? extends TType> v = (Operand) like.get(j);
      Shape s = v.shape();
      in.add(tf.withName("i" + j).placeholder((Class) v.type(), Placeholder.shape(s)));
    }
    return in;
  }

  private static Signature.Builder named(Signature.Builder b, List<Operand<?>> in) {
    for (int j = 0; j < in.size(); j++) b.input("i" + j, in.get(j));
    return b;
  }
}
