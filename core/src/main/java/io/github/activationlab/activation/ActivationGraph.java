package io.github.activationlab.activation;

import io.github.activationlab.internal.tf.Arrays2;
import io.github.activationlab.internal.tf.Gradients;
import io.github.activationlab.tf.NativeRuntime;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.family.TFloating;

/**
 * One activation as a TF graph: input {@code x} (shape {@code [-1]}, or {@code [-1, k]} for
 * row-wise ones), its value {@code y}, the analytic VJP and the autodiff VJP ({@code tf.gradients})
 * against an upstream gradient {@code dy}. {@link #evaluate} runs it in a graph of its own; the
 * SavedModel export ({@code savedmodel.ActivationsExport}) reuses {@link #build}. Comparing the two
 * VJPs is how the analytic derivatives are checked against TensorFlow's.
 *
 * <pre>{@code
 * double[] x = {-1, 0, 1};
 * double[] dy = {1, 1, 1};
 * var v = ActivationGraph.evaluate(Activations.get("relu"), TFloat32.class, x, 1, dy);
 * // v.y() = [0, 0, 1]; v.analytic() = v.autodiff() = [0, 0, 1] (ReLU'(0) = 0, as TF's ReluGrad)
 * }</pre>
 */
public final class ActivationGraph {
  private ActivationGraph() {}

  /**
   * The graph's ends, as {@link #build} adds them.
   *
   * @param <T> the float dtype
   * @param x the input placeholder ({@code [-1]}, or {@code [-1, -1]} for row-wise activations)
   * @param dy the upstream-gradient placeholder, shaped as the output
   * @param y the activation's value, {@code <scope>/y}
   * @param analytic the analytic VJP ({@link Activation#vjp}), {@code <scope>/vjp}
   * @param autodiff the VJP by TF autodiff, or {@code null} when TF has no gradient (binary step)
   */
  public record Ends<T extends TFloating>(
      Placeholder<T> x,
      Placeholder<T> dy,
      Operand<T> y,
      Operand<T> analytic,
      Operand<T> autodiff) {}

  /**
   * Builds the ends into {@code tf}'s graph, under name scope {@code scope}; registers the
   * gradients TF-Java lacks (erfc's) first.
   *
   * @param <T> the float dtype
   * @param tf where the ops go (a graph: {@code tf.gradients} needs one)
   * @param activation the activation
   * @param dtype the dtype of the placeholders and every op
   * @param scope the name scope, unique in the graph (the export uses the activation's name)
   * @return the ends
   */
  public static <T extends TFloating> Ends<T> build(
      Ops tf, Activation activation, Class<T> dtype, String scope) {
    Gradients.register();
    Ops s = tf.withSubScope(scope);
    boolean rows = activation instanceof RowWise;
    Shape shape = rows ? Shape.of(-1, -1) : Shape.of(-1);
    Placeholder<T> x = s.withName("x").placeholder(dtype, Placeholder.shape(shape));
    Placeholder<T> dy = s.withName("dy").placeholder(dtype, Placeholder.shape(shape));
    Operand<T> y = s.withName("y").identity(activation.call(s, x));
    Operand<T> analytic = s.withName("vjp").identity(activation.vjp(s, x, dy));
    Operand<T> autodiff = autodiff(s, y, x, dy);
    return new Ends<>(x, dy, y, analytic, autodiff);
  }

  /**
   * dL/dx by TensorFlow autodiff ({@code tf.gradients}), for upstream dL/dy = {@code dy}.
   *
   * @param <T> the float dtype
   * @param tf where the ops go (a graph)
   * @param y the output
   * @param x the input to differentiate against
   * @param dy the upstream gradient, shaped as {@code y}
   * @return dL/dx, or {@code null} when no op on the path from x to y has a gradient (TF-Java then
   *     hands back an invalid output, which is checked here instead of failing later)
   */
  public static <T extends TFloating> Operand<T> autodiff(
      Ops tf, Operand<T> y, Operand<T> x, Operand<T> dy) {
    var grads =
        tf.gradients(List.of(y), List.of(x), org.tensorflow.op.core.Gradients.dx(List.of(dy)));
    Output<T> g = grads.dy(0);
    try {
      g.op().name();
      g.shape();
    } catch (RuntimeException noGradient) {
      return null;
    }
    return g;
  }

  /**
   * The values of one {@link #evaluate}, flattened row-major, in double whatever the dtype.
   *
   * @param y the activation's values
   * @param analytic dL/dx by the analytic VJP
   * @param autodiff dL/dx by TF autodiff (zeros when TF has no gradient)
   * @param hasAutodiff whether TF has a gradient ({@code false} for binary step)
   */
  public record Values(double[] y, double[] analytic, double[] autodiff, boolean hasAutodiff) {}

  /**
   * Evaluates the activation on {@code x} with upstream gradient {@code dy}, in {@code dtype}, in a
   * graph and session of its own (closed before it returns). Loads TensorFlow first ({@link
   * NativeRuntime#load()}).
   *
   * @param activation the activation
   * @param dtype {@code TFloat32.class} or {@code TFloat64.class}: the values are rounded to it
   * @param x the inputs, rows of {@code width} values row-major (width 1 for element-wise ones)
   * @param width the row width (the length of the last axis)
   * @param dy the upstream gradient, shaped as the output ({@code x.length} values; glu: half)
   * @return the values
   */
  public static Values evaluate(
      Activation activation, Class<? extends TFloating> dtype, double[] x, int width, double[] dy) {
    NativeRuntime.load();
    try (Graph g = new Graph();
        Session session = new Session(g)) {
      Ends<? extends TFloating> ends = build(Ops.create(g), activation, dtype, activation.name());
      boolean rows = activation instanceof RowWise;
      int n = x.length / width;
      Shape shape = rows ? Shape.of(n, width) : Shape.of(x.length);
      Shape outShape = rows ? Shape.of(n, activation.outputWidth(width)) : shape;
      try (Tensor xt = Arrays2.tensor(dtype, shape, x);
          Tensor dyt = Arrays2.tensor(dtype, outShape, dy)) {
        var runner =
            session
                .runner()
                .feed(ends.x(), xt)
                .feed(ends.dy(), dyt)
                .fetch(ends.y())
                .fetch(ends.analytic());
        if (ends.autodiff() != null) runner.fetch(ends.autodiff());
        try (Result r = runner.run()) {
          double[] y = Arrays2.doubles(r.get(0));
          double[] an = Arrays2.doubles(r.get(1));
          double[] ad = ends.autodiff() != null ? Arrays2.doubles(r.get(2)) : new double[x.length];
          return new Values(y, an, ad, ends.autodiff() != null);
        }
      }
    }
  }
}
