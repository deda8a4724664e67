package io.github.activationlab.nn;

import io.github.activationlab.internal.tf.Arrays2;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * An optimizer's state in a model's graph, as resource variables: {@code iterations} (int64) and
 * one variable per slot (Keras's names: {@code momentum}, {@code velocity}, ...) per trainable
 * weight, shaped as the weight; with the ops that read, store, reset (a fresh optimizer: step 0,
 * zeros), fetch and feed them. Which slots exist is the optimizer's ({@link Optimizers.Rule}).
 */
final class OptimizerSlots {
  private final Class<TFloating> dtype;
  private final List<String> names;
  private final List<long[]> shapes;
  private final Operand<?> iterations;
  private final List<List<Operand<?>>> slots = new ArrayList<>();
  final Op reset;
  private final Placeholder<TInt64> iterationsFeed;
  private final List<List<Placeholder<TFloating>>> feeds = new ArrayList<>();
  private final List<Op> assigns;
  private final Optimizers.Slots values;

  @SuppressWarnings({"unchecked", "rawtypes"})
  OptimizerSlots(
      Ops tf, Class<? extends TFloating> dtype, List<String> names, List<long[]> shapes) {
    Ops opt = tf.withSubScope("optimizer");
    this.dtype = (Class) dtype;
    this.names = List.copyOf(names);
    this.shapes = List.copyOf(shapes);
    iterations =
        opt.withName("iterations")
            .varHandleOp(
                TInt64.class, Shape.scalar(), VarHandleOp.sharedName("optimizer/iterations"));
    List<Op> zero = new ArrayList<>();
    zero.add(opt.assignVariableOp(iterations, opt.constant(0L)));
    List<List<Operand<TFloating>>> feedOps = new ArrayList<>();
    for (String n : names) {
      List<Operand<?>> perWeight = new ArrayList<>();
      List<Placeholder<TFloating>> f = new ArrayList<>();
      for (int j = 0; j < shapes.size(); j++) {
        Shape shape = Shape.of(shapes.get(j));
        var h = opt.varHandleOp(this.dtype, shape, VarHandleOp.sharedName("optimizer/" + n + j));
        perWeight.add(h);
        zero.add(opt.assignVariableOp(h, opt.zeros(opt.constant(shape), this.dtype)));
        f.add(opt.placeholder(this.dtype, Placeholder.shape(shape)));
      }
      slots.add(perWeight);
      feeds.add(f);
      feedOps.add((List) f);
    }
    reset = opt.withControlDependencies(zero).withName("reset").noOp();
    iterationsFeed = opt.placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
    assigns = assign(opt, new Optimizers.Slots(iterationsFeed, feedOps));
    values = read(opt);
  }

  /** The slots' current values, read in {@code tf}'s scope. */
  Optimizers.Slots read(Ops tf) {
    List<List<Operand<TFloating>>> out = new ArrayList<>();
    for (List<Operand<?>> perWeight : slots) {
      List<Operand<TFloating>> r = new ArrayList<>();
      for (Operand<?> h : perWeight) r.add(tf.readVariableOp(h, dtype));
      out.add(r);
    }
    return new Optimizers.Slots(tf.readVariableOp(iterations, TInt64.class), out);
  }

  /** Ops that store {@code s} into the slots. */
  List<Op> assign(Ops tf, Optimizers.Slots s) {
    List<Op> ops = new ArrayList<>();
    ops.add(tf.assignVariableOp(iterations, s.iterations()));
    for (int i = 0; i < slots.size(); i++) {
      for (int j = 0; j < shapes.size(); j++) {
        ops.add(tf.assignVariableOp(slots.get(i).get(j), s.slots().get(i).get(j)));
      }
    }
    return ops;
  }

  /** The state as values. */
  Optimizer.State fetch(Session session) {
    Session.Runner r = session.runner().fetch(values.iterations());
    for (List<Operand<TFloating>> perWeight : values.slots()) perWeight.forEach(r::fetch);
    try (Result res = r.run()) {
      long it = ((TInt64) res.get(0)).getLong();
      Map<String, List<double[]>> m = new LinkedHashMap<>();
      int at = 1;
      for (String n : names) {
        List<double[]> arrays = new ArrayList<>();
        for (int j = 0; j < shapes.size(); j++) arrays.add(Arrays2.doubles(res.get(at++)));
        m.put(n, arrays);
      }
      return new Optimizer.State(it, m);
    }
  }

  /** Stores a state (already checked against the slots and shapes). */
  void set(Session session, Optimizer.State state) {
    List<Tensor> tensors = new ArrayList<>();
    try (TInt64 it = TInt64.scalarOf(state.iterations())) {
      Session.Runner r = session.runner().feed(iterationsFeed, it);
      for (int i = 0; i < names.size(); i++) {
        for (int j = 0; j < shapes.size(); j++) {
          Tensor t =
              Arrays2.tensor(dtype, Shape.of(shapes.get(j)), state.slot(names.get(i)).get(j));
          tensors.add(t);
          r.feed(feeds.get(i).get(j), t);
        }
      }
      assigns.forEach(r::addTarget);
      r.run();
    } finally {
      tensors.forEach(Tensor::close);
    }
  }
}
