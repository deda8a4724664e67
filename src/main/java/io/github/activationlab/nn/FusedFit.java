package io.github.activationlab.nn;

import io.github.activationlab.activation.FloatOps;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * A whole {@code fit} as one TF op: a functional {@code While} over every step of every epoch,
 * called through a {@code StatefulPartitionedCall} that can carry {@code _XlaMustCompile} (XLA
 * compiles the entire loop, as Python's {@code tf.function(jit_compile=True)} does).
 *
 * <p>Shapes are static so that XLA can compile them: the schedule is a {@code [steps, B]} matrix
 * of sample indices (B = min(batch_size, n)) with a {@code [steps, B]} mask that pads the last
 * partial batch of an epoch; the loss of a step is the masked mean, which is exactly the mean over
 * the real samples. One {@code FusedFit} serves one (n, B, steps, epochs) combination.
 *
 * <p>The loop state: step counter, data, schedule, Adam's counter, the weights and Adam's m and v
 * (each a loop variable), and the per-epoch sums of loss and accuracy. The body is the training
 * step written functionally: forward pass, {@code tf.gradients} inside the body, and Adam's
 * arithmetic in ApplyAdam's order, with Keras's constants.
 */
final class FusedFit {
  private static final AtomicInteger IDS = new AtomicInteger();

  final Placeholder<TInt32> index;
  final Placeholder<TFloating> mask;
  final Placeholder<TInt32> epochOf;
  final Operand<?> lossSums;
  final Operand<?> accSums;
  final Op train;

  interface Model {
    List<Layer> layers();

    int inputDim();

    Operand<TFloating> forward(FloatOps f, Operand<TFloating> in, List<List<Operand<TFloating>>> w,
        Operand<TFloating>[] logits);

    Operand<TFloating> perSampleLoss(FloatOps f, Operand<TFloating> y, Operand<TFloating> pred,
        Operand<TFloating> logits);

    Operand<TFloating> perSampleAccuracy(FloatOps f, Operand<TFloating> y, Operand<TFloating> pred);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  FusedFit(Graph graph, Ops tf, Model model, Class<TFloating> t, Adam adam, boolean xla,
      Operand<TFloating> x, Operand<TFloating> y, int n, int width, int outWidth, int b, int steps,
      int epochs, List<Operand<?>> weightHandles, List<Operand<?>> ms, List<Operand<?>> vs,
      Operand<?> iterations, List<long[]> shapes) {
    int id = IDS.getAndIncrement();
    Ops s = tf.withSubScope("fused_fit_" + id);
    index = s.placeholder(TInt32.class, Placeholder.shape(Shape.of(steps, b)));
    mask = s.placeholder(t, Placeholder.shape(Shape.of(steps, b)));
    epochOf = s.placeholder(TInt32.class, Placeholder.shape(Shape.of(steps)));
    int k = weightHandles.size();

    // loop variables, in order
    List<Shape> varShapes = new ArrayList<>();
    List<Class<?>> varTypes = new ArrayList<>();
    List<Operand<?>> init = new ArrayList<>();
    add(init, varShapes, varTypes, s.constant(0), Shape.scalar(), TInt32.class);                 // 0 step
    add(init, varShapes, varTypes, s.ensureShape(x, Shape.of(n, width)), Shape.of(n, width), t); // 1 X
    add(init, varShapes, varTypes, s.ensureShape(y, Shape.of(n, outWidth)), Shape.of(n, outWidth), t); // 2 Y
    add(init, varShapes, varTypes, index, Shape.of(steps, b), TInt32.class);                      // 3 index
    add(init, varShapes, varTypes, mask, Shape.of(steps, b), t);                                  // 4 mask
    add(init, varShapes, varTypes, epochOf, Shape.of(steps), TInt32.class);                       // 5 epoch of step
    add(init, varShapes, varTypes, s.readVariableOp(iterations, TInt64.class), Shape.scalar(), TInt64.class); // 6
    add(init, varShapes, varTypes, s.zeros(s.constant(new int[] {epochs}), t), Shape.of(epochs), t); // 7 loss sums
    add(init, varShapes, varTypes, s.zeros(s.constant(new int[] {epochs}), t), Shape.of(epochs), t); // 8 acc sums
    final int w0 = 9;
    for (int j = 0; j < k; j++) add(init, varShapes, varTypes, s.readVariableOp(weightHandles.get(j), t), Shape.of(shapes.get(j)), t);
    for (int j = 0; j < k; j++) add(init, varShapes, varTypes, s.readVariableOp(ms.get(j), t), Shape.of(shapes.get(j)), t);
    for (int j = 0; j < k; j++) add(init, varShapes, varTypes, s.readVariableOp(vs.get(j), t), Shape.of(shapes.get(j)), t);
    int nv = init.size();

    ConcreteFunction cond = ConcreteFunction.create(c -> {
      List<Operand<?>> in = placeholders(c, varShapes, varTypes);
      Operand<TBool> more = c.math.less((Operand<TInt32>) in.get(0), c.constant(steps));
      return named(Signature.builder("fused_cond_" + id), in).output("out", more).build();
    });
    ConcreteFunction body = ConcreteFunction.create(bo -> {
      List<Operand<?>> in = placeholders(bo, varShapes, varTypes);
      FloatOps f = new FloatOps(bo, t);
      Operand<TInt32> i = (Operand<TInt32>) in.get(0);
      Operand<TInt32> idx = bo.gather((Operand<TInt32>) in.get(3), i, bo.constant(0));
      Operand<TFloating> m = bo.gather((Operand<TFloating>) in.get(4), i, bo.constant(0));
      Operand<TInt32> epoch = bo.gather((Operand<TInt32>) in.get(5), i, bo.constant(0));
      Operand<TFloating> xb = bo.gather((Operand<TFloating>) in.get(1), idx, bo.constant(0));
      Operand<TFloating> yb = bo.gather((Operand<TFloating>) in.get(2), idx, bo.constant(0));
      List<List<Operand<TFloating>>> perLayer = new ArrayList<>();
      List<Operand<TFloating>> ws = new ArrayList<>();
      int at = w0;
      int d = model.inputDim();
      for (Layer l : model.layers()) {
        List<Operand<TFloating>> lw = new ArrayList<>();
        for (int j = 0; j < l.weightShapes(d).size(); j++) lw.add((Operand<TFloating>) in.get(at++));
        ws.addAll(lw);
        perLayer.add(lw);
        d = l.units(d);
      }
      Operand<TFloating>[] logits = new Operand[1];
      var pred = model.forward(f, xb, perLayer, logits);
      var count = bo.sum(m, bo.constant(0));
      // masked means: padding rows weigh 0, so this is the mean over the batch's real samples
      Operand<TFloating> lossValue = f.div(bo.sum(f.mul(model.perSampleLoss(f, yb, pred, logits[0]), m), bo.constant(0)), count);
      Operand<TFloating> accValue = f.div(bo.sum(f.mul(model.perSampleAccuracy(f, yb, pred), m), bo.constant(0)), count);
      var grads = bo.gradients(lossValue, ws);
      Operand<TInt64> next = bo.math.add((Operand<TInt64>) in.get(6), bo.constant(1L));
      Operand<TFloating> stepT = bo.dtypes.cast(next, t);
      var b1p = bo.math.pow(f.c(adam.beta1()), stepT);
      var b2p = bo.math.pow(f.c(adam.beta2()), stepT);
      var alpha = f.div(f.mul(f.c(adam.learningRate()), f.sqrt(f.sub(f.c(1), b2p))), f.sub(f.c(1), b1p));
      // 1 - beta in double, then rounded, as Keras computes it (ApplyAdam's kernel subtracts in T:
      // 1f - 0.9f = 0.100000024f, not 0.1f; over 1000 steps that alone moves weights by ~1e-5)
      var oneMinusB1 = f.c(1 - adam.beta1());
      var oneMinusB2 = f.c(1 - adam.beta2());
      List<Operand<?>> out = new ArrayList<>(in);
      for (int j = 0; j < k; j++) {
        Operand<TFloating> g = grads.dy(j);
        Operand<TFloating> mj = (Operand<TFloating>) in.get(w0 + k + j);
        Operand<TFloating> vj = (Operand<TFloating>) in.get(w0 + 2 * k + j);
        var m2 = f.add(mj, f.mul(f.sub(g, mj), oneMinusB1));
        var v2 = f.add(vj, f.mul(f.sub(f.square(g), vj), oneMinusB2));
        out.set(w0 + j, f.sub(ws.get(j), f.div(f.mul(m2, alpha), f.add(f.sqrt(v2), f.c(adam.epsilon())))));
        out.set(w0 + k + j, m2);
        out.set(w0 + 2 * k + j, v2);
      }
      var where = bo.reshape(epoch, bo.constant(new int[] {1, 1}));
      out.set(7, bo.tensorScatterNdAdd((Operand<TFloating>) in.get(7), where, bo.reshape(f.mul(lossValue, count), bo.constant(new int[] {1}))));
      out.set(8, bo.tensorScatterNdAdd((Operand<TFloating>) in.get(8), where, bo.reshape(f.mul(accValue, count), bo.constant(new int[] {1}))));
      out.set(0, bo.math.add(i, bo.constant(1)));
      out.set(6, next);
      Signature.Builder sig = named(Signature.builder("fused_body_" + id), in);
      for (int j = 0; j < nv; j++) sig.output(String.format("o%03d", j), bo.identity((Operand) out.get(j)));
      return sig.build();
    });
    ConcreteFunction loop = ConcreteFunction.create(lo -> {
      List<Operand<?>> in = placeholders(lo, varShapes, varTypes);
      var w = lo.whileOp(in, cond, body);
      Signature.Builder sig = named(Signature.builder("fused_fit_" + id), in);
      for (int j = 0; j < nv; j++) sig.output(String.format("o%03d", j), w.output().get(j));
      return sig.build();
    });

    // the call: a StatefulPartitionedCall, marked for XLA when asked
    var builder = graph.opBuilder("StatefulPartitionedCall", "fused_fit_" + id + "/call", s.scope());
    builder.addInputList(init.stream().map(Operand::asOutput).toArray(Output[]::new));
    List<org.tensorflow.proto.DataType> tout = new ArrayList<>();
    for (Class<?> c : varTypes) tout.add(org.tensorflow.internal.types.registry.TensorTypeRegistry.find((Class) c).dataType());
    builder.setAttr("Tout", tout.toArray(new org.tensorflow.proto.DataType[0]));
    builder.setAttr("f", loop);
    if (xla) builder.setAttr("_XlaMustCompile", true);
    var call = builder.build();

    List<Op> assigns = new ArrayList<>();
    assigns.add(s.assignVariableOp(iterations, call.output(6)));
    for (int j = 0; j < k; j++) {
      assigns.add(s.assignVariableOp(weightHandles.get(j), call.output(w0 + j)));
      assigns.add(s.assignVariableOp(ms.get(j), call.output(w0 + k + j)));
      assigns.add(s.assignVariableOp(vs.get(j), call.output(w0 + 2 * k + j)));
    }
    train = s.withControlDependencies(assigns).withName("train").noOp();
    lossSums = call.output(7);
    accSums = call.output(8);
  }

  private static void add(List<Operand<?>> init, List<Shape> shapes, List<Class<?>> types,
      Operand<?> value, Shape shape, Class<?> type) {
    init.add(value);
    shapes.add(shape);
    types.add(type);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Operand<?>> placeholders(Ops tf, List<Shape> shapes, List<Class<?>> types) {
    List<Operand<?>> in = new ArrayList<>();
    for (int j = 0; j < shapes.size(); j++) {
      in.add(tf.withName(String.format("i%03d", j)).placeholder((Class) types.get(j), Placeholder.shape(shapes.get(j))));
    }
    return in;
  }

  private static Signature.Builder named(Signature.Builder b, List<Operand<?>> in) {
    for (int j = 0; j < in.size(); j++) b.input(String.format("i%03d", j), in.get(j));
    return b;
  }
}
