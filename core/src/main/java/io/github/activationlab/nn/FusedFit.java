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
 * TrainStep} — the same ops as the per-step path — and records each step's loss and accuracy. The
 * loop's variables are named ({@link State}); one {@code FusedFit} serves one (n, B, steps)
 * combination of a model's graph.
 */
final class FusedFit {
  final Placeholder<TInt32> index;
  final Placeholder<TFloating> mask;

  /** Per step: the batch's loss and accuracy, each computed before the step's update. */
  final Operand<TFloating> losses;

  final Operand<TFloating> accuracies;

  /** Stores the trained weights and Adam's state back into the model's variables. */
  final Op train;

  /**
   * The loop's variables, in the order the While carries them: the step counter, the training set,
   * the schedule, Adam's counter, the per-step records, then the weights and Adam's moments.
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

  FusedFit(ModelGraph g, int n, int b, int steps, boolean masked, boolean xla) {
    Class<TFloating> t = g.dtype;
    Architecture arch = g.arch;
    Ops s = g.tf.withSubScope("fused_fit");
    index = s.placeholder(TInt32.class, Placeholder.shape(Shape.of(steps, b)));
    mask = s.placeholder(t, Placeholder.shape(Shape.of(steps, b)));
    int k = g.weights.size();
    int inDim = arch.inputDim();
    int outDim = arch.outputDim();

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
                new WhileLoop.Var(t, Shape.of(steps))));
    Adam.State slots = g.slots.read(s);
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
                s.zeros(s.constant(new int[] {steps}), t)));
    for (int part = 0; part < 3; part++) {
      for (int j = 0; j < k; j++) {
        vars.add(new WhileLoop.Var(t, Shape.of(g.shapes.get(j))));
        init.add(
            part == 0
                ? s.readVariableOp(g.handles.get(j), t)
                : part == 1 ? slots.m().get(j) : slots.v().get(j));
      }
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
              State st = new State(in, k);
              FloatOps f = new FloatOps(bo, t);
              Operand<TInt32> i = st.get(State.STEP);
              Operand<TInt32> idx = bo.gather(st.<TInt32>get(State.INDEX), i, bo.constant(0));
              Operand<TFloating> m =
                  masked ? bo.gather(st.<TFloating>get(State.MASK), i, bo.constant(0)) : null;
              TrainStep.Result r =
                  TrainStep.build(
                      f,
                      arch,
                      g.loss,
                      g.adam,
                      st.get(State.X),
                      st.get(State.Y),
                      idx,
                      m,
                      st.weights(),
                      st.adam());
              var at = bo.reshape(i, bo.constant(new int[] {1, 1}));
              var one = bo.constant(new int[] {1});
              return st.with(r.update())
                  .with(
                      State.LOSSES,
                      bo.tensorScatterNdUpdate(
                          st.<TFloating>get(State.LOSSES), at, bo.reshape(r.loss(), one)))
                  .with(
                      State.ACCURACIES,
                      bo.tensorScatterNdUpdate(
                          st.<TFloating>get(State.ACCURACIES), at, bo.reshape(r.accuracy(), one)))
                  .values;
            },
            xla);
    State done = new State(new ArrayList<>(out), k);
    List<Op> assigns = new ArrayList<>(g.slots.assign(s, done.adam()));
    for (int j = 0; j < k; j++) assigns.add(s.assignVariableOp(g.handles.get(j), done.weight(j)));
    train = s.withControlDependencies(assigns).withName("train").noOp();
    losses = done.get(State.LOSSES);
    accuracies = done.get(State.ACCURACIES);
  }
}
