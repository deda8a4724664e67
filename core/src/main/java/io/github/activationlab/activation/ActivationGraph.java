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
 * against an upstream gradient {@code dy}. {@link #evaluate} runs it; the SavedModel export reuses
 * {@link #build}.
 */
public final class ActivationGraph {
  private ActivationGraph() {}

  /** The graph's ends. {@code autodiff} is {@code null} when TF has no gradient (binary step). */
  public record Ends<T extends TFloating>(
      Placeholder<T> x,
      Placeholder<T> dy,
      Operand<T> y,
      Operand<T> analytic,
      Operand<T> autodiff) {}

  /** Builds the ends into {@code tf}'s graph, under name scope {@code scope}. */
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
   * dL/dx by TensorFlow autodiff, for upstream dL/dy = {@code dy}; {@code null} when no op on the
   * path from x to y has a gradient (TF then hands back an invalid output).
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

  /** Values of one evaluation: y, analytic dL/dx and autodiff dL/dx (zeros if TF has none). */
  public record Values(double[] y, double[] analytic, double[] autodiff, boolean hasAutodiff) {}

  /**
   * Evaluates the activation on {@code x} (flattened rows of {@code width}; width 1 for
   * element-wise ones) with upstream gradient {@code dy} (shaped as the output), in {@code dtype}.
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
