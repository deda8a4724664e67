package io.github.activationlab.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Signature;
import org.tensorflow.internal.types.registry.TensorTypeRegistry;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TInt32;

/**
 * A functional {@code While} over loop variables of static type and shape, run for a fixed number
 * of steps and called as ONE op: a {@code StatefulPartitionedCall} that can carry {@code
 * _XlaMustCompile}, so that XLA compiles the entire loop, as Python's {@code
 * tf.function(jit_compile=True)} does. The loop owns its step counter (int32, from 0), which the
 * body reads and the loop advances.
 */
final class WhileLoop {
  private static final AtomicInteger IDS = new AtomicInteger();

  private WhileLoop() {}

  /** One step: the variables' next values, given the step's number and their current values. */
  @FunctionalInterface
  interface Body {
    List<Operand<?>> apply(Ops tf, Operand<TInt32> step, List<Operand<?>> vars);
  }

  /**
   * Builds the loop into {@code graph} under {@code scope}; returns the variables' final values.
   *
   * @param init the variables' initial values; their types and static shapes are the loop's
   * @param keep which variables the op returns, in order (null: all; the others are null in the
   *     result, and XLA drops what only they need)
   */
  static List<Output<?>> run(
      Graph graph,
      Ops scope,
      String name,
      List<? extends Operand<?>> init,
      int steps,
      Body body,
      boolean xla,
      List<Boolean> keep) {
    for (Operand<?> v : init) {
      if (v.shape().hasUnknownDimension()) {
        throw new IllegalArgumentException("a loop variable of unknown shape " + v.shape());
      }
    }
    int id = IDS.getAndIncrement();
    String base = name + "_" + id;
    int nv = init.size();
    List<Operand<?>> counted = new ArrayList<>();
    ConcreteFunction cond =
        ConcreteFunction.create(
            c -> {
              var counter = counter(c);
              var more = c.math.less(counter, c.constant(steps));
              var sig = Signature.builder(base + "_cond").input(key("i", 0), counter);
              return named(sig, placeholders(c, init)).output("out", more).build();
            });
    ConcreteFunction step =
        ConcreteFunction.create(
            bo -> {
              var counter = counter(bo);
              List<Operand<?>> in = placeholders(bo, init);
              List<Operand<?>> next = body.apply(bo, counter, in);
              var sig = Signature.builder(base + "_body").input(key("i", 0), counter);
              sig = named(sig, in).output(key("o", 0), bo.math.add(counter, bo.constant(1)));
              for (int j = 0; j < nv; j++) {
                sig.output(key("o", j + 1), bo.identity((Operand) next.get(j)));
              }
              return sig.build();
            });
    ConcreteFunction loop =
        ConcreteFunction.create(
            lo -> {
              List<Operand<?>> in = placeholders(lo, init);
              counted.clear();
              counted.add(lo.constant(0));
              counted.addAll(in);
              var w = lo.whileOp(counted, cond, step);
              Signature.Builder sig = named(Signature.builder(base), in);
              for (int j = 0; j < nv; j++) {
                if (keep == null || keep.get(j)) sig.output(key("o", j), w.output().get(j + 1));
              }
              return sig.build();
            });
    var builder = graph.opBuilder("StatefulPartitionedCall", base + "/call", scope.scope());
    builder.addInputList(init.stream().map(Operand::asOutput).toArray(Output[]::new));
    List<DataType> tout = new ArrayList<>();
    for (int j = 0; j < nv; j++) {
      if (keep == null || keep.get(j)) tout.add(dataType(init.get(j)));
    }
    builder.setAttr("Tout", tout.toArray(new DataType[0]));
    builder.setAttr("f", loop);
    if (xla) builder.setAttr("_XlaMustCompile", true);
    var call = builder.build();
    List<Output<?>> out = new ArrayList<>();
    for (int j = 0, o = 0; j < nv; j++) {
      out.add(keep == null || keep.get(j) ? call.output(o++) : null);
    }
    return out;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static DataType dataType(Operand<?> v) {
    return TensorTypeRegistry.find((Class) v.type()).dataType();
  }

  /** Names in the order of the function's arguments: the counter is argument 0 of cond and body. */
  private static String key(String prefix, int j) {
    return String.format("%s%03d", prefix, j);
  }

  private static Operand<TInt32> counter(Ops tf) {
    return tf.withName(key("i", 0)).placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Operand<?>> placeholders(Ops tf, List<? extends Operand<?>> like) {
    List<Operand<?>> in = new ArrayList<>();
    for (int j = 0; j < like.size(); j++) {
      Operand<?> v = like.get(j);
      in.add(
          tf.withName(key("i", j + 1)).placeholder((Class) v.type(), Placeholder.shape(v.shape())));
    }
    return in;
  }

  private static Signature.Builder named(Signature.Builder b, List<Operand<?>> in) {
    for (int j = 0; j < in.size(); j++) b.input(key("i", j + 1), in.get(j));
    return b;
  }
}
