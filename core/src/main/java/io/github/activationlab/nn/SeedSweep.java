package io.github.activationlab.nn;

import io.github.activationlab.internal.tf.Arrays2;
import io.github.activationlab.tf.FloatOps;
import io.github.activationlab.tf.NativeRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
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
 * Many seeds of one model trained in ONE op: the weights stacked along a leading seed axis ({@code
 * [S, in, out]} kernels, {@code [S, 1, out]} biases and alphas, batched matmuls), each seed with
 * its own Keras batching (its own shuffles, {@link Batching}) and its own Adam state, all in one
 * {@link WhileLoop} that XLA compiles. Seed s starts from the weights {@code compile(..., s)} draws
 * and shuffles as {@code fit} with {@code Fit.seed(s)} does, so it ends with the weights that
 * {@code fit} gives for seed s alone (up to the rounding of batched vs single matmuls; tested).
 *
 * <p>The seeds run in chunks of equal size ({@link #chunkSize}), each one {@code Session.run} of
 * the same compiled loop, so memory stays bounded whatever the number of seeds; a chunk's memory is
 * dominated by its batch schedule, {@code steps * B * 4} bytes per seed.
 *
 * <p>Besides the final weights, each seed's last-epoch loss (as Keras's History reports it), and an
 * evaluation of its final weights on the whole training set: the loss, the largest and the mean
 * squared error against {@code truth}, whether the output is constant (collapsed), and per hidden
 * layer the number of dead units (a unit whose output is the same for every input).
 */
public final class SeedSweep implements AutoCloseable {
  /** What to train: the architecture, dtype, loss, optimizer and {@code fit}'s schedule. */
  public record Spec(
      Architecture arch,
      Class<? extends TFloating> dtype,
      Loss loss,
      Adam adam,
      int epochs,
      int batchSize,
      boolean shuffle,
      boolean xla) {}

  /**
   * One seed's result. {@code loss}: the last epoch's loss as Keras's History reports it (batch
   * losses, each before its step's update, averaged with the batch sizes as weights); {@code
   * evalLoss}: the final weights' loss on the whole training set; the largest and the mean squared
   * error of the final outputs against the truth; {@code outputRange}: max - min of the outputs
   * over the training inputs; {@code collapsed}: the output is constant over the training inputs
   * ({@link #constant}); {@code deadUnits[l]}: the units of hidden layer l whose output is constant
   * over the training inputs; {@code weights}: the final weights, all of them flat in Keras's
   * order.
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

  /** Loop variables, in order; the weights, then Adam's m and v, follow from {@link #W}. */
  private static final int STEP = 0;

  private static final int X = 1;
  private static final int Y = 2;
  private static final int INDEX = 3;
  private static final int MASK = 4;
  private static final int ITERATIONS = 5;
  private static final int LAST_EPOCH = 6;
  private static final int W = 7;

  /** Default memory budget of one chunk (bytes; system property activationlab.sweepChunkBytes). */
  public static final long CHUNK_BYTES = Long.getLong("activationlab.sweepChunkBytes", 256L << 20);

  private final Spec spec;
  private final int n;
  private final int seedsPerChunk;
  private final int b;
  private final int steps;
  private final List<long[]> shapes;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TFloating> x;
  private final Placeholder<TFloating> y;
  private final Placeholder<TFloating> truth;
  private final Placeholder<TInt32> index;
  private final Placeholder<TFloating> mask;
  private final List<Placeholder<TFloating>> initial = new ArrayList<>();
  private final List<Operand<?>> fetches = new ArrayList<>();

  /** Memory of one seed in a chunk, in bytes (its schedule, weights and evaluation). */
  public static long bytesPerSeed(Spec spec, int n) {
    long perEpoch = (n + spec.batchSize() - 1) / spec.batchSize();
    long steps = perEpoch * spec.epochs();
    long b = Math.min(spec.batchSize(), n);
    long scalar = spec.dtype().getSimpleName().equals("TFloat64") ? 8 : 4;
    long units = 0;
    int d = spec.arch().inputDim();
    for (Layer l : spec.arch().layers()) {
      d = l.units(d);
      units += d;
    }
    return steps * b * 4 + (spec.arch().countParams() * 4 + units * n * 2) * scalar;
  }

  /**
   * The seeds per chunk for {@code seeds} seeds within {@code budget} bytes, balanced so that the
   * chunks are of equal size (the last is padded with extra seeds, whose results are dropped).
   *
   * @throws IllegalArgumentException if one seed alone exceeds the budget
   */
  public static int chunkSize(Spec spec, int n, int seeds, long budget) {
    long per = bytesPerSeed(spec, n);
    if (per > budget) {
      throw new IllegalArgumentException(
          String.format(
              "one seed needs %.1f MB (its batch schedule"
                  + " of %d epochs), more than the %.0f MB a chunk may use",
              per / 1e6, spec.epochs(), budget / 1e6));
    }
    long most = Math.min(seeds, budget / per);
    long chunks = (seeds + most - 1) / most;
    return (int) ((seeds + chunks - 1) / chunks);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  public SeedSweep(Spec spec, int n, int seedsPerChunk) {
    this.spec = spec;
    this.n = n;
    this.seedsPerChunk = seedsPerChunk;
    Architecture arch = spec.arch();
    Class<TFloating> t = (Class) spec.dtype();
    Batching shape = Batching.schedule(n, spec.batchSize(), 1, false, 0);
    b = shape.width();
    steps = shape.stepsPerEpoch() * spec.epochs();
    int seeds = seedsPerChunk;
    shapes = arch.shapes();
    int k = shapes.size();
    NativeRuntime.load();
    graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      int in = arch.inputDim();
      int out = arch.outputDim();
      x = tf.placeholder(t, Placeholder.shape(Shape.of(n, in)));
      y = tf.placeholder(t, Placeholder.shape(Shape.of(n, out)));
      truth = tf.placeholder(t, Placeholder.shape(Shape.of(n, out)));
      index = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(steps, seeds, b)));
      mask = tf.placeholder(t, Placeholder.shape(Shape.of(steps, b)));
      List<WhileLoop.Var> vars =
          new ArrayList<>(
              List.of(
                  new WhileLoop.Var(TInt32.class, Shape.scalar()),
                  new WhileLoop.Var(t, Shape.of(n, in)),
                  new WhileLoop.Var(t, Shape.of(n, out)),
                  new WhileLoop.Var(TInt32.class, Shape.of(steps, seeds, b)),
                  new WhileLoop.Var(t, Shape.of(steps, b)),
                  new WhileLoop.Var(TInt64.class, Shape.scalar()),
                  new WhileLoop.Var(t, Shape.of(seeds))));
      List<Operand<?>> init =
          new ArrayList<>(
              List.of(
                  tf.constant(0),
                  x,
                  y,
                  index,
                  mask,
                  tf.constant(0L),
                  tf.zeros(tf.constant(new int[] {seeds}), t)));
      for (int j = 0; j < k; j++) {
        var p = tf.placeholder(t, Placeholder.shape(stacked(shapes.get(j), seeds)));
        initial.add(p);
      }
      for (int part = 0; part < 3; part++) {
        for (int j = 0; j < k; j++) {
          Shape s = stacked(shapes.get(j), seeds);
          vars.add(new WhileLoop.Var(t, s));
          init.add(part == 0 ? initial.get(j) : tf.zeros(tf.constant(s), t));
        }
      }
      int lastEpochStart = steps - shape.stepsPerEpoch();
      List<Output<?>> done =
          WhileLoop.run(
              graph,
              tf,
              "seed_sweep",
              vars,
              init,
              steps,
              (bo, v) -> {
                FloatOps f = new FloatOps(bo, t);
                Operand<TInt32> i = (Operand<TInt32>) v.get(STEP);
                Operand<TInt32> idx = bo.gather((Operand<TInt32>) v.get(INDEX), i, bo.constant(0));
                Operand<TFloating> m =
                    bo.gather((Operand<TFloating>) v.get(MASK), i, bo.constant(0));
                Operand<TFloating> xb =
                    bo.gather((Operand<TFloating>) v.get(X), idx, bo.constant(0));
                Operand<TFloating> yb =
                    bo.gather((Operand<TFloating>) v.get(Y), idx, bo.constant(0));
                List<Operand<TFloating>> w = (List) v.subList(W, W + k);
                var fw = arch.forward(f, xb, w, spec.loss());
                var perSample = spec.loss().perSample(f, yb, fw.output(), fw.logits()); // [S, B]
                var last = bo.constant(-1);
                var count = bo.sum(m, last);
                var seedLoss = f.div(bo.sum(f.mul(perSample, m), last), count); // [S]
                // each seed's weights reach only its own loss: d(sum)/dw is each seed's gradient
                var grads = bo.gradients(bo.sum(seedLoss, bo.constant(0)), w);
                List<Operand<TFloating>> g = new ArrayList<>();
                for (int j = 0; j < k; j++) g.add(grads.dy(j));
                Adam.State st =
                    new Adam.State(
                        (Operand<TInt64>) v.get(ITERATIONS),
                        (List) v.subList(W + k, W + 2 * k),
                        (List) v.subList(W + 2 * k, W + 3 * k));
                Adam.Step u = spec.adam().update(f, w, g, st);
                List<Operand<?>> next = new ArrayList<>(v);
                next.set(ITERATIONS, u.state().iterations());
                // the last epoch's loss as Keras reports it: batch losses times batch sizes, summed
                var inLastEpoch =
                    bo.dtypes.cast(bo.math.greaterEqual(i, bo.constant(lastEpochStart)), t);
                next.set(
                    LAST_EPOCH,
                    f.add(
                        (Operand<TFloating>) v.get(LAST_EPOCH),
                        f.mul(f.mul(seedLoss, count), inLastEpoch)));
                for (int j = 0; j < k; j++) {
                  next.set(W + j, u.weights().get(j));
                  next.set(W + k + j, u.state().m().get(j));
                  next.set(W + 2 * k + j, u.state().v().get(j));
                }
                return next;
              },
              spec.xla());
      List<Operand<TFloating>> finals = new ArrayList<>();
      for (int j = 0; j < k; j++) finals.add((Operand<TFloating>) done.get(W + j));
      FloatOps f = new FloatOps(tf, t);
      evaluate(f, finals, f.div((Operand<TFloating>) done.get(LAST_EPOCH), f.c(n)));
      session = new Session(graph, ModelGraph.SESSION_CONFIG);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /**
   * A weight's shape with the seed axis in front: [S, r, c] for a kernel, [S, 1, c] for a vector.
   */
  private static Shape stacked(long[] shape, int seeds) {
    return shape.length == 1 ? Shape.of(seeds, 1, shape[0]) : Shape.of(seeds, shape[0], shape[1]);
  }

  /**
   * Whether {@code a} [S, n, units] is constant over the n inputs, per seed and unit: max - min <=
   * 1e-6 * max(1, |mean|) (float rounding aside, the same value for every input).
   */
  private static Operand<TFloating> constant(FloatOps f, Operand<TFloating> a) {
    Ops tf = f.ops;
    var samples = tf.constant(1);
    var range = f.sub(tf.max(a, samples), tf.min(a, samples));
    var scale = f.max(f.abs(tf.math.mean(a, samples)), 1);
    return tf.dtypes.cast(tf.math.lessEqual(range, f.mul(1e-6, scale)), a.type()); // [S, units]
  }

  /** The per-seed evaluation on the whole training set (fetched after the weights). */
  private void evaluate(FloatOps f, List<Operand<TFloating>> w, Operand<TFloating> lastEpoch) {
    Ops tf = f.ops;
    Architecture arch = spec.arch();
    Operand<TFloating> x3 = tf.expandDims(x, tf.constant(0)); // [1, n, in]: broadcasts over seeds
    Operand<TFloating> y3 = tf.expandDims(y, tf.constant(0));
    Operand<TFloating> t3 = tf.expandDims(truth, tf.constant(0));
    var fw = arch.forward(f, x3, w, spec.loss());
    var out = fw.output(); // [S, n, out]
    var samplesAndOutputs = tf.constant(new int[] {1, 2});
    fetches.addAll(w);
    fetches.add(lastEpoch);
    fetches.add(tf.math.mean(spec.loss().perSample(f, y3, out, fw.logits()), tf.constant(1)));
    var err = f.sub(out, t3);
    fetches.add(tf.max(f.abs(err), samplesAndOutputs));
    fetches.add(tf.math.mean(f.square(err), samplesAndOutputs));
    fetches.add(f.sub(tf.max(out, samplesAndOutputs), tf.min(out, samplesAndOutputs)));
    fetches.add(tf.min(constant(f, out), tf.constant(1))); // every output constant: 1
    List<Operand<TFloating>> layers = arch.layerOutputs(f, x3, w);
    for (int l = 0; l < layers.size() - 1; l++) {
      var dead = tf.dtypes.cast(constant(f, layers.get(l)), TInt32.class); // [S, units]
      fetches.add(tf.sum(dead, tf.constant(1)));
    }
  }

  /**
   * Trains seeds {@code firstSeed .. firstSeed + count - 1} in chunks; {@code done} hears how many
   * seeds are finished after each chunk.
   */
  public List<Outcome> run(
      double[][] xs,
      double[][] ys,
      double[][] truths,
      long firstSeed,
      int count,
      IntConsumer done) {
    Architecture arch = spec.arch();
    List<Outcome> outcomes = new ArrayList<>(count);
    Batching.Padded maskRows =
        Batching.schedule(n, spec.batchSize(), spec.epochs(), false, 0).padded();
    try (Tensor xt = Arrays2.tensor(spec.dtype(), Shape.of(n, arch.inputDim()), flat(xs));
        Tensor yt = Arrays2.tensor(spec.dtype(), Shape.of(n, arch.outputDim()), flat(ys));
        Tensor tt = Arrays2.tensor(spec.dtype(), Shape.of(n, arch.outputDim()), flat(truths));
        Tensor mt = Arrays2.tensor(spec.dtype(), Shape.of(steps, b), maskRows.mask())) {
      for (int start = 0; start < count; start += seedsPerChunk) {
        outcomes.addAll(
            chunk(xt, yt, tt, mt, firstSeed + start, Math.min(seedsPerChunk, count - start)));
        done.accept(outcomes.size());
      }
    }
    return outcomes;
  }

  private List<Outcome> chunk(Tensor xt, Tensor yt, Tensor tt, Tensor mt, long first, int real) {
    int seeds = seedsPerChunk;
    int k = shapes.size();
    int[] schedule = new int[steps * seeds * b];
    List<double[]> init = new ArrayList<>();
    for (long[] s : shapes) init.add(new double[seeds * new Layer.WeightSpec("", s).size()]);
    for (int slot = 0; slot < seeds; slot++) {
      long seed = first + Math.min(slot, real - 1); // padding slots repeat the last real seed
      Batching.schedule(n, spec.batchSize(), spec.epochs(), spec.shuffle(), seed)
          .fillStepMajor(schedule, slot, seeds);
      List<double[]> w = spec.arch().initialWeights(new SplittableRandom(seed));
      for (int j = 0; j < k; j++) {
        System.arraycopy(w.get(j), 0, init.get(j), slot * w.get(j).length, w.get(j).length);
      }
    }
    List<Tensor> feeds = new ArrayList<>();
    try (Tensor it =
        TInt32.tensorOf(Shape.of(steps, seeds, b), DataBuffers.of(schedule, true, false))) {
      Session.Runner r =
          session.runner().feed(x, xt).feed(y, yt).feed(truth, tt).feed(mask, mt).feed(index, it);
      for (int j = 0; j < k; j++) {
        Tensor w = Arrays2.tensor(spec.dtype(), stacked(shapes.get(j), seeds), init.get(j));
        feeds.add(w);
        r.feed(initial.get(j), w);
      }
      fetches.forEach(r::fetch);
      try (Result res = r.run()) {
        List<double[]> weights = new ArrayList<>();
        for (int j = 0; j < k; j++) weights.add(Arrays2.doubles(res.get(j)));
        double[] loss = Arrays2.doubles(res.get(k));
        double[] evalLoss = Arrays2.doubles(res.get(k + 1));
        double[] maxErr = Arrays2.doubles(res.get(k + 2));
        double[] mse = Arrays2.doubles(res.get(k + 3));
        double[] range = Arrays2.doubles(res.get(k + 4));
        double[] collapsed = Arrays2.doubles(res.get(k + 5));
        int hidden = spec.arch().layers().size() - 1;
        int[][] dead = new int[hidden][];
        for (int l = 0; l < hidden; l++) dead[l] = ints((TInt32) res.get(k + 6 + l), seeds);
        List<Outcome> out = new ArrayList<>();
        int total = (int) spec.arch().countParams();
        for (int slot = 0; slot < real; slot++) {
          double[] flatW = new double[total];
          int at = 0;
          for (int j = 0; j < k; j++) {
            int size = weights.get(j).length / seeds;
            System.arraycopy(weights.get(j), slot * size, flatW, at, size);
            at += size;
          }
          int[] d = new int[hidden];
          for (int l = 0; l < hidden; l++) d[l] = dead[l][slot];
          out.add(
              new Outcome(
                  first + slot,
                  loss[slot],
                  evalLoss[slot],
                  maxErr[slot],
                  mse[slot],
                  range[slot],
                  collapsed[slot] > 0,
                  d,
                  flatW));
        }
        return out;
      }
    } finally {
      feeds.forEach(Tensor::close);
    }
  }

  private static int[] ints(TInt32 t, int n) {
    int[] out = new int[n];
    t.asRawTensor().data().asInts().read(out);
    return out;
  }

  private static double[] flat(double[][] rows) {
    int w = rows[0].length;
    double[] out = new double[rows.length * w];
    for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, out, i * w, w);
    return out;
  }

  public int seedsPerChunk() {
    return seedsPerChunk;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
