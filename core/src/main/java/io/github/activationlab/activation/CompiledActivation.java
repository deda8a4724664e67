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
 * <p>Thread-safe for distinct arrays: one instance may be called from many threads at once (a TF
 * Session is), as long as no two calls share an output array. It holds a graph, a session and a
 * function: close it ({@link #close()}, try-with-resources); the tensors of a call are closed
 * before the call returns.
 *
 * <pre>{@code
 * try (CompiledActivation elu = CompiledActivation.of("elu")) {
 *   float[] y = elu.apply(new float[] {-1f, 0f, 2f}); // [-0.63212055, 0, 2]
 *   elu.apply(bigInput, bigOutput);                    // no allocation per call
 * }
 * }</pre>
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

  /**
   * {@code activation}, compiled by XLA.
   *
   * @param activation an element-wise activation
   * @return the compiled activation, to be closed
   * @throws IllegalArgumentException for a row-wise activation
   */
  public static CompiledActivation of(Activation activation) {
    return new CompiledActivation(activation, true);
  }

  /**
   * The catalogue's activation of this Keras name ({@link Activations#get}), compiled by XLA.
   *
   * @param name the Keras name of an element-wise activation
   * @return the compiled activation, to be closed
   * @throws IllegalArgumentException for an unknown name or a row-wise activation
   */
  public static CompiledActivation of(String name) {
    return of(Activations.get(name));
  }

  /**
   * Builds the graph and its session (loading TensorFlow first, {@link
   * io.github.activationlab.tf.NativeRuntime#load()}); XLA compiles later, per input length.
   *
   * @param activation an element-wise activation (row-wise ones are refused)
   * @param xla whether XLA compiles the call ({@code _XlaMustCompile}); false: TF's kernels
   * @throws IllegalArgumentException for a row-wise activation
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

  /**
   * The activation this instance computes.
   *
   * @return the activation
   */
  public Activation activation() {
    return activation;
  }

  /**
   * Whether XLA compiles the call.
   *
   * @return false when the call runs on TensorFlow's kernels
   */
  public boolean xla() {
    return xla;
  }

  /**
   * f(in), element by element, in float32, as a new array.
   *
   * @param in the inputs (not modified); the first call with a new length compiles
   * @return a new array of {@code in.length} values
   */
  public float[] apply(float[] in) {
    float[] out = new float[in.length];
    apply(in, out);
    return out;
  }

  /**
   * Writes f(in) into {@code out}: one bulk copy into the input tensor, one out of the output
   * tensor, and no array allocated (for large inputs called many times).
   *
   * @param in the inputs (not modified)
   * @param out where the values go; may be {@code in} itself
   * @throws IllegalArgumentException if the lengths differ
   */
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

  /** Frees the session, the graph and the function; the instance cannot be used afterwards. */
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
