package io.github.activationlab.activation;

import io.github.activationlab.tf.NativeRuntime;
import java.util.concurrent.atomic.AtomicInteger;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * An element-wise activation on float32 arrays, {@code float[]} in and {@code float[]} out, with
 * its graph compiled by XLA: the definition ({@link Activation#call}, the same ops the plain TF
 * graph runs) wrapped in a function that is called through one {@code StatefulPartitionedCall}
 * carrying {@code _XlaMustCompile}, as {@code nn.WhileLoop} calls the training loop. XLA fuses the
 * definition's element-wise ops into one pass over the data (ELU's {@code where(x > 0, x, alpha *
 * expm1(min(x, 0)))}: five TF kernels, each a pass with its own output buffer, become one loop)
 * while keeping the definition's formula, so ELU keeps its {@code expm1}.
 *
 * <p>XLA compiles once per input length (its shapes are static), on the first {@link #apply} with
 * that length; later calls with the same length reuse the compiled code. With {@code xla = false}
 * the same function call runs on TensorFlow's kernels (for comparisons).
 *
 * <p>Not thread-safe in the sense of sharing output arrays; one instance may be used from many
 * threads with distinct arrays (a TF Session is). Every native object is closed by {@link
 * #close()}; the tensors of a call are closed before it returns.
 */
public final class CompiledActivation implements AutoCloseable {
  private static final AtomicInteger IDS = new AtomicInteger();

  private final Activation activation;
  private final boolean xla;
  private final Graph graph;
  private final Session session;
  private final ConcreteFunction function;
  private final Placeholder<TFloat32> x;
  private final Output<?> y;

  /**
   * Input tensors of finished calls, reused by the next ones of the same length: allocated by
   * TensorFlow's C API with {@code malloc} (not its device's pooling allocator), a new one per call
   * could have its pages faulted in again on every call (see tf.NativeRuntime's allocator setting).
   * One per caller at a time, so that threads never share one; closed by {@link #close()}.
   */
  private final java.util.concurrent.ConcurrentLinkedQueue<TFloat32> inputs =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  private volatile boolean closed;

  /** {@code activation} compiled by XLA. */
  public static CompiledActivation of(Activation activation) {
    return new CompiledActivation(activation, true);
  }

  /** The activation of this Keras name ({@link Activations#get}), compiled by XLA. */
  public static CompiledActivation of(String name) {
    return of(Activations.get(name));
  }

  /**
   * @param activation an element-wise activation (row-wise ones are refused)
   * @param xla whether XLA compiles the call ({@code _XlaMustCompile}); false: TF's kernels
   */
  public CompiledActivation(Activation activation, boolean xla) {
    if (!(activation instanceof ElementWise)) {
      throw new IllegalArgumentException(
          activation.name() + " is row-wise; CompiledActivation takes element-wise activations");
    }
    this.activation = activation;
    this.xla = xla;
    String name = "compiled_" + activation.name() + "_" + IDS.getAndIncrement();
    NativeRuntime.load();
    Graph g = new Graph();
    ConcreteFunction fn = null;
    try {
      fn =
          ConcreteFunction.create(
              tf -> {
                Placeholder<TFloat32> in =
                    tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
                Operand<TFloat32> out = activation.call(tf, in);
                return Signature.builder(name).input("x", in).output("y", tf.identity(out)).build();
              });
      Ops tf = Ops.create(g);
      x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      var builder = g.opBuilder("StatefulPartitionedCall", name + "/call", tf.scope());
      builder.addInputList(new Output<?>[] {x.asOutput()});
      builder.setAttr("Tout", new DataType[] {DataType.DT_FLOAT});
      builder.setAttr("f", fn);
      if (xla) builder.setAttr("_XlaMustCompile", true);
      y = builder.build().output(0);
      function = fn;
      graph = g;
      session = new Session(g);
    } catch (RuntimeException e) {
      if (fn != null) fn.close();
      g.close();
      throw e;
    }
  }

  public Activation activation() {
    return activation;
  }

  public boolean xla() {
    return xla;
  }

  /** f(in), element by element, as a new array. */
  public float[] apply(float[] in) {
    float[] out = new float[in.length];
    apply(in, out);
    return out;
  }

  /** Writes f(in) into {@code out} (same length): bulk copies in and out of the tensors. */
  public void apply(float[] in, float[] out) {
    if (out.length != in.length) {
      throw new IllegalArgumentException("out has " + out.length + " values, in has " + in.length);
    }
    TFloat32 t = inputs.poll();
    if (t == null || t.shape().size(0) != in.length) {
      if (t != null) t.close();
      t = TFloat32.tensorOf(Shape.of(in.length));
    }
    try {
      t.asRawTensor().data().asFloats().write(in);
      try (Result r = session.runner().feed(x, t).fetch(y).run()) {
        ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out);
      }
    } catch (RuntimeException | Error e) {
      t.close();
      throw e;
    }
    inputs.add(t);
    if (closed) drain();
  }

  private void drain() {
    for (TFloat32 t; (t = inputs.poll()) != null; ) t.close();
  }

  @Override
  public void close() {
    closed = true;
    drain();
    try {
      session.close();
    } finally {
      try {
        graph.close();
      } finally {
        function.close();
      }
    }
  }
}
