package io.github.activationlab.nn;

import io.github.activationlab.activation.FloatOps;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Signature;
import org.tensorflow.internal.types.registry.TensorTypeRegistry;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TType;

/**
 * A whole {@code fit} as one TF op: a functional {@code While} over every step of every epoch,
 * called through a {@code StatefulPartitionedCall} that can carry {@code _XlaMustCompile} (XLA
 * compiles the entire loop, as Python's {@code tf.function(jit_compile=True)} does).
 *
 * <p>Shapes are static so that XLA can compile them: the schedule is {@link Batching.Padded}, a
 * {@code [steps, B]} matrix of sample indices with a {@code [steps, B]} mask. The body is {@link
 * TrainStep} — the same ops as the per-step path — and records each step's loss and accuracy.
 * The loop's variables are named ({@link State}); one {@code FusedFit} serves one (n, B, steps)
 * combination of a model's graph.
 */
final class FusedFit {
  private static final AtomicInteger IDS = new AtomicInteger();

  final Placeholder<TInt32> index;
  final Placeholder<TFloating> mask;
  /** Per step: the batch's loss and accuracy, each computed before the step's update. */
  final Operand<TFloating> losses;
  final Operand<TFloating> accuracies;
  /** Stores the trained weights and Adam's state back into the model's variables. */
  final Op train;

  /**
   * The loop's variables, in the order the While carries them: the step counter, the training
   * set, the schedule, Adam's counter, the per-step records, then the weights and Adam's moments.
   */
  static final class State {
    static final int STEP = 0;
    static final int X = 1;
    static final int Y = 2;
    static final int INDEX = 3;
    static final int MASK = 4;
    static final int ITERATIONS = 5;
    static final int LOSSES = 6;
    static final int ACCURACIES = 7;
    private static final int WEIGHTS = 8;

    final List<Operand<?>> values;
    private final int k;

    State(List<Operand<?>> values, int weights) {
      this.values = values;
      this.k = weights;
    }

    @SuppressWarnings("unchecked")
    <T extends TType> Operand<T> get(int i) {
      return (Operand<T>) values.get(i);
    }

    Operand<TFloating> weight(int j) {
      return get(WEIGHTS + j);
    }

    Operand<TFloating> m(int j) {
      return get(WEIGHTS + k + j);
    }

    Operand<TFloating> v(int j) {
      return get(WEIGHTS + 2 * k + j);
    }

    List<Operand<TFloating>> weights() {
      List<Operand<TFloating>> w = new ArrayList<>();
      for (int j = 0; j < k; j++) w.add(weight(j));
      return w;
    }

    Adam.State adam() {
      List<Operand<TFloating>> m = new ArrayList<>();
      List<Operand<TFloating>> v = new ArrayList<>();
      for (int j = 0; j < k; j++) {
        m.add(m(j));
        v.add(v(j));
      }
      return new Adam.State(get(ITERATIONS), m, v);
    }

    /** This state with {@code value} in place of variable {@code i}. */
    State with(int i, Operand<?> value) {
      List<Operand<?>> next = new ArrayList<>(values);
      next.set(i, value);
      return new State(next, k);
    }

    /** This state with Adam's step applied. */
    State with(Adam.Step step) {
      List<Operand<?>> next = new ArrayList<>(values);
      next.set(ITERATIONS, step.state().iterations());
      for (int j = 0; j < k; j++) {
        next.set(WEIGHTS + j, step.weights().get(j));
        next.set(WEIGHTS + k + j, step.state().m().get(j));
        next.set(WEIGHTS + 2 * k + j, step.state().v().get(j));
      }
      return new State(next, k);
    }

    static int size(int weights) {
      return WEIGHTS + 3 * weights;
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  FusedFit(ModelGraph g, int n, int b, int steps, boolean xla) {
    int id = IDS.getAndIncrement();
    Class<TFloating> t = g.dtype;
    Architecture arch = g.arch;
    Ops s = g.tf.withSubScope("fused_fit_" + id);
    index = s.placeholder(TInt32.class, Placeholder.shape(Shape.of(steps, b)));
    mask = s.placeholder(t, Placeholder.shape(Shape.of(steps, b)));
    int k = g.weights.size();
    int inDim = arch.inputDim();
    int outDim = arch.outputDim();

    // the loop's variables: types and shapes, then their initial values
    List<Class<?>> types = new ArrayList<>(List.of(TInt32.class, t, t, TInt32.class, t,
        TInt64.class, t, t));
    List<Shape> shapes = new ArrayList<>(List.of(Shape.scalar(), Shape.of(n, inDim),
        Shape.of(n, outDim), Shape.of(steps, b), Shape.of(steps, b), Shape.scalar(),
        Shape.of(steps), Shape.of(steps)));
    Adam.State slots = g.slots.read(s);
    List<Operand<?>> init = new ArrayList<>(List.of(s.constant(0),
        s.ensureShape(g.x, Shape.of(n, inDim)), s.ensureShape(g.y, Shape.of(n, outDim)), index,
        mask, slots.iterations(), s.zeros(s.constant(new int[] {steps}), t),
        s.zeros(s.constant(new int[] {steps}), t)));
    for (int part = 0; part < 3; part++) {
      for (int j = 0; j < k; j++) {
        types.add(t);
        shapes.add(Shape.of(g.shapes.get(j)));
        init.add(part == 0 ? s.readVariableOp(g.handles.get(j), t)
            : part == 1 ? slots.m().get(j) : slots.v().get(j));
      }
    }
    int nv = State.size(k);

    ConcreteFunction cond = ConcreteFunction.create(c -> {
      List<Operand<?>> in = placeholders(c, shapes, types);
      var more = c.math.less((Operand<TInt32>) in.get(State.STEP), c.constant(steps));
      return named(Signature.builder("fused_cond_" + id), in).output("out", more).build();
    });
    ConcreteFunction body = ConcreteFunction.create(bo -> {
      List<Operand<?>> in = placeholders(bo, shapes, types);
      State st = new State(in, k);
      FloatOps f = new FloatOps(bo, t);
      Operand<TInt32> i = st.get(State.STEP);
      Operand<TInt32> idx = bo.gather(st.<TInt32>get(State.INDEX), i, bo.constant(0));
      Operand<TFloating> m = bo.gather(st.<TFloating>get(State.MASK), i, bo.constant(0));
      TrainStep.Result r = TrainStep.build(f, arch, g.loss, g.adam, st.get(State.X),
          st.get(State.Y), idx, m, st.weights(), st.adam());
      var at = bo.reshape(i, bo.constant(new int[] {1, 1}));
      var one = bo.constant(new int[] {1});
      State next = st.with(r.update())
          .with(State.LOSSES, bo.tensorScatterNdUpdate(st.<TFloating>get(State.LOSSES), at,
              bo.reshape(r.loss(), one)))
          .with(State.ACCURACIES, bo.tensorScatterNdUpdate(st.<TFloating>get(State.ACCURACIES),
              at, bo.reshape(r.accuracy(), one)))
          .with(State.STEP, bo.math.add(i, bo.constant(1)));
      Signature.Builder sig = named(Signature.builder("fused_body_" + id), in);
      for (int j = 0; j < nv; j++) {
        sig.output(String.format("o%03d", j), bo.identity((Operand) next.values.get(j)));
      }
      return sig.build();
    });
    ConcreteFunction loop = ConcreteFunction.create(lo -> {
      List<Operand<?>> in = placeholders(lo, shapes, types);
      var w = lo.whileOp(in, cond, body);
      Signature.Builder sig = named(Signature.builder("fused_fit_" + id), in);
      for (int j = 0; j < nv; j++) sig.output(String.format("o%03d", j), w.output().get(j));
      return sig.build();
    });

    // the call: a StatefulPartitionedCall, marked for XLA when asked
    var builder = g.graph.opBuilder("StatefulPartitionedCall", "fused_fit_" + id + "/call",
        s.scope());
    builder.addInputList(init.stream().map(Operand::asOutput).toArray(Output[]::new));
    List<DataType> tout = new ArrayList<>();
    for (Class<?> c : types) tout.add(TensorTypeRegistry.find((Class) c).dataType());
    builder.setAttr("Tout", tout.toArray(new DataType[0]));
    builder.setAttr("f", loop);
    if (xla) builder.setAttr("_XlaMustCompile", true);
    var call = builder.build();
    List<Operand<?>> outs = new ArrayList<>();
    for (int j = 0; j < nv; j++) outs.add(call.output(j));
    State done = new State(outs, k);

    List<Op> assigns = new ArrayList<>(g.slots.assign(s, done.adam()));
    for (int j = 0; j < k; j++) assigns.add(s.assignVariableOp(g.handles.get(j), done.weight(j)));
    train = s.withControlDependencies(assigns).withName("train").noOp();
    losses = done.get(State.LOSSES);
    accuracies = done.get(State.ACCURACIES);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Operand<?>> placeholders(Ops tf, List<Shape> shapes, List<Class<?>> types) {
    List<Operand<?>> in = new ArrayList<>();
    for (int j = 0; j < shapes.size(); j++) {
      in.add(tf.withName(String.format("i%03d", j))
          .placeholder((Class) types.get(j), Placeholder.shape(shapes.get(j))));
    }
    return in;
  }

  private static Signature.Builder named(Signature.Builder b, List<Operand<?>> in) {
    for (int j = 0; j < in.size(); j++) b.input(String.format("i%03d", j), in.get(j));
    return b;
  }
}
