package io.github.activationlab.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
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
 * tf.function(jit_compile=True)} does. Variable 0 is the step counter (int32 scalar, from 0).
 */
final class WhileLoop {
  private static final AtomicInteger IDS = new AtomicInteger();

  private WhileLoop() {}

  /** A loop variable's type and static shape. */
  record Var(Class<?> type, Shape shape) {}

  /**
   * Builds the loop into {@code graph} under {@code scope}; returns the variables' final values.
   *
   * @param body the next values of all variables, given the current ones (the step counter is
   *     advanced here, after the body)
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static List<Output<?>> run(
      Graph graph,
      Ops scope,
      String name,
      List<Var> vars,
      List<Operand<?>> init,
      int steps,
      BiFunction<Ops, List<Operand<?>>, List<Operand<?>>> body,
      boolean xla) {
    int id = IDS.getAndIncrement();
    String base = name + "_" + id;
    int nv = vars.size();
    ConcreteFunction cond =
        ConcreteFunction.create(
            c -> {
              List<Operand<?>> in = placeholders(c, vars);
              var more = c.math.less((Operand<TInt32>) in.get(0), c.constant(steps));
              return named(Signature.builder(base + "_cond"), in).output("out", more).build();
            });
    ConcreteFunction step =
        ConcreteFunction.create(
            bo -> {
              List<Operand<?>> in = placeholders(bo, vars);
              List<Operand<?>> next = new ArrayList<>(body.apply(bo, in));
              next.set(0, bo.math.add((Operand<TInt32>) in.get(0), bo.constant(1)));
              Signature.Builder sig = named(Signature.builder(base + "_body"), in);
              for (int j = 0; j < nv; j++) {
                sig.output(String.format("o%03d", j), bo.identity((Operand) next.get(j)));
              }
              return sig.build();
            });
    ConcreteFunction loop =
        ConcreteFunction.create(
            lo -> {
              List<Operand<?>> in = placeholders(lo, vars);
              var w = lo.whileOp(in, cond, step);
              Signature.Builder sig = named(Signature.builder(base), in);
              for (int j = 0; j < nv; j++) sig.output(String.format("o%03d", j), w.output().get(j));
              return sig.build();
            });
    var builder = graph.opBuilder("StatefulPartitionedCall", base + "/call", scope.scope());
    builder.addInputList(init.stream().map(Operand::asOutput).toArray(Output[]::new));
    List<DataType> tout = new ArrayList<>();
    for (Var v : vars) tout.add(TensorTypeRegistry.find((Class) v.type()).dataType());
    builder.setAttr("Tout", tout.toArray(new DataType[0]));
    builder.setAttr("f", loop);
    if (xla) builder.setAttr("_XlaMustCompile", true);
    var call = builder.build();
    List<Output<?>> out = new ArrayList<>();
    for (int j = 0; j < nv; j++) out.add(call.output(j));
    return out;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Operand<?>> placeholders(Ops tf, List<Var> vars) {
    List<Operand<?>> in = new ArrayList<>();
    for (int j = 0; j < vars.size(); j++) {
      in.add(
          tf.withName(String.format("i%03d", j))
              .placeholder((Class) vars.get(j).type(), Placeholder.shape(vars.get(j).shape())));
    }
    return in;
  }

  private static Signature.Builder named(Signature.Builder b, List<Operand<?>> in) {
    for (int j = 0; j < in.size(); j++) b.input(String.format("i%03d", j), in.get(j));
    return b;
  }
}
