package io.github.activationlab.activation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.activationlab.internal.tf.Arrays2;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** DESIGN.md's known traps of TF Java 1.1.0 that concern activations, pinned. */
class KnownTrapsTest {
  /** A comparison feeding a select has no gradient: tf.gradients hands back nothing usable. */
  @Test
  void aBareBinaryStepHasNoTfGradient() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
      var y = tf.select(tf.math.less(x, tf.constant(0f)), tf.constant(0f), tf.constant(1f));
      assertNull(ActivationGraph.autodiff(tf, y, x, tf.onesLike(y)));
      // and OnesLike itself has no gradient at all: asking for one is an error
      var ones = tf.onesLike(x);
      assertThrows(
          org.tensorflow.exceptions.TensorFlowException.class,
          () -> tf.gradients(ones, java.util.List.of(x)));
    }
  }

  /** The notebook's literal tanh is Inf/Inf = NaN from |x| ~ 89 in float32; ours is not. */
  @Test
  void theNotebooksTanhFormulaOverflowsAndOursDoesNot() {
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var x = tf.constant(new float[] {89f, -89f, 100f});
      var ex = tf.math.exp(x);
      var emx = tf.math.exp(tf.math.neg(x));
      var naive = tf.math.div(tf.math.sub(ex, emx), tf.math.add(ex, emx));
      var ours = Activations.get("tanh").call(tf, x);
      try (Result r = s.runner().fetch(naive).fetch(ours).run()) {
        double[] n = Arrays2.doubles(r.get(0));
        double[] o = Arrays2.doubles(r.get(1));
        for (double v : n) assertTrue(Double.isNaN(v), "naive tanh gave " + v);
        for (double v : o) assertFalse(Double.isNaN(v));
      }
    }
  }
}
