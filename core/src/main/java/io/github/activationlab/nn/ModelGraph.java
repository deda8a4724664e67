package io.github.activationlab.nn;

import io.github.activationlab.tf.Arrays2;
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
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * A compiled model's TF graph and session: the weights as resource variables (named {@code
 * layer/weight}, e.g. {@code dense_1/kernel}), Adam's slots, the inference and evaluation ops on a
 * fed input, and the training loop ({@link #fused}). Every native object is closed by {@link
 * #close()}.
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
  final Adam adam;
  final Graph graph;
  final Ops tf;
  final Session session;
  final Placeholder<TFloating> x;
  final Placeholder<TFloating> y;

  /** Resource variables: their reads are snapshots, so an update in the same step cannot race. */
  final List<Operand<?>> handles = new ArrayList<>();

  final List<Operand<TFloating>> weights = new ArrayList<>();
  final List<long[]> shapes;
  final Adam.Slots slots;
  private final List<Placeholder<TFloating>> weightFeeds = new ArrayList<>();
  private final List<Op> weightAssigns = new ArrayList<>();
  private final Placeholder<TInt64> iterationsFeed;
  private final List<Placeholder<TFloating>> mFeeds = new ArrayList<>();
  private final List<Placeholder<TFloating>> vFeeds = new ArrayList<>();
  private final List<Op> slotAssigns;
  private final Adam.State slotValues;
  private final Operand<TFloating> prediction;
  private final Operand<TFloating> evalLoss;
  private final Operand<TFloating> evalAccuracy;
  private final Gradients evalGradients;
  private final Map<String, FusedFit> fused = new HashMap<>();

  @SuppressWarnings({"unchecked", "rawtypes"})
  ModelGraph(Architecture arch, Class<? extends TFloating> dtype, Loss loss, Adam adam) {
    this.arch = arch;
    this.dtype = (Class) dtype;
    this.loss = loss;
    this.adam = adam;
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
              .placeholder(this.dtype, Placeholder.shape(Shape.of(-1, arch.outputDim())));
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
      slots = adam.build(tf, dtype, shapes);
      iterationsFeed = tf.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
      for (long[] shape : shapes) {
        mFeeds.add(tf.placeholder(this.dtype, Placeholder.shape(Shape.of(shape))));
        vFeeds.add(tf.placeholder(this.dtype, Placeholder.shape(Shape.of(shape))));
      }
      slotAssigns = slots.assign(tf, new Adam.State(iterationsFeed, (List) mFeeds, (List) vFeeds));
      slotValues = slots.read(tf);

      prediction = tf.withName("prediction").identity(arch.forward(f, x, weights, null).output());
      Architecture.Forward eval = arch.forward(f, x, weights, loss);
      evalLoss = tf.math.mean(loss.perSample(f, y, eval.output(), eval.logits()), tf.constant(0));
      evalAccuracy = tf.math.mean(TrainStep.perSampleAccuracy(f, y, eval.output()), tf.constant(0));
      evalGradients = tf.gradients(evalLoss, weights);
      session = new Session(graph, SESSION_CONFIG);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
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

  /** Adam's state as values. */
  Adam.Values optimizerState() {
    Adam.State s = slotValues;
    List<Operand<?>> all = new ArrayList<>(s.m());
    all.addAll(s.v());
    Session.Runner r = session.runner().fetch(s.iterations());
    all.forEach(r::fetch);
    try (Result res = r.run()) {
      long it = ((TInt64) res.get(0)).getLong();
      List<double[]> m = new ArrayList<>();
      List<double[]> v = new ArrayList<>();
      for (int j = 0; j < shapes.size(); j++) {
        m.add(Arrays2.doubles(res.get(1 + j)));
        v.add(Arrays2.doubles(res.get(1 + shapes.size() + j)));
      }
      return new Adam.Values(it, m, v);
    }
  }

  /** Sets Adam's state (a fresh optimizer: iterations 0, zero moments). */
  void setOptimizerState(Adam.Values values) {
    int k = shapes.size();
    if (values.m().size() != k || values.v().size() != k) {
      throw new IllegalArgumentException(
          "optimizer state for "
              + values.m().size()
              + "/"
              + values.v().size()
              + " weights, the model has "
              + k);
    }
    List<Tensor> tensors = new ArrayList<>();
    try (TInt64 it = TInt64.scalarOf(values.iterations())) {
      Session.Runner r = session.runner().feed(iterationsFeed, it);
      for (int j = 0; j < k; j++) {
        Tensor m = Arrays2.tensor(dtype, Shape.of(shapes.get(j)), values.m().get(j));
        tensors.add(m);
        Tensor v = Arrays2.tensor(dtype, Shape.of(shapes.get(j)), values.v().get(j));
        tensors.add(v);
        r.feed(mFeeds.get(j), m).feed(vFeeds.get(j), v);
      }
      slotAssigns.forEach(r::addTarget);
      r.run();
    } finally {
      tensors.forEach(Tensor::close);
    }
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
    List<Operand<?>> g = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) g.add(evalGradients.dy(i));
    Session.Runner r = session.runner().feed(x, xt).feed(y, yt);
    g.forEach(r::fetch);
    try (Result res = r.run()) {
      List<double[]> out = new ArrayList<>();
      for (int i = 0; i < g.size(); i++) out.add(Arrays2.doubles(res.get(i)));
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
