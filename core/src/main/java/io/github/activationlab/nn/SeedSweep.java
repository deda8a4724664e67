package io.github.activationlab.nn;

import static io.github.activationlab.nn.SweepSchedule.add;

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
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.family.TFloating;

/**
 * Many seeds of one model trained in ONE op: {@code fit}'s own loop ({@link FusedFit#loop} over
 * {@link TrainStep}) on its state with a trailing seed axis, so each seed has its own batches (its
 * own shuffles), weights and optimizer state. Seed s starts from the weights {@code compile(...,
 * s)} draws and shuffles as {@code fit} with {@code Fit.seed(s)} does, so it ends where that fit
 * ends (up to the rounding of per-seed multiply-adds vs a matmul; tested). What is left here: the
 * chunks ({@link SweepChunks}), their batches ({@link SweepSchedule}), the stacked initial weights,
 * and the evaluation ({@link SweepEvaluation}).
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
  private final SweepSchedule schedule;
  private final List<long[]> shapes;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloating> x;
  private final Placeholder<TFloating> y;
  private final Placeholder<TFloating> truth;
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
    int seeds = seedsPerChunk;
    shapes = arch.shapes();
    NativeRuntime.load();
    graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      x = tf.placeholder(t, Placeholder.shape(Shape.of(n, arch.inputDim())));
      y = tf.placeholder(t, Placeholder.shape(Shape.of(n, arch.outputDim())));
      truth = tf.placeholder(t, Placeholder.shape(Shape.of(n, arch.outputDim())));
      schedule = new SweepSchedule(tf, recipe, seeds, t);
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
              schedule.index,
              schedule.mask,
              schedule.generators,
              tf.constant(0L), // no random layer: the fit's seed unused
              tf.constant(0L),
              tf.zeros(records, t),
              tf.zeros(records, t),
              List.of(),
              (List) initial,
              slots);
      var model = new TrainStep.Compiled(arch, spec.loss(), spec.optimizer(), List.of());
      var batches = FusedFit.Batches.of(recipe);
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
    List<Tensor> feeds = new ArrayList<>();
    try {
      Class<? extends TFloating> t = spec.dtype();
      Architecture arch = spec.arch();
      Session.Runner r = session.runner();
      r.feed(x, add(feeds, Arrays2.tensor(t, xs)));
      r.feed(y, add(feeds, Arrays2.tensor(t, ys)));
      r.feed(truth, add(feeds, Arrays2.tensor(t, truths)));
      schedule.feed(r, slots, feeds);
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
