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
 * per-step records, the weights and the optimizer's slots ({@link SeedSweep}). The body is {@link
 * TrainStep}, the same ops as the per-step path, and records each step's loss, accuracy and
 * metrics.
 *
 * <p>Shapes are static so that XLA can compile them: the schedule is {@link Batching.Padded}, a
 * {@code [steps, B]} matrix of sample indices with a {@code [steps, B]} mask. One {@code FusedFit}
 * serves one (n, B, steps) combination of a model's graph: its loop starts from the model's
 * variables and stores the trained weights and the optimizer's state back into them ({@link
 * #train}).
 */
final class FusedFit {
  final Placeholder<TInt32> index;
  final Placeholder<TFloating> mask;

  /** The fit's seed (int64 scalar): with the step count, the seed of each step's Dropout masks. */
  final Placeholder<TInt64> seed;

  /** Per step: the batch's loss and accuracy, each computed before the step's update. */
  final Operand<TFloating> losses;

  final Operand<TFloating> accuracies;

  /** Per step and metric: the batch's metric value, each computed before the step's update. */
  final List<Operand<TFloating>> metrics;

  /** Stores the trained weights and the optimizer's state back into the model's variables. */
  final Op train;

  /**
   * The loop's variables by name, in the order the While carries them. A fit's shapes: the training
   * set {@code x [n, in]} and {@code y [n, out]}, the schedule {@code index [steps, B]} and {@code
   * mask [steps, B]}, the drawn schedule's {@code generator}, the fit's {@code seed}, the
   * optimizer's counter {@code iterations}, the records {@code losses [steps]}, {@code accuracies
   * [steps]} and one per metric, then every weight (non-trainable state too, in {@link
   * Architecture#weights()} order) with its optimizer slots ({@code slots.get(j)}: one per slot
   * name of a trainable weight, in the weight's shape; none for state). A sweep's: the same with a
   * trailing seed axis on {@code index [steps, B, S]}, the records {@code [steps per epoch, S]}
   * (the last epoch's: {@link #record}), and every weight and slot ({@code [in, out, S]}, {@code
   * [out, S]}): every seed its own batches, weights and optimizer state; the counter, the seed and
   * the mask are shared (every seed takes the same steps).
   */
  record State(
      Operand<TFloating> x,
      Operand<TFloating> y,
      Operand<TInt32> index,
      Operand<TFloating> mask,
      Operand<TInt64> generator,
      Operand<TInt64> seed,
      Operand<TInt64> iterations,
      Operand<TFloating> losses,
      Operand<TFloating> accuracies,
      List<Operand<TFloating>> metrics,
      List<Operand<TFloating>> weights,
      List<List<Operand<TFloating>>> slots) {

    /**
     * The variables as the While carries them: the fields in their order, each weight packed with
     * its slots into one variable {@code [1 + slots, shape...]} (weight, then its slots). (A loop
     * variable updated in place is written by a scalar loop: XLA's CPU code cannot tell that the
     * old and the new value share a buffer at the same offset. A packed one is rebuilt from slices
     * of the old one, so its new value goes to a fresh buffer by vectorised code, then into the
     * loop's by a copy.)
     */
    List<Operand<?>> flat(Ops tf) {
      List<Operand<?>> all =
          new ArrayList<>(
              List.of(x, y, index, mask, generator, seed, iterations, losses, accuracies));
      all.addAll(metrics);
      for (int j = 0; j < weights.size(); j++) {
        List<Operand<TFloating>> packed = new ArrayList<>();
        packed.add(weights.get(j));
        packed.addAll(slots.get(j));
        all.add(tf.stack(packed));
      }
      return all;
    }

    /**
     * The state from {@link #flat}'s order, shaped as {@code like} (its metrics, weights and slots
     * per weight); a variable that is null, not returned by a loop, gives nulls.
     */
    @SuppressWarnings("unchecked")
    static State of(Ops tf, List<? extends Operand<?>> flat, State like) {
      Iterator<? extends Operand<?>> it = flat.iterator();
      var x = (Operand<TFloating>) it.next();
      var y = (Operand<TFloating>) it.next();
      var index = (Operand<TInt32>) it.next();
      var mask = (Operand<TFloating>) it.next();
      var generator = (Operand<TInt64>) it.next();
      var seed = (Operand<TInt64>) it.next();
      var iterations = (Operand<TInt64>) it.next();
      var losses = (Operand<TFloating>) it.next();
      var accuracies = (Operand<TFloating>) it.next();
      List<Operand<TFloating>> metrics = new ArrayList<>();
      for (int q = 0; q < like.metrics().size(); q++) metrics.add((Operand<TFloating>) it.next());
      List<Operand<TFloating>> w = new ArrayList<>();
      List<List<Operand<TFloating>>> slots = new ArrayList<>();
      for (int j = 0; j < like.weights().size(); j++) {
        var packed = (Operand<TFloating>) it.next();
        int parts = 1 + like.slots().get(j).size();
        List<Operand<TFloating>> p = new ArrayList<>();
        if (packed == null) {
          for (int i = 0; i < parts; i++) p.add(null);
        } else {
          List<Output<TFloating>> u = tf.unstack(packed, (long) parts, Unstack.axis(0L)).output();
          p.addAll(u);
        }
        w.add(p.get(0));
        slots.add(new ArrayList<>(p.subList(1, parts)));
      }
      return new State(
          x, y, index, mask, generator, seed, iterations, losses, accuracies, metrics, w, slots);
    }

    /**
     * Which variables of {@link #flat}'s order a sweep reads after its loop: losses and weights.
     */
    List<Boolean> lossesAndWeights() {
      List<Boolean> keep =
          new ArrayList<>(List.of(false, false, false, false, false, false, false, true, false));
      for (int q = 0; q < metrics.size(); q++) keep.add(false);
      for (int j = 0; j < weights.size(); j++) keep.add(true);
      return keep;
    }

    /** The optimizer's state: per slot name, one tensor per trainable weight. */
    Optimizers.Slots optimizer() {
      int names = slots.stream().mapToInt(List::size).max().orElse(0);
      List<List<Operand<TFloating>>> bySlot = new ArrayList<>();
      for (int i = 0; i < names; i++) {
        List<Operand<TFloating>> perWeight = new ArrayList<>();
        for (List<Operand<TFloating>> s : slots) if (!s.isEmpty()) perWeight.add(s.get(i));
        bySlot.add(perWeight);
      }
      return new Optimizers.Slots(iterations, bySlot);
    }

    /**
     * The optimizer's state per weight, as {@link State#slots()} holds it: each trainable weight
     * (in {@code trainable}'s order) its slots, the others none.
     */
    static List<List<Operand<TFloating>>> perWeight(List<Boolean> trainable, Optimizers.Slots s) {
      List<List<Operand<TFloating>>> out = new ArrayList<>();
      int t = 0;
      for (boolean isTrainable : trainable) {
        List<Operand<TFloating>> own = new ArrayList<>();
        if (isTrainable) {
          for (List<Operand<TFloating>> slot : s.slots()) own.add(slot.get(t));
          t++;
        }
        out.add(own);
      }
      return out;
    }

    /**
     * The state after step {@code step}: the generator past the step's draw, the new weights and
     * optimizer state, the step's loss, accuracy and metrics recorded.
     */
    State after(Ops tf, Operand<TInt32> step, Operand<TInt64> drawn, TrainStep.Result r) {
      // a weight with slots is trainable; without, state (or any weight of an optimizer without
      // slots, which then has none to place)
      List<Boolean> trainable = slots.stream().map(s -> !s.isEmpty()).toList();
      List<Operand<TFloating>> m = new ArrayList<>();
      for (int q = 0; q < metrics.size(); q++) {
        m.add(record(tf, metrics.get(q), step, r.metrics().get(q)));
      }
      return new State(
          x,
          y,
          index,
          mask,
          drawn,
          seed,
          r.state().iterations(),
          record(tf, losses, step, r.loss()),
          record(tf, accuracies, step, r.accuracy()),
          m,
          r.weights(),
          perWeight(trainable, r.state()));
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
    seed = s.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
    Optimizers.Slots slots = g.slots.read(s);
    List<Operand<TFloating>> weights = new ArrayList<>();
    for (Operand<?> h : g.handles) weights.add(s.readVariableOp(h, t));
    List<Boolean> trainable = arch.weights().stream().map(Architecture.Weight::trainable).toList();
    var records = s.constant(new long[] {steps});
    List<Operand<TFloating>> metricRecords = new ArrayList<>();
    for (int q = 0; q < g.metrics.size(); q++) metricRecords.add(s.zeros(records, t));
    State init =
        new State(
            s.ensureShape(g.x, Shape.of(n, arch.inputDim())),
            s.ensureShape(g.y, Shape.of(n, ModelGraph.targetDim(arch, g.loss))),
            index,
            mask,
            s.constant(0L), // a fed schedule needs no generator
            seed,
            slots.iterations(),
            s.zeros(records, t),
            s.zeros(records, t),
            metricRecords,
            weights,
            State.perWeight(trainable, slots));
    var model = new TrainStep.Compiled(arch, g.loss, g.optimizer, g.metrics);
    var setup = new Setup(model, steps, masked, Batches.FED, xla);
    State done = loop(g.graph, s, setup, init, null);
    List<Op> assigns = new ArrayList<>(g.slots.assign(s, done.optimizer()));
    for (int j = 0; j < weights.size(); j++) {
      assigns.add(s.assignVariableOp(g.handles.get(j), done.weights().get(j)));
    }
    train = s.withControlDependencies(assigns).withName("train").noOp();
    losses = done.losses();
    accuracies = done.accuracies();
    metrics = done.metrics();
  }

  /**
   * What a loop trains and how: the model as compiled, the steps, whether some batch is partial (a
   * mask), where the batches come from, and whether XLA compiles it.
   */
  record Setup(TrainStep.Compiled model, int steps, boolean masked, Batches batches, boolean xla) {}

  /**
   * The loop: {@code steps} runs of {@link TrainStep} from {@code init} (a fit's shapes, or a
   * sweep's with the trailing seed axis), one op; returns the final state, of which only the
   * variables {@code keep} names (in {@link State#flat}'s order; null: all) are computed, the
   * others null. Each step takes its batch from the fed schedule (its row of {@code index}, and of
   * the mask when {@code masked}: some batch is partial) or draws it ({@link Batches}).
   */
  static State loop(Graph graph, Ops scope, Setup setup, State init, List<Boolean> keep) {
    Batches batches = setup.batches();
    int n = (int) init.x().shape().size(0);
    Class<TFloating> t = init.x().type();
    List<? extends Operand<?>> out =
        WhileLoop.run(
            graph,
            scope,
            "fused_fit",
            init.flat(scope),
            setup.steps(),
            (bo, i, in) -> {
              State st = State.of(bo, in, init);
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
              Operand<TFloating> m = setup.masked() ? bo.gather(st.mask(), i, row) : null;
              TrainStep.Result r =
                  TrainStep.build(
                      new FloatOps(bo, t),
                      setup.model(),
                      st.x(),
                      st.y(),
                      index,
                      m,
                      st.seed(),
                      st.weights(),
                      st.optimizer());
              return st.after(bo, i, generator, r).flat(bo);
            },
            setup.xla(),
            keep);
    return State.of(scope, out, init);
  }
}
