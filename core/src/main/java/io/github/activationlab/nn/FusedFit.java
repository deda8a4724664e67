package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TType;

/**
 * A whole {@code fit} as one TF op: a {@link WhileLoop} over every step of every epoch, which XLA
 * compiles entire (as Python's {@code tf.function(jit_compile=True)} does) unless asked not to.
 *
 * <p>Shapes are static so that XLA can compile them: the schedule is {@link Batching.Padded}, a
 * {@code [steps, B]} matrix of sample indices with a {@code [steps, B]} mask. The body is {@link
 * TrainStep} — the same ops as the per-step path — and records each step's loss, accuracy and
 * metrics. The loop's variables are named ({@link State}); one {@code FusedFit} serves one (n, B,
 * steps) combination of a model's graph.
 */
final class FusedFit {
  final Placeholder<TInt32> index;
  final Placeholder<TFloating> mask;

  /** Per step: the batch's loss and accuracy, each computed before the step's update. */
  final Operand<TFloating> losses;

  final Operand<TFloating> accuracies;

  /** Stores the trained weights and the optimizer's state back into the model's variables. */
  final Op train;

  /** The fit's seed (int64 scalar): with the step count, the seed of each step's Dropout masks. */
  final Placeholder<TInt64> seed;

  /** Per step and metric: the batch's metric value, each computed before the step's update. */
  final List<Operand<TFloating>> metrics = new ArrayList<>();

  /**
   * The loop's variables, in the order the While carries them: the step counter, the training set,
   * the schedule, the optimizer's counter, the per-step records, the fit's seed, then every weight
   * (non-trainable state too), the optimizer's slots (slot by slot, one per trainable weight) and
   * each metric's per-step record.
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
    static final int SEED = 8;
    private static final int WEIGHTS = 9;

    final List<Operand<?>> values;
    private final int k;
    private final int slots;
    private final int trainable;

    State(List<Operand<?>> values, int weights, int slots, int trainable) {
      this.values = values;
      this.k = weights;
      this.slots = slots;
      this.trainable = trainable;
    }

    @SuppressWarnings("unchecked")
    <T extends TType> Operand<T> get(int i) {
      return (Operand<T>) values.get(i);
    }

    Operand<TFloating> weight(int j) {
      return get(WEIGHTS + j);
    }

    private int slot(int i, int j) {
      return WEIGHTS + k + i * trainable + j;
    }

    int metric(int i) {
      return WEIGHTS + k + slots * trainable + i;
    }

    List<Operand<TFloating>> weights() {
      List<Operand<TFloating>> w = new ArrayList<>();
      for (int j = 0; j < k; j++) w.add(weight(j));
      return w;
    }

    Optimizers.Slots optimizer() {
      List<List<Operand<TFloating>>> s = new ArrayList<>();
      for (int i = 0; i < slots; i++) {
        List<Operand<TFloating>> perWeight = new ArrayList<>();
        for (int j = 0; j < trainable; j++) perWeight.add(get(slot(i, j)));
        s.add(perWeight);
      }
      return new Optimizers.Slots(get(ITERATIONS), s);
    }

    /** This state with {@code value} in place of variable {@code i}. */
    State with(int i, Operand<?> value) {
      List<Operand<?>> next = new ArrayList<>(values);
      next.set(i, value);
      return new State(next, k, slots, trainable);
    }

    /** This state after a step: the new weights and optimizer state. */
    State with(TrainStep.Result r) {
      List<Operand<?>> next = new ArrayList<>(values);
      next.set(ITERATIONS, r.state().iterations());
      for (int j = 0; j < k; j++) next.set(WEIGHTS + j, r.weights().get(j));
      for (int i = 0; i < slots; i++) {
        for (int j = 0; j < trainable; j++) next.set(slot(i, j), r.state().slots().get(i).get(j));
      }
      return new State(next, k, slots, trainable);
    }
  }

  FusedFit(ModelGraph g, int n, int b, int steps, boolean masked, boolean xla) {
    Class<TFloating> t = g.dtype;
    Architecture arch = g.arch;
    Ops s = g.tf.withSubScope("fused_fit");
    index = s.placeholder(TInt32.class, Placeholder.shape(Shape.of(steps, b)));
    mask = s.placeholder(t, Placeholder.shape(Shape.of(steps, b)));
    seed = s.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
    int k = g.weights.size();
    int inDim = arch.inputDim();
    int outDim = ModelGraph.targetDim(arch, g.loss);
    List<long[]> trainableShapes = g.trainableShapes();
    int nt = trainableShapes.size();
    int ns = Optimizers.rule(g.optimizer).slotNames().size();
    int nm = g.metrics.size();

    // the loop's variables (State's order): types and shapes, then their initial values
    List<WhileLoop.Var> vars =
        new ArrayList<>(
            List.of(
                new WhileLoop.Var(TInt32.class, Shape.scalar()),
                new WhileLoop.Var(t, Shape.of(n, inDim)),
                new WhileLoop.Var(t, Shape.of(n, outDim)),
                new WhileLoop.Var(TInt32.class, Shape.of(steps, b)),
                new WhileLoop.Var(t, Shape.of(steps, b)),
                new WhileLoop.Var(TInt64.class, Shape.scalar()),
                new WhileLoop.Var(t, Shape.of(steps)),
                new WhileLoop.Var(t, Shape.of(steps)),
                new WhileLoop.Var(TInt64.class, Shape.scalar())));
    Optimizers.Slots slots = g.slots.read(s);
    List<Operand<?>> init =
        new ArrayList<>(
            List.of(
                s.constant(0),
                s.ensureShape(g.x, Shape.of(n, inDim)),
                s.ensureShape(g.y, Shape.of(n, outDim)),
                index,
                mask,
                slots.iterations(),
                s.zeros(s.constant(new int[] {steps}), t),
                s.zeros(s.constant(new int[] {steps}), t),
                seed));
    for (int j = 0; j < k; j++) {
      vars.add(new WhileLoop.Var(t, Shape.of(g.shapes.get(j))));
      init.add(s.readVariableOp(g.handles.get(j), t));
    }
    for (int i = 0; i < ns; i++) {
      for (int j = 0; j < nt; j++) {
        vars.add(new WhileLoop.Var(t, Shape.of(trainableShapes.get(j))));
        init.add(slots.slots().get(i).get(j));
      }
    }
    for (int i = 0; i < nm; i++) {
      vars.add(new WhileLoop.Var(t, Shape.of(steps)));
      init.add(s.zeros(s.constant(new int[] {steps}), t));
    }
    List<Output<?>> out =
        WhileLoop.run(
            g.graph,
            s,
            "fused_fit",
            vars,
            init,
            steps,
            (bo, in) -> {
              State st = new State(in, k, ns, nt);
              FloatOps f = new FloatOps(bo, t);
              Operand<TInt32> i = st.get(State.STEP);
              Operand<TInt32> idx = bo.gather(st.<TInt32>get(State.INDEX), i, bo.constant(0));
              Operand<TFloating> m =
                  masked ? bo.gather(st.<TFloating>get(State.MASK), i, bo.constant(0)) : null;
              TrainStep.Result r =
                  TrainStep.build(
                      f,
                      g,
                      st.get(State.X),
                      st.get(State.Y),
                      idx,
                      m,
                      st.get(State.SEED),
                      st.weights(),
                      st.optimizer());
              var at = bo.reshape(i, bo.constant(new int[] {1, 1}));
              var one = bo.constant(new int[] {1});
              State next =
                  st.with(r)
                      .with(State.LOSSES, record(bo, st.get(State.LOSSES), at, r.loss(), one))
                      .with(
                          State.ACCURACIES,
                          record(bo, st.get(State.ACCURACIES), at, r.accuracy(), one));
              for (int q = 0; q < nm; q++) {
                next =
                    next.with(
                        st.metric(q),
                        record(bo, st.get(st.metric(q)), at, r.metrics().get(q), one));
              }
              return next.values;
            },
            xla);
    State done = new State(new ArrayList<>(out), k, ns, nt);
    List<Op> assigns = new ArrayList<>(g.slots.assign(s, done.optimizer()));
    for (int j = 0; j < k; j++) assigns.add(s.assignVariableOp(g.handles.get(j), done.weight(j)));
    train = s.withControlDependencies(assigns).withName("train").noOp();
    losses = done.get(State.LOSSES);
    accuracies = done.get(State.ACCURACIES);
    for (int q = 0; q < nm; q++) metrics.add(done.get(done.metric(q)));
  }

  /** {@code records} with {@code value} at step {@code at}. */
  private static Operand<TFloating> record(
      Ops bo,
      Operand<TFloating> records,
      Operand<TInt32> at,
      Operand<TFloating> value,
      Operand<TInt32> one) {
    return bo.tensorScatterNdUpdate(records, at, bo.reshape(value, one));
  }
}
