package io.github.activationlab.nn;

import io.github.activationlab.tf.FloatOps;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * A whole {@code fit} as one TF op: a {@link WhileLoop} over every step of every epoch, which XLA
 * compiles entire (as Python's {@code tf.function(jit_compile=True)} does) unless asked not to.
 *
 * <p>The loop is written once ({@link #loop}) for two shapes of the same {@link State}: a fit's,
 * and a seed sweep's, which is the fit's state with a trailing seed axis of S on the schedule, the
 * per-step records, the weights and Adam's moments ({@link SeedSweep}). The body is {@link
 * TrainStep}, the same ops as the per-step path, and records each step's loss and accuracy.
 *
 * <p>Shapes are static so that XLA can compile them: the schedule is {@link Batching.Padded}, a
 * {@code [steps, B]} matrix of sample indices with a {@code [steps, B]} mask. One {@code FusedFit}
 * serves one (n, B, steps) combination of a model's graph: its loop starts from the model's
 * variables and stores the trained weights and Adam's state back into them ({@link #train}).
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
   * The loop's variables by name, in the order the While carries them. A fit's shapes: the training
   * set {@code x [n, in]} and {@code y [n, out]}, the schedule {@code index [steps, B]} and {@code
   * mask [steps, B]}, Adam's counter {@code iterations}, the records {@code losses [steps]} and
   * {@code accuracies [steps]}, then each weight and its moments {@code m}, {@code v} in the
   * weight's shape. A sweep's: the same with a trailing seed axis on {@code index [steps, B, S]},
   * the records {@code [steps per epoch, S]} (the last epoch's: {@link #record}), and every weight,
   * m and v ({@code [in, out, S]}, {@code [out, S]}): every seed its own batches, weights and
   * moments; the counter and the mask are shared (every seed takes the same steps).
   */
  record State(
      Operand<TFloating> x,
      Operand<TFloating> y,
      Operand<TInt32> index,
      Operand<TFloating> mask,
      Operand<TInt64> generator,
      Operand<TInt64> iterations,
      Operand<TFloating> losses,
      Operand<TFloating> accuracies,
      List<Operand<TFloating>> weights,
      List<Operand<TFloating>> m,
      List<Operand<TFloating>> v) {

    /**
     * The variables as the While carries them: the fields in their order, each weight packed with
     * its moments into one slot {@code [3, shape...]} (weight, m, v). (A loop variable updated in
     * place is written by a scalar loop: XLA's CPU code cannot tell that the old and the new value
     * share a buffer at the same offset. A slot is rebuilt from slices of the old one, so its new
     * value goes to a fresh buffer by vectorised code, then into the loop's by a copy.)
     */
    List<Operand<?>> flat(Ops tf) {
      List<Operand<?>> all =
          new ArrayList<>(List.of(x, y, index, mask, generator, iterations, losses, accuracies));
      for (int j = 0; j < weights.size(); j++) {
        all.add(tf.stack(List.of(weights.get(j), m.get(j), v.get(j))));
      }
      return all;
    }

    /**
     * The state of {@code k} weights from {@link #flat}'s order (a slot that is null, not returned
     * by a loop, gives null weights and moments).
     */
    @SuppressWarnings("unchecked")
    static State of(Ops tf, List<? extends Operand<?>> flat, int k) {
      Iterator<? extends Operand<?>> it = flat.iterator();
      var x = (Operand<TFloating>) it.next();
      var y = (Operand<TFloating>) it.next();
      var index = (Operand<TInt32>) it.next();
      var mask = (Operand<TFloating>) it.next();
      var generator = (Operand<TInt64>) it.next();
      var iterations = (Operand<TInt64>) it.next();
      var losses = (Operand<TFloating>) it.next();
      var accuracies = (Operand<TFloating>) it.next();
      List<Operand<TFloating>> w = new ArrayList<>();
      List<Operand<TFloating>> m = new ArrayList<>();
      List<Operand<TFloating>> v = new ArrayList<>();
      for (int j = 0; j < k; j++) {
        var slot = (Operand<TFloating>) it.next();
        List<Output<TFloating>> parts =
            slot == null ? null : tf.unstack(slot, 3L, Unstack.axis(0L)).output();
        w.add(parts == null ? null : parts.get(0));
        m.add(parts == null ? null : parts.get(1));
        v.add(parts == null ? null : parts.get(2));
      }
      return new State(x, y, index, mask, generator, iterations, losses, accuracies, w, m, v);
    }

    /** Which variables of {@link #flat}'s order a sweep reads after its loop: losses and slots. */
    static List<Boolean> lossesAndWeights(int k) {
      List<Boolean> keep =
          new ArrayList<>(List.of(false, false, false, false, false, false, true, false));
      for (int j = 0; j < k; j++) keep.add(true);
      return keep;
    }

    Adam.State adam() {
      return new Adam.State(iterations, m, v);
    }

    /**
     * The state after step {@code step}: the generator past the step's draw, Adam's update applied,
     * the step's loss and accuracy recorded.
     */
    State after(Ops tf, Operand<TInt32> step, Operand<TInt64> drawn, TrainStep.Result r) {
      Adam.Step u = r.update();
      return new State(
          x,
          y,
          index,
          mask,
          drawn,
          u.state().iterations(),
          record(tf, losses, step, r.loss()),
          record(tf, accuracies, step, r.accuracy()),
          u.weights(),
          u.state().m(),
          u.state().v());
    }

    /**
     * {@code records} with row {@code step} set to {@code value} (a scalar, or one per seed). The
     * rows are a ring: a fit keeps one per step, a sweep only the last epoch's ({@code step} modulo
     * the rows), which is all it reads.
     */
    private static Operand<TFloating> record(
        Ops tf, Operand<TFloating> records, Operand<TInt32> step, Operand<TFloating> value) {
      long[] row = new long[value.shape().numDimensions() + 1];
      row[0] = 1;
      for (int d = 1; d < row.length; d++) row[d] = value.shape().size(d - 1);
      var at = tf.math.floorMod(step, tf.constant((int) records.shape().size(0)));
      return tf.tensorScatterNdUpdate(
          records,
          tf.reshape(at, tf.constant(new int[] {1, 1})),
          tf.reshape(value, tf.constant(Shape.of(row).asArray())));
    }
  }

  /**
   * Where a loop's batches come from: the fed schedule ({@code index}, {@code mask}; a fit's), or
   * drawn in the loop from each seed's generator ({@link DrawnShuffle}: a sweep of a few samples in
   * one batch per epoch, where writing and copying the schedule of every seed would cost more than
   * the training), shuffled or in order. The two give the same batches (DrawnShuffleTest), so a
   * sweep's seed s still ends where fit with seed s ends (SeedSweepTest).
   */
  enum Batches {
    FED,
    DRAWN,
    IN_ORDER;

    /** How a loop runs {@code recipe}: drawn where {@link DrawnShuffle} applies, else fed. */
    static Batches of(Batching recipe) {
      if (!DrawnShuffle.applies(recipe)) return FED;
      return recipe.shuffle() ? DRAWN : IN_ORDER;
    }
  }

  /**
   * A fit's loop: its schedule fed (Batching's), which builds and compiles fastest (a new model's
   * first fit, a process's cold start); its state read from the model's variables and stored back.
   */
  FusedFit(ModelGraph g, int n, int b, int steps, boolean masked, boolean xla) {
    Class<TFloating> t = g.dtype;
    Architecture arch = g.arch;
    Ops s = g.tf.withSubScope("fused_fit");
    index = s.placeholder(TInt32.class, Placeholder.shape(Shape.of(steps, b)));
    mask = s.placeholder(t, Placeholder.shape(Shape.of(steps, b)));
    Adam.State slots = g.slots.read(s);
    List<Operand<TFloating>> weights = new ArrayList<>();
    for (Operand<?> h : g.handles) weights.add(s.readVariableOp(h, t));
    var records = s.constant(new long[] {steps});
    State init =
        new State(
            s.ensureShape(g.x, Shape.of(n, arch.inputDim())),
            s.ensureShape(g.y, Shape.of(n, arch.outputDim())),
            index,
            mask,
            s.constant(0L), // a fed schedule needs no generator
            slots.iterations(),
            s.zeros(records, t),
            s.zeros(records, t),
            weights,
            slots.m(),
            slots.v());
    var setup = new Setup(arch, g.loss, g.adam, steps, masked, Batches.FED, xla);
    State done = loop(g.graph, s, setup, init, null);
    List<Op> assigns = new ArrayList<>(g.slots.assign(s, done.adam()));
    for (int j = 0; j < weights.size(); j++) {
      assigns.add(s.assignVariableOp(g.handles.get(j), done.weights().get(j)));
    }
    train = s.withControlDependencies(assigns).withName("train").noOp();
    losses = done.losses();
    accuracies = done.accuracies();
  }

  /**
   * What a loop trains and how: the model, its loss and optimizer, the steps, whether some batch is
   * partial (a mask), where the batches come from, and whether XLA compiles it.
   */
  record Setup(
      Architecture arch,
      Loss loss,
      Adam adam,
      int steps,
      boolean masked,
      Batches batches,
      boolean xla) {}

  /**
   * The loop: {@code steps} runs of {@link TrainStep} from {@code init} (a fit's shapes, or a
   * sweep's with the trailing seed axis), one op; returns the final state, of which only the
   * variables {@code keep} names (in {@link State#flat}'s order; null: all) are computed, the
   * others null. Each step takes its batch from the fed schedule (its row of {@code index}, and of
   * the mask when {@code masked}: some batch is partial) or draws it ({@link Batches}).
   */
  static State loop(Graph graph, Ops scope, Setup setup, State init, List<Boolean> keep) {
    Architecture arch = setup.arch();
    Loss loss = setup.loss();
    Adam adam = setup.adam();
    int steps = setup.steps();
    boolean masked = setup.masked();
    Batches batches = setup.batches();
    boolean xla = setup.xla();
    int k = init.weights().size();
    int n = (int) init.x().shape().size(0);
    Class<TFloating> t = init.x().type();
    List<? extends Operand<?>> out =
        WhileLoop.run(
            graph,
            scope,
            "fused_fit",
            init.flat(scope),
            steps,
            (bo, i, in) -> {
              State st = State.of(bo, in, k);
              var row = bo.constant(0);
              Operand<TInt32> index;
              Operand<TInt64> generator = st.generator();
              if (batches == Batches.FED) {
                index = bo.gather(st.index(), i, row);
              } else {
                var draw = DrawnShuffle.next(bo, generator, n, batches == Batches.DRAWN);
                index = draw.order();
                generator = draw.generator();
              }
              Operand<TFloating> m = masked ? bo.gather(st.mask(), i, row) : null;
              TrainStep.Result r =
                  TrainStep.build(
                      new FloatOps(bo, t),
                      arch,
                      loss,
                      adam,
                      st.x(),
                      st.y(),
                      index,
                      m,
                      st.weights(),
                      st.adam());
              return st.after(bo, i, generator, r).flat(bo);
            },
            xla,
            keep);
    return State.of(scope, out, k);
  }
}
