package io.github.activationlab.nn;

import io.github.activationlab.internal.tf.Arrays2;
import io.github.activationlab.tf.FloatOps;
import io.github.activationlab.tf.NativeRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * Many seeds of one model trained in ONE op: {@code fit}'s own loop ({@link FusedFit#loop} over
 * {@link TrainStep}) on its state with a trailing seed axis, so each seed has its own batches (its
 * own shuffles), weights and optimizer state. Seed s starts from the weights {@code compile(...,
 * s)} draws and shuffles as {@code fit} with {@code Fit.seed(s)} does, so it ends where that fit
 * ends (up to the rounding of per-seed multiply-adds vs a matmul; tested). What is left here: the
 * chunks ({@link SweepChunks}), the stacked initial weights, and the evaluation ({@link
 * SweepEvaluation}).
 *
 * <p>Any contiguous range of seeds runs ({@link #run}), its outcomes in seed order, in chunks of
 * {@link #seedsPerChunk} seeds, each one {@code Session.run} of the same compiled loop; chunks run
 * side by side on as many threads as asked.
 */
public final class SeedSweep implements AutoCloseable {
  /**
   * What to train: the architecture, dtype, loss, optimizer and {@code fit}'s schedule.
   *
   * @param arch the model: a Sequential stack of Dense, PReLU and element-wise activation layers
   *     without regularizers (anything else is refused when the sweep is built)
   * @param dtype float32 or float64
   * @param loss the loss: mse, mae, huber or binary_crossentropy
   * @param optimizer the optimizer, any of the four
   * @param epochs epochs of each seed
   * @param batchSize Keras's batch_size
   * @param shuffle whether each epoch is shuffled
   * @param xla whether XLA compiles the loop
   */
  public record Spec(
      Architecture arch,
      Class<? extends TFloating> dtype,
      Loss loss,
      Optimizer optimizer,
      int epochs,
      int batchSize,
      boolean shuffle,
      boolean xla) {}

  /**
   * One seed's result.
   *
   * @param seed the seed
   * @param loss the last epoch's loss as Keras's History reports it (batch losses, each before its
   *     step's update, averaged with the batch sizes as weights)
   * @param evalLoss the final weights' loss on the whole training set
   * @param maxAbsError the largest error of the final outputs against the truth
   * @param mseVsTruth their mean squared error against the truth
   * @param outputRange max - min of the outputs over the training inputs
   * @param collapsed whether the output is constant over the training inputs ({@code max - min <=
   *     1e-6 max(1, |mean|)})
   * @param deadUnits per hidden layer, the units whose output is constant over the training inputs
   * @param weights the final weights, all of them flat in Keras's order
   */
  public record Outcome(
      long seed,
      double loss,
      double evalLoss,
      double maxAbsError,
      double mseVsTruth,
      double outputRange,
      boolean collapsed,
      int[] deadUnits,
      double[] weights) {}

  /**
   * Each {@code Session.run} on its caller's thread (a negative inter-op count): chunks run side by
   * side on the threads that call, with no hand-off to a pool (one inter-op thread, as a fit's
   * session has, would run them one after the other).
   */
  private static final ConfigProto SESSION_CONFIG =
      ConfigProto.newBuilder()
          .setInterOpParallelismThreads(-1)
          .setIntraOpParallelismThreads(1)
          .build();

  private final Spec spec;
  private final int n;
  private final int seedsPerChunk;
  private final Batching recipe;
  private final FusedFit.Batches batches;
  private final List<long[]> shapes;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloating> x;
  private final Placeholder<TFloating> y;
  private final Placeholder<TFloating> truth;

  /** A fed schedule {@code [steps, B, S]} and its mask (null when the loop draws the batches). */
  private final Placeholder<TInt32> index;

  private final Placeholder<TFloating> mask;

  /** Each slot's seed: where its generator starts (null when the schedule is fed). */
  private final Placeholder<TInt64> generators;

  private final List<Placeholder<TFloating>> initial = new ArrayList<>();
  private final SweepEvaluation evaluation;

  /**
   * Builds the loop and its evaluation for chunks of {@code seedsPerChunk} seeds on n samples.
   *
   * @param spec what to train
   * @param n training samples
   * @param seedsPerChunk seeds per {@code Session.run} ({@link SweepChunks#chunkSize})
   * @throws IllegalArgumentException (one line, naming it) for a layer, activation, regularizer or
   *     loss a sweep cannot train ({@link Spec}), before TensorFlow is touched
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public SeedSweep(Spec spec, int n, int seedsPerChunk) {
    SweepSupport.check(spec.arch(), spec.loss());
    this.spec = spec;
    this.n = n;
    this.seedsPerChunk = seedsPerChunk;
    Architecture arch = spec.arch();
    Class<TFloating> t = (Class) spec.dtype();
    recipe = Batching.schedule(n, spec.batchSize(), spec.epochs(), spec.shuffle(), 0);
    batches = FusedFit.Batches.of(recipe);
    boolean fed = batches == FusedFit.Batches.FED;
    int b = recipe.width();
    int seeds = seedsPerChunk;
    shapes = arch.shapes();
    NativeRuntime.load();
    graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      x = tf.placeholder(t, Placeholder.shape(Shape.of(n, arch.inputDim())));
      y = tf.placeholder(t, Placeholder.shape(Shape.of(n, arch.outputDim())));
      truth = tf.placeholder(t, Placeholder.shape(Shape.of(n, arch.outputDim())));
      int rows = fed ? recipe.steps() : 1; // a drawn schedule needs no table: a stand-in
      index =
          fed ? tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(rows, b, seeds))) : null;
      mask = fed ? tf.placeholder(t, Placeholder.shape(Shape.of(rows, b))) : null;
      generators = fed ? null : tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(seeds)));
      int slotCount = Optimizers.rule(spec.optimizer()).slotNames().size();
      List<List<Operand<TFloating>>> slots = new ArrayList<>(); // every weight is trainable here
      for (long[] s : shapes) {
        initial.add(tf.placeholder(t, Placeholder.shape(SeedAxis.shape(s, seeds))));
        var zeros = tf.zeros(tf.constant(SeedAxis.shape(s, seeds).asArray()), t);
        slots.add(new ArrayList<>(java.util.Collections.nCopies(slotCount, zeros)));
      }
      var records = tf.constant(new long[] {recipe.stepsPerEpoch(), seeds}); // the last epoch's
      FusedFit.State init =
          new FusedFit.State(
              x,
              y,
              fed ? index : tf.zeros(tf.constant(new long[] {rows, b, seeds}), TInt32.class),
              fed ? mask : tf.zeros(tf.constant(new long[] {rows, b}), t),
              fed ? tf.constant(0L) : generators,
              tf.constant(0L), // no random layer: the fit's seed unused
              tf.constant(0L),
              tf.zeros(records, t),
              tf.zeros(records, t),
              List.of(),
              (List) initial,
              slots);
      var model = new TrainStep.Compiled(arch, spec.loss(), spec.optimizer(), List.of());
      var setup =
          new FusedFit.Setup(model, recipe.steps(), recipe.hasPartialBatch(), batches, spec.xla());
      FusedFit.State done = FusedFit.loop(graph, tf, setup, init, init.lossesAndWeights());
      FloatOps f = new FloatOps(tf, t);
      evaluation =
          SweepEvaluation.of(f, arch, spec.loss(), x, y, truth, done.weights(), done.losses());
      session = new Session(graph, SESSION_CONFIG);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /**
   * Trains seeds {@code firstSeed .. firstSeed + count - 1} in chunks, {@code threads} chunks side
   * by side.
   *
   * @param xs the training inputs, n rows
   * @param ys the targets
   * @param truths what the outputs are compared with (the noiseless targets of a fit, or ys)
   * @param firstSeed the first seed
   * @param count seeds in all
   * @param threads chunks trained at a time
   * @param done hears how many seeds are finished, after each chunk in order
   * @return the outcomes, in seed order
   */
  public List<Outcome> run(
      double[][] xs,
      double[][] ys,
      double[][] truths,
      long firstSeed,
      int count,
      int threads,
      IntConsumer done) {
    int chunks = (count + seedsPerChunk - 1) / seedsPerChunk;
    return SweepChunks.inOrder(
        chunks, threads, c -> chunk(xs, ys, truths, firstSeed, count, c), count, done);
  }

  /** Chunk c of the range: its seeds' slots (the last chunk padded by repeating its last seed). */
  private List<Outcome> chunk(
      double[][] xs, double[][] ys, double[][] truths, long firstSeed, int count, int c) {
    int seeds = seedsPerChunk;
    long first = firstSeed + (long) c * seeds;
    int real = (int) Math.min(seeds, count - (long) c * seeds);
    long[] slots = new long[seeds];
    for (int s = 0; s < seeds; s++) slots[s] = first + Math.min(s, real - 1);
    boolean fed = batches == FusedFit.Batches.FED;
    int[] schedule = new int[fed ? recipe.steps() * recipe.width() * seeds : 0];
    if (fed) recipe.fillSeedMinor(schedule, slots);
    double[] maskRows = fed ? recipe.padded().mask() : new double[0];
    List<Tensor> feeds = new ArrayList<>();
    try {
      Class<? extends TFloating> t = spec.dtype();
      Architecture arch = spec.arch();
      Session.Runner r = session.runner();
      r.feed(x, add(feeds, Arrays2.tensor(t, xs)));
      r.feed(y, add(feeds, Arrays2.tensor(t, ys)));
      r.feed(truth, add(feeds, Arrays2.tensor(t, truths)));
      if (fed) {
        Shape steps = Shape.of(recipe.steps(), recipe.width());
        r.feed(mask, add(feeds, Arrays2.tensor(t, steps, maskRows)));
        Shape shape = Shape.of(recipe.steps(), recipe.width(), seeds);
        r.feed(index, add(feeds, TInt32.tensorOf(shape, DataBuffers.of(schedule, true, false))));
      } else {
        r.feed(generators, add(feeds, TInt64.tensorOf(Shape.of(seeds), DataBuffers.of(slots))));
      }
      List<double[]> init = SeedAxis.stack(arch, shapes, slots);
      for (int j = 0; j < shapes.size(); j++) {
        var w = Arrays2.tensor(t, SeedAxis.shape(shapes.get(j), seeds), init.get(j));
        r.feed(initial.get(j), add(feeds, w));
      }
      evaluation.fetch(r);
      try (Result res = r.run()) {
        return evaluation.outcomes(res, recipe, first, seeds, real);
      }
    } finally {
      feeds.forEach(Tensor::close);
    }
  }

  private static Tensor add(List<Tensor> feeds, Tensor t) {
    feeds.add(t);
    return t;
  }

  /**
   * @return seeds per {@code Session.run}
   */
  public int seedsPerChunk() {
    return seedsPerChunk;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
