package io.github.activationlab.activation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.activationlab.internal.tf.Arrays2;
import io.github.activationlab.tf.FloatOps;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/** PReLU with a trainable alpha: the gradient with respect to alpha is sum(min(x, 0) * dy). */
class PReluTest {
  @Test
  void gradientWithRespectToAlphaIsSumOfNegativePartTimesUpstream() {
    double[] x = {-3, -0.5, 0, 0.25, 2, -1e4, 7};
    double[] dy = {0.5, -2, 3, 1, 1, 1e-3, -4};
    double alpha = 0.1;
    double expected = 0;
    for (int i = 0; i < x.length; i++) expected += Math.min(x[i], 0) * dy[i];
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var xp = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1)));
      var dyp = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1)));
      var a = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.scalar()));
      var f = new FloatOps(tf, TFloat64.class);
      var y = Activations.prelu(f, Activation.erased(xp), Activation.erased(a));
      var grads =
          tf.gradients(
              List.of(y), List.of(a, xp), org.tensorflow.op.core.Gradients.dx(List.of(dyp)));
      try (Tensor xt = Arrays2.tensor(TFloat64.class, Shape.of(x.length), x);
          Tensor dyt = Arrays2.tensor(TFloat64.class, Shape.of(x.length), dy);
          Tensor at = TFloat64.scalarOf(alpha);
          Result r =
              s.runner()
                  .feed(xp, xt)
                  .feed(dyp, dyt)
                  .feed(a, at)
                  .fetch(grads.dy(0))
                  .fetch(grads.dy(1))
                  .run()) {
        assertEquals(expected, Arrays2.doubles(r.get(0))[0], 1e-12);
        double[] dx = Arrays2.doubles(r.get(1));
        ElementWise prelu = (ElementWise) Activations.get("prelu");
        for (int i = 0; i < x.length; i++) {
          assertEquals(dy[i] * prelu.derivative(x[i]), dx[i], 1e-12);
        }
      }
    }
  }
}
