package io.github.activationlab.nn;

import io.github.activationlab.activation.FloatOps;
import io.github.activationlab.tf.Arrays2;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * A Keras-like {@code Sequential} model over a TF-Java graph: {@code Dense} / {@code PReLU}
 * layers, {@code compile} (loss, Adam, accuracy), {@code fit} with Keras's batching, {@code
 * predict}, {@code evaluate}, {@code getWeights} / {@code setWeights} in Keras's order and a
 * Keras-style {@code summary()}.
 *
 * <pre>{@code
 * try (var xor = Sequential.of(2, Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid"))
 *     .compile(Loss.MSE, Adam.learningRate(0.01), 42)) {
 *   History h = xor.fit(x, y, Fit.epochs(1000));
 * }
 * }</pre>
 *
 * <p>The graph holds the weights as variables, Adam's slots, an iteration counter, and two
 * forward passes over the same variables: one on a fed input (predict / evaluate) and one on a
 * batch gathered by index from the fed training set (a training step). Every native object is
 * closed by {@link #close()}.
 */
public final class Sequential implements AutoCloseable {
  private static final AtomicInteger MODELS = new AtomicInteger();
  private static final AtomicInteger LAYERS = new AtomicInteger();
  /**
   * These models are tiny: every op is microseconds, so handing ops between threads costs more
   * than it gains. One inter-op and one intra-op thread (measured: faster, and deterministic).
   */
  static final org.tensorflow.proto.ConfigProto SESSION_CONFIG = org.tensorflow.proto.ConfigProto.newBuilder()
      .setInterOpParallelismThreads(Integer.getInteger("activationlab.interOpThreads", 1))
      .setIntraOpParallelismThreads(Integer.getInteger("activationlab.intraOpThreads", 1))
      .build();

  private final String name;
  private final int inputDim;
  private final List<Layer> layers;
  private final List<String> layerNames = new ArrayList<>();
  private Class<? extends TFloating> dtype = TFloat32.class;

  private Loss loss;
  private Adam adam;
  private long seed;
  private Graph graph;
  private Session session;
  private Placeholder<TFloating> x;
  private Placeholder<TFloating> y;
  private Placeholder<TInt32> batch;
  private Operand<TFloating> prediction;
  private Operand<TFloating> evalLoss;
  private Operand<TFloating> evalAccuracy;
  private org.tensorflow.op.core.Gradients evalGradients;
  private Operand<TFloating> stepLoss;
  private Operand<TFloating> stepAccuracy;
  private Op trainStep;
  /** Resource variables: their reads are snapshots, so an update in the same step cannot race them. */
  private final List<Operand<?>> handles = new ArrayList<>();
  private final List<Operand<TFloating>> weights = new ArrayList<>();
  private final List<long[]> shapes = new ArrayList<>();
  private final List<Placeholder<TFloating>> weightFeeds = new ArrayList<>();
  private final List<Op> weightAssigns = new ArrayList<>();
  private Op resetOptimizer;
  // the fused fit: the whole schedule of steps in one Session.run (see FusedFit), per shape
  private final java.util.Map<String, FusedFit> fused = new java.util.HashMap<>();
  private Operand<?> iterationsHandle;
  private List<Operand<?>> mHandles;
  private List<Operand<?>> vHandles;
  private List<double[]> initialWeights;

  private Sequential(int inputDim, List<Layer> layers) {
    if (inputDim <= 0) throw new IllegalArgumentException("input_dim must be positive, got " + inputDim);
    if (layers.isEmpty()) throw new IllegalArgumentException("a Sequential model needs a layer");
    int n = MODELS.getAndIncrement();
    this.name = n == 0 ? "sequential" : "sequential_" + n;
    this.inputDim = inputDim;
    this.layers = List.copyOf(layers);
    for (Layer l : layers) {
      int k = LAYERS.getAndIncrement();
      String base = l.type().toLowerCase().replace("prelu", "p_re_lu");
      layerNames.add(k == 0 ? base : base + "_" + k);
    }
  }

  /** {@code Sequential([Input(shape=(inputDim,)), *layers])}. */
  public static Sequential of(int inputDim, Layer... layers) {
    return new Sequential(inputDim, List.of(layers));
  }

  /** The dtype of weights and computation (float32 by default; float64 on request). */
  public Sequential dtype(Class<? extends TFloating> dtype) {
    if (graph != null) throw new IllegalStateException("set the dtype before compile");
    this.dtype = dtype;
    return this;
  }

  public String name() {
    return name;
  }

  public int inputDim() {
    return inputDim;
  }

  public int outputDim() {
    int d = inputDim;
    for (Layer l : layers) d = l.units(d);
    return d;
  }

  public List<Layer> layers() {
    return layers;
  }

  /** Keras-style layer names ({@code dense}, {@code dense_1}, ...). */
  public List<String> layerNames() {
    return List.copyOf(layerNames);
  }

  public Loss loss() {
    return loss;
  }

  public Adam optimizer() {
    return adam;
  }

  public long seed() {
    return seed;
  }

  public Class<? extends TFloating> dtype() {
    return dtype;
  }

  /** The weights the model was compiled with (Keras's order), before any training. */
  public List<double[]> initialWeights() {
    return initialWeights;
  }

  /**
   * Builds the graph and initialises the weights from {@code seed} (glorot_uniform kernels, zero
   * biases, drawn in plain Java: the same seed gives bit-identical weights in any run).
   */
  public Sequential compile(Loss loss, Adam adam, long seed) {
    if (graph != null) throw new IllegalStateException("already compiled");
    this.loss = loss;
    this.adam = adam;
    this.seed = seed;
    graph = new Graph();
    try {
      build(Ops.create(graph));
      session = new Session(graph, SESSION_CONFIG);
      SplittableRandom rng = new SplittableRandom(seed);
      List<double[]> init = new ArrayList<>();
      int d = inputDim;
      for (Layer l : layers) {
        init.addAll(l.initialWeights(d, rng));
        d = l.units(d);
      }
      initialWeights = List.copyOf(init);
      setWeights(init);
      session.run(resetOptimizer);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    return this;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void build(Ops tf) {
    FloatOps f = new FloatOps(tf, dtype);
    Class<TFloating> t = (Class) dtype;
    x = tf.withName("x").placeholder(t, Placeholder.shape(Shape.of(-1, inputDim)));
    y = tf.withName("y").placeholder(t, Placeholder.shape(Shape.of(-1, outputDim())));
    batch = tf.withName("batch").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));

    List<List<Operand<TFloating>>> perLayer = new ArrayList<>();
    List<Op> zeroSlots = new ArrayList<>();
    int d = inputDim;
    for (int i = 0; i < layers.size(); i++) {
      Ops s = tf.withSubScope(layerNames.get(i));
      List<Operand<TFloating>> lw = new ArrayList<>();
      for (long[] shape : layers.get(i).weightShapes(d)) {
        var handle = s.varHandleOp(t, Shape.of(shape), shared(layerNames.get(i) + "/w" + lw.size()));
        Operand<TFloating> read = s.readVariableOp(handle, t);
        Placeholder<TFloating> feed = s.placeholder(t, Placeholder.shape(Shape.of(shape)));
        handles.add(handle);
        weights.add(read);
        shapes.add(shape);
        weightFeeds.add(feed);
        weightAssigns.add(s.assignVariableOp(handle, feed));
        lw.add(read);
      }
      perLayer.add(lw);
      d = layers.get(i).units(d);
    }

    // inference path: x -> y_pred
    prediction = tf.withName("prediction").identity(forward(f, x, perLayer, null));
    Operand<TFloating>[] evalLogits = new Operand[1];
    var evalPred = forward(f, x, perLayer, evalLogits);
    evalLoss = tf.math.mean(loss.perSample(f, y, evalPred, evalLogits[0]), tf.constant(0));
    evalAccuracy = accuracy(f, y, evalPred);
    evalGradients = tf.gradients(evalLoss, weights);

    // training path: a batch gathered by index from the fed training set
    Operand<TFloating> xb = tf.gather(x, batch, tf.constant(0));
    Operand<TFloating> yb = tf.gather(y, batch, tf.constant(0));
    Operand<TFloating>[] logits = new Operand[1];
    var pred = forward(f, xb, perLayer, logits);
    stepLoss = tf.math.mean(loss.perSample(f, yb, pred, logits[0]), tf.constant(0));
    stepAccuracy = accuracy(f, yb, pred);

    var grads = tf.gradients(stepLoss, weights);
    Ops opt = tf.withSubScope("adam");
    var iterations = opt.withName("iterations").varHandleOp(TInt64.class, Shape.scalar(), shared("adam/iterations"));
    zeroSlots.add(opt.assignVariableOp(iterations, opt.constant(0L)));
    Operand<TFloating> step = opt.dtypes.cast(
        opt.math.add(opt.readVariableOp(iterations, TInt64.class), opt.constant(1L)), t);
    Operand<TFloating> beta1Power = opt.math.pow(f.c(adam.beta1()), step);
    Operand<TFloating> beta2Power = opt.math.pow(f.c(adam.beta2()), step);
    List<Op> updates = new ArrayList<>();
    List<Operand<?>> ms = new ArrayList<>();
    List<Operand<?>> vs = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      Shape shape = Shape.of(shapes.get(i));
      var m = opt.varHandleOp(t, shape, shared("adam/m" + i));
      var v = opt.varHandleOp(t, shape, shared("adam/v" + i));
      ms.add(m);
      vs.add(v);
      zeroSlots.add(opt.assignVariableOp(m, opt.zeros(opt.constant(shape), t)));
      zeroSlots.add(opt.assignVariableOp(v, opt.zeros(opt.constant(shape), t)));
      updates.add(opt.train.resourceApplyAdam(handles.get(i), m, v, beta1Power, beta2Power,
          f.c(adam.learningRate()), f.c(adam.beta1()), f.c(adam.beta2()), f.c(adam.epsilon()),
          grads.<TFloating>dy(i)));
    }
    // the counter moves only after every update has read the beta powers of this step
    trainStep = opt.withControlDependencies(updates).withName("train")
        .assignAddVariableOp(iterations, opt.constant(1L));
    resetOptimizer = tf.withControlDependencies(zeroSlots).withName("reset_optimizer").noOp();
    iterationsHandle = iterations;
    mHandles = ms;
    vHandles = vs;
  }


  /** A resource variable needs a name of its own (an empty shared_name is not unique here). */
  private static org.tensorflow.op.core.VarHandleOp.Options shared(String name) {
    return org.tensorflow.op.core.VarHandleOp.sharedName(name);
  }

  private Operand<TFloating> forward(FloatOps f, Operand<TFloating> in,
      List<List<Operand<TFloating>>> perLayer, Operand<TFloating>[] logitsOut) {
    Operand<TFloating> h = in;
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      boolean last = i == layers.size() - 1;
      // Keras 3's TF backend computes binary cross-entropy from the logits of a sigmoid output
      if (last && logitsOut != null && loss == Loss.BINARY_CROSSENTROPY && l instanceof Dense dense
          && dense.activation().name().equals("sigmoid")) {
        var z = new Dense(dense.units(), io.github.activationlab.activation.Activations.get("linear"), dense.useBias())
            .call(f, h, perLayer.get(i));
        logitsOut[0] = z;
        h = f.sigmoid(z);
      } else {
        h = l.call(f, h, perLayer.get(i));
      }
    }
    return h;
  }

  /** Keras 3's "accuracy" on a one-output model: binary accuracy at threshold 0.5, per sample. */
  private static Operand<TFloating> perSampleAccuracy(FloatOps f, Operand<TFloating> yTrue, Operand<TFloating> yPred) {
    var predicted = f.ops.dtypes.cast(f.gt(yPred, 0.5), yTrue.type());
    var hit = f.ops.dtypes.cast(f.ops.math.equal(yTrue, predicted), yTrue.type());
    return f.ops.math.mean(hit, f.ops.constant(-1));
  }

  private static Operand<TFloating> accuracy(FloatOps f, Operand<TFloating> yTrue, Operand<TFloating> yPred) {
    return f.ops.math.mean(perSampleAccuracy(f, yTrue, yPred), f.ops.constant(0));
  }

  private void requireCompiled() {
    if (session == null) throw new IllegalStateException("compile the model first");
  }

  /** Sets the weights, in Keras's {@code get_weights()} order (kernels row-major [in, out]). */
  public void setWeights(List<double[]> values) {
    requireCompiled();
    if (values.size() != weights.size()) {
      throw new IllegalArgumentException("expected " + weights.size() + " weight arrays, got " + values.size());
    }
    List<Tensor> tensors = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      for (int i = 0; i < values.size(); i++) {
        Tensor tv = Arrays2.tensor(dtype, Shape.of(shapes.get(i)), values.get(i));
        tensors.add(tv);
        r.feed(weightFeeds.get(i), tv).addTarget(weightAssigns.get(i));
      }
      r.run();
    } finally {
      tensors.forEach(Tensor::close);
    }
  }

  /** The weights, in Keras's {@code get_weights()} order (kernels row-major [in, out]). */
  public List<double[]> getWeights() {
    requireCompiled();
    Session.Runner r = session.runner();
    weights.forEach(r::fetch);
    try (Result res = r.run()) {
      List<double[]> out = new ArrayList<>();
      for (int i = 0; i < weights.size(); i++) out.add(Arrays2.doubles(res.get(i)));
      return out;
    }
  }

  /** The shapes of {@link #getWeights()}. */
  public List<long[]> weightShapes() {
    return List.copyOf(shapes);
  }

  /** y_pred for the rows of {@code input}. */
  public double[][] predict(double[][] input) {
    requireCompiled();
    try (Tensor xt = matrix(input, inputDim, "x");
        Result r = session.runner().feed(x, xt).fetch(prediction).run()) {
      return rows(Arrays2.doubles(r.get(0)), outputDim());
    }
  }

  /** {@code [loss, accuracy]} on the given data, as Keras's {@code evaluate}. */
  public double[] evaluate(double[][] input, double[][] target) {
    requireCompiled();
    try (Tensor xt = matrix(input, inputDim, "x");
        Tensor yt = matrix(target, outputDim(), "y");
        Result r = session.runner().feed(x, xt).feed(y, yt).fetch(evalLoss).fetch(evalAccuracy).run()) {
      return new double[] {Arrays2.doubles(r.get(0))[0], Arrays2.doubles(r.get(1))[0]};
    }
  }

  /** d loss / d weights on the given data (Keras's order), by TF autodiff. */
  public List<double[]> gradients(double[][] input, double[][] target) {
    requireCompiled();
    try (Tensor xt = matrix(input, inputDim, "x"); Tensor yt = matrix(target, outputDim(), "y")) {
      Session.Runner r = session.runner().feed(x, xt).feed(y, yt);
      for (int i = 0; i < weights.size(); i++) r.fetch(evalGradients.dy(i));
      try (Result res = r.run()) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < weights.size(); i++) out.add(Arrays2.doubles(res.get(i)));
        return out;
      }
    }
  }

  /**
   * Trains as Keras's {@code fit}: every epoch, the samples in order (or a fresh permutation
   * when shuffling, from the fit's seed), in batches of {@code batchSize} with the last partial
   * batch kept; one Adam step per batch. The epoch's loss and accuracy are the batch values
   * averaged with the batch sizes as weights, each computed before its step's update, as Keras
   * reports them.
   */
  public History fit(double[][] input, double[][] target, Fit fit) {
    requireCompiled();
    int n = input.length;
    if (n == 0) throw new IllegalArgumentException("no training data");
    if (target.length != n) {
      throw new IllegalArgumentException("x has " + n + " rows but y has " + target.length);
    }
    List<List<int[]>> batches = schedule(n, fit, new SplittableRandom(fit.seed()));
    double[] lossSums;
    double[] accSums;
    try (Tensor xt = matrix(input, inputDim, "x");
        Tensor yt = matrix(target, outputDim(), "y")) {
      double[][] sums = fit.fused() ? runFused(xt, yt, n, fit, batches) : runPerStep(xt, yt, fit, batches);
      lossSums = sums[0];
      accSums = sums[1];
    }
    // the epoch's values: batch values weighted by batch size, as Keras's metric trackers
    List<Double> losses = new ArrayList<>();
    List<Double> accuracies = new ArrayList<>();
    try (Progress progress = Progress.of(fit)) {
      for (int e = 0; e < fit.epochs(); e++) {
        losses.add(lossSums[e] / n);
        accuracies.add(accSums[e] / n);
        if (!Double.isFinite(losses.get(e))) {
          throw new IllegalStateException("loss became " + losses.get(e) + " in epoch " + (e + 1));
        }
        progress.epoch(e + 1, losses.get(e), accuracies.get(e));
      }
    }
    return new History(losses, accuracies, batches);
  }

  /** One Session.run per step; returns the per-epoch sums of loss and accuracy times batch size. */
  private double[][] runPerStep(Tensor xt, Tensor yt, Fit fit, List<List<int[]>> batches) {
    double[][] sums = new double[2][fit.epochs()];
    for (int e = 0; e < batches.size(); e++) {
      for (int[] idx : batches.get(e)) {
        try (TInt32 bt = TInt32.vectorOf(idx);
            Result r = session.runner().feed(x, xt).feed(y, yt).feed(batch, bt)
                .addTarget(trainStep).fetch(stepLoss).fetch(stepAccuracy).run()) {
          sums[0][e] += Arrays2.doubles(r.get(0))[0] * idx.length;
          sums[1][e] += Arrays2.doubles(r.get(1))[0] * idx.length;
        }
      }
    }
    return sums;
  }

  /** Keras's batching: every epoch's order (shuffled from the fit's generator), cut into batches. */
  private static List<List<int[]>> schedule(int n, Fit fit, SplittableRandom rng) {
    List<List<int[]>> all = new ArrayList<>();
    int[] order = new int[n];
    for (int epoch = 0; epoch < fit.epochs(); epoch++) {
      for (int i = 0; i < n; i++) order[i] = i;
      if (fit.shuffle()) {
        for (int i = n - 1; i > 0; i--) {
          int j = rng.nextInt(i + 1);
          int tmp = order[i];
          order[i] = order[j];
          order[j] = tmp;
        }
      }
      List<int[]> batches = new ArrayList<>();
      for (int start = 0; start < n; start += fit.batchSize()) {
        batches.add(Arrays.copyOfRange(order, start, Math.min(n, start + fit.batchSize())));
      }
      all.add(batches);
    }
    return all;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private double[][] runFused(Tensor xt, Tensor yt, int n, Fit fit, List<List<int[]>> batches) {
    int b = Math.min(fit.batchSize(), n);
    int steps = batches.stream().mapToInt(List::size).sum();
    String key = n + "/" + b + "/" + steps + "/" + fit.epochs() + "/" + fit.xla();
    FusedFit ff = fused.computeIfAbsent(key, k -> new FusedFit(graph, Ops.create(graph), fusedModel(),
        (Class) dtype, adam, fit.xla(), x, y, n, inputDim, outputDim(), b, steps, fit.epochs(),
        handles, mHandles, vHandles, iterationsHandle, shapes));
    int[] index = new int[steps * b];
    double[] mask = new double[steps * b];
    int[] epochOf = new int[steps];
    int st = 0;
    for (int e = 0; e < batches.size(); e++) {
      for (int[] batch : batches.get(e)) {
        System.arraycopy(batch, 0, index, st * b, batch.length);
        for (int q = 0; q < batch.length; q++) mask[st * b + q] = 1;
        epochOf[st++] = e;
      }
    }
    try (Tensor indexT = TInt32.tensorOf(Shape.of(steps, b), org.tensorflow.ndarray.buffer.DataBuffers.of(index, true, false));
        Tensor maskT = Arrays2.tensor(dtype, Shape.of(steps, b), mask);
        TInt32 epochT = TInt32.vectorOf(epochOf);
        Result r = session.runner().feed(x, xt).feed(y, yt).feed(ff.index, indexT)
            .feed(ff.mask, maskT).feed(ff.epochOf, epochT).addTarget(ff.train)
            .fetch(ff.lossSums).fetch(ff.accSums).run()) {
      return new double[][] {Arrays2.doubles(r.get(0)), Arrays2.doubles(r.get(1))};
    }
  }

  private FusedFit.Model fusedModel() {
    return new FusedFit.Model() {
      public List<Layer> layers() {
        return layers;
      }

      public int inputDim() {
        return inputDim;
      }

      public Operand<TFloating> forward(FloatOps f, Operand<TFloating> in,
          List<List<Operand<TFloating>>> w, Operand<TFloating>[] logits) {
        return Sequential.this.forward(f, in, w, logits);
      }

      public Operand<TFloating> perSampleLoss(FloatOps f, Operand<TFloating> yt, Operand<TFloating> p,
          Operand<TFloating> logits) {
        return loss.perSample(f, yt, p, logits);
      }

      public Operand<TFloating> perSampleAccuracy(FloatOps f, Operand<TFloating> yt, Operand<TFloating> p) {
        return Sequential.perSampleAccuracy(f, yt, p);
      }
    };
  }

  /** The model as Keras 2 printed it in the notebook (Layer (type), Output Shape, Param #). */
  public String summary() {
    String line = "_".repeat(65);
    String thick = "=".repeat(65);
    StringBuilder b = new StringBuilder();
    b.append("Model: \"").append(name).append("\"\n").append(line).append('\n');
    b.append(String.format("%-28s %-24s %s%n", " Layer (type)", "Output Shape", "Param #"));
    b.append(thick).append('\n');
    int d = inputDim;
    long total = 0;
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      long params = 0;
      for (long[] s : l.weightShapes(d)) params += Arrays.stream(s).reduce(1, (p, q) -> p * q);
      total += params;
      d = l.units(d);
      b.append(String.format("%-28s %-24s %d%n", " " + layerNames.get(i) + " (" + l.type() + ")",
          "(None, " + d + ")", params));
      b.append(i == layers.size() - 1 ? thick : line).append('\n');
    }
    b.append("Total params: ").append(total).append('\n');
    b.append("Trainable params: ").append(total).append('\n');
    b.append("Non-trainable params: 0\n").append(line).append('\n');
    return b.toString();
  }

  /** Number of parameters. */
  public long countParams() {
    return shapes.stream().mapToLong(s -> Arrays.stream(s).reduce(1, (p, q) -> p * q)).sum();
  }

  private Tensor matrix(double[][] rows, int width, String what) {
    double[] flat = new double[rows.length * width];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != width) {
        throw new IllegalArgumentException(what + " row " + i + " has " + rows[i].length
            + " columns, the model expects " + width);
      }
      for (int j = 0; j < width; j++) {
        if (Double.isNaN(rows[i][j])) throw new IllegalArgumentException(what + " row " + i + " has NaN");
        flat[i * width + j] = rows[i][j];
      }
    }
    return Arrays2.tensor(dtype, Shape.of(rows.length, width), flat);
  }

  static double[][] rows(double[] flat, int width) {
    double[][] out = new double[flat.length / width][];
    for (int i = 0; i < out.length; i++) out[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
    return out;
  }

  @Override
  public void close() {
    if (session != null) session.close();
    if (graph != null) graph.close();
    session = null;
    graph = null;
  }

}
