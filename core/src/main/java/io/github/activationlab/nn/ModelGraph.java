package io.github.activationlab.nn;

import io.github.activationlab.internal.tf.Arrays2;
import io.github.activationlab.tf.FloatOps;
import io.github.activationlab.tf.NativeRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.family.TFloating;

/**
 * A compiled model's TF graph and session: the weights as resource variables (named {@code
 * layer/weight}, e.g. {@code dense_1/kernel}; the non-trainable state too), the optimizer's slots
 * ({@link OptimizerSlots}), the inference and evaluation ops on a fed input, and the training loop
 * ({@link #fused}). Every native object is closed by {@link #close()}.
 */
final class ModelGraph implements AutoCloseable {
  /**
   * These models are tiny: every op is microseconds, so handing ops between threads costs more than
   * it gains. One inter-op and one intra-op thread (measured: faster, and deterministic).
   */
  static final ConfigProto SESSION_CONFIG =
      ConfigProto.newBuilder()
          .setInterOpParallelismThreads(Integer.getInteger("activationlab.interOpThreads", 1))
          .setIntraOpParallelismThreads(Integer.getInteger("activationlab.intraOpThreads", 1))
          .build();

  final Architecture arch;
  final Class<TFloating> dtype;
  final Loss loss;
  final Optimizer optimizer;
  final List<String> metrics;
  final Graph graph;
  final Ops tf;
  final Session session;
  final Placeholder<TFloating> x;
  final Placeholder<TFloating> y;

  /** Resource variables: their reads are snapshots, so an update in the same step cannot race. */
  final List<Operand<?>> handles = new ArrayList<>();

  final List<Operand<TFloating>> weights = new ArrayList<>();
  final List<long[]> shapes;
  final OptimizerSlots slots;
  private final List<Placeholder<TFloating>> weightFeeds = new ArrayList<>();
  private final List<Op> weightAssigns = new ArrayList<>();
  private final Operand<TFloating> prediction;
  private final Operand<TFloating> evalLoss;
  private final Operand<TFloating> evalAccuracy;

  /** d loss / d trainable weights, built on first use (unreachable weights have none). */
  private Gradients evalGradients;

  private final Map<String, FusedFit> fused = new HashMap<>();

  @SuppressWarnings({"unchecked", "rawtypes"})
  ModelGraph(
      Architecture arch,
      Class<? extends TFloating> dtype,
      Loss loss,
      Optimizer optimizer,
      List<String> metrics) {
    this.arch = arch;
    this.dtype = (Class) dtype;
    this.loss = loss;
    this.optimizer = optimizer;
    this.metrics = List.copyOf(metrics);
    this.shapes = arch.shapes();
    NativeRuntime.load();
    graph = new Graph();
    try {
      tf = Ops.create(graph);
      FloatOps f = new FloatOps(tf, dtype);
      x =
          tf.withName("x")
              .placeholder(this.dtype, Placeholder.shape(Shape.of(-1, arch.inputDim())));
      y =
          tf.withName("y")
              .placeholder(this.dtype, Placeholder.shape(Shape.of(-1, targetDim(arch, loss))));
      for (Architecture.Weight w : arch.weights()) {
        Ops s = tf.withSubScope(w.layerName());
        var handle =
            s.withName(w.name())
                .varHandleOp(this.dtype, Shape.of(w.shape()), VarHandleOp.sharedName(w.path()));
        var feed = s.placeholder(this.dtype, Placeholder.shape(Shape.of(w.shape())));
        handles.add(handle);
        weights.add(s.readVariableOp(handle, this.dtype));
        weightFeeds.add(feed);
        weightAssigns.add(s.assignVariableOp(handle, feed));
      }
      slots =
          new OptimizerSlots(tf, dtype, Optimizers.rule(optimizer).slotNames(), trainableShapes());

      prediction = tf.withName("prediction").identity(arch.forward(f, x, weights, null).output());
      Architecture.Forward eval = arch.forward(f, x, weights, loss);
      Operand<TFloating> mean = tf.math.mean(loss.perSample(f, y, eval), tf.constant(0));
      // Keras's compute_loss, as evaluate reports it: the loss, then each regularization penalty
      for (Operand<TFloating> p : arch.penalties(f, weights)) mean = f.add(mean, p);
      evalLoss = mean;
      evalAccuracy = tf.math.mean(TrainStep.perSampleAccuracy(f, y, eval.output()), tf.constant(0));
      session = new Session(graph, SESSION_CONFIG);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** The width of the targets: the outputs', or one class index per output (sparse). */
  static int targetDim(Architecture arch, Loss loss) {
    int d = 0;
    for (int t : arch.outputs()) d += loss.targetWidth(arch.size(t));
    return d;
  }

  /** The training loop for this shape of schedule, built on first use. */
  FusedFit fused(int n, int b, int steps, boolean masked, boolean xla) {
    return fused.computeIfAbsent(
        n + "/" + b + "/" + steps + "/" + masked + "/" + xla,
        key -> new FusedFit(this, n, b, steps, masked, xla));
  }

  void setWeights(List<double[]> values) {
    if (values.size() != weights.size()) {
      throw new IllegalArgumentException(
          "expected " + weights.size() + " weight arrays, got " + values.size());
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

  List<double[]> getWeights() {
    return fetch(weights);
  }

  /** The shapes of the trainable weights, in order. */
  List<long[]> trainableShapes() {
    return arch.weights().stream()
        .filter(Architecture.Weight::trainable)
        .map(Architecture.Weight::shape)
        .toList();
  }

  /** The optimizer's state as values. */
  Optimizer.State optimizerState() {
    return slots.fetch(session);
  }

  /** Sets the optimizer's state (checked against its slots and the trainable weights). */
  void setOptimizerState(Optimizer.State values) {
    OptimizerStates.check(values, optimizer, trainableShapes());
    slots.set(session, values);
  }

  void resetOptimizer() {
    session.run(slots.reset);
  }

  double[] predict(Tensor xt) {
    try (Result r = session.runner().feed(x, xt).fetch(prediction).run()) {
      return Arrays2.doubles(r.get(0));
    }
  }

  double[] evaluate(Tensor xt, Tensor yt) {
    try (Result r =
        session.runner().feed(x, xt).feed(y, yt).fetch(evalLoss).fetch(evalAccuracy).run()) {
      return new double[] {Arrays2.doubles(r.get(0))[0], Arrays2.doubles(r.get(1))[0]};
    }
  }

  List<double[]> gradients(Tensor xt, Tensor yt) {
    List<Architecture.Weight> ws = arch.weights();
    List<Operand<TFloating>> trainable = new ArrayList<>();
    for (int i = 0; i < ws.size(); i++) if (ws.get(i).trainable()) trainable.add(weights.get(i));
    if (evalGradients == null) evalGradients = tf.gradients(evalLoss, trainable);
    List<Operand<?>> g = new ArrayList<>();
    for (int i = 0; i < trainable.size(); i++) g.add(evalGradients.dy(i));
    Session.Runner r = session.runner().feed(x, xt).feed(y, yt);
    g.forEach(r::fetch);
    try (Result res = r.run()) {
      List<double[]> out = new ArrayList<>();
      for (int i = 0, t = 0; i < ws.size(); i++) {
        out.add(
            ws.get(i).trainable() ? Arrays2.doubles(res.get(t++)) : new double[ws.get(i).size()]);
      }
      return out;
    }
  }

  private List<double[]> fetch(List<? extends Operand<?>> ops) {
    Session.Runner r = session.runner();
    ops.forEach(r::fetch);
    try (Result res = r.run()) {
      List<double[]> out = new ArrayList<>();
      for (int i = 0; i < ops.size(); i++) out.add(Arrays2.doubles(res.get(i)));
      return out;
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
