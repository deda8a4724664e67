package io.github.activationlab.nn;

import io.github.activationlab.internal.tf.Arrays2;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * A sweep chunk's batches as {@link SeedSweep}'s loop takes them ({@link FusedFit.Batches}): either
 * fed, every slot's padded shuffles in one {@code [steps, B, S]} table (seed axis last, {@link
 * Batching#fillSeedMinor}) with the shared {@code [steps, B]} mask; or drawn by the loop itself,
 * from each slot's seed (where its generator starts), the table and mask then stand-ins. {@link
 * #index}, {@link #mask} and {@link #generators} go into the loop's {@link FusedFit.State}; {@link
 * #feed} gives them one chunk's values.
 */
final class SweepSchedule {
  private final Batching recipe;
  private final Class<? extends TFloating> dtype;
  private final int seeds;
  private final boolean fed;
  private final Shape table; // [steps, B, S]
  private final Placeholder<TInt32> indexIn;
  private final Placeholder<TFloating> maskIn;
  private final Placeholder<TInt64> generatorsIn;

  final Operand<TInt32> index;
  final Operand<TFloating> mask;
  final Operand<TInt64> generators;

  SweepSchedule(Ops tf, Batching recipe, int seeds, Class<TFloating> t) {
    this.recipe = recipe;
    this.dtype = t;
    this.seeds = seeds;
    fed = FusedFit.Batches.of(recipe) == FusedFit.Batches.FED;
    table = Shape.of(recipe.steps(), recipe.width(), seeds);
    if (fed) {
      index = indexIn = tf.placeholder(TInt32.class, Placeholder.shape(table));
      mask = maskIn = tf.placeholder(t, Placeholder.shape(table.take(2)));
      generators = tf.constant(0L);
      generatorsIn = null;
    } else {
      indexIn = null;
      maskIn = null;
      index = tf.zeros(tf.constant(new long[] {1, recipe.width(), seeds}), TInt32.class);
      mask = tf.zeros(tf.constant(new long[] {1, recipe.width()}), t);
      generators = generatorsIn = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(seeds)));
    }
  }

  /** Feeds the schedule of a chunk whose slot s trains seed {@code slots[s]}; adds what it made. */
  void feed(Session.Runner r, long[] slots, List<Tensor> made) {
    if (!fed) {
      r.feed(generatorsIn, add(made, TInt64.tensorOf(Shape.of(seeds), DataBuffers.of(slots))));
      return;
    }
    int[] indices = new int[(int) table.size()];
    recipe.fillSeedMinor(indices, slots);
    r.feed(maskIn, add(made, Arrays2.tensor(dtype, table.take(2), recipe.padded().mask())));
    r.feed(indexIn, add(made, TInt32.tensorOf(table, DataBuffers.of(indices, true, false))));
  }

  static Tensor add(List<Tensor> made, Tensor t) {
    made.add(t);
    return t;
  }
}
