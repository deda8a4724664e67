package io.github.activationlab.perceptron;

import io.github.activationlab.activation.Activations;
import io.github.activationlab.activation.ElementWise;
import io.github.activationlab.internal.tf.Arrays2;
import io.github.activationlab.tf.NativeRuntime;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * The same perceptron rule written with TF ops (float64): one {@code Session.run} does one epoch,
 * the samples' updates unrolled in order, with the catalogue's {@code binary_step} as activation.
 * From the same start it gives exactly the plain-Java {@link Perceptron}'s weights.
 *
 * <pre>{@code
 * Perceptron p = new Perceptron(2, 42);
 * double[] wb = TfPerceptron.train(p.weights(), p.bias(), 0.01, Gates.X, Gates.OR, 100);
 * p.train(Gates.X, Gates.OR, 100, null); // p.weights() and p.bias() equal wb, bit for bit
 * }</pre>
 */
public final class TfPerceptron {
  private TfPerceptron() {}

  /**
   * Trains from the given start, with threshold 0, in a graph and session of its own (closed before
   * it returns). Loads TensorFlow first.
   *
   * @param w0 the initial weights (not modified)
   * @param b0 the initial bias
   * @param learningRate the step of the perceptron rule
   * @param x the samples, visited in order each epoch
   * @param y 0 or 1 per sample
   * @param epochs the number of passes
   * @return the final weights followed by the final bias: {@code w0.length + 1} values
   */
  public static double[] train(
      double[] w0, double b0, double learningRate, double[][] x, double[] y, int epochs) {
    int d = w0.length;
    ElementWise step = (ElementWise) Activations.get("binary_step");
    NativeRuntime.load();
    try (Graph g = new Graph();
        Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat64> w = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(d)));
      Placeholder<TFloat64> b = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.scalar()));
      Operand<TFloat64> lr = tf.constant(learningRate);
      Operand<TFloat64> wi = w;
      Operand<TFloat64> bi = b;
      for (int i = 0; i < x.length; i++) {
        Operand<TFloat64> xi = tf.constant(x[i]);
        Operand<TFloat64> z = tf.math.add(tf.sum(tf.math.mul(xi, wi), tf.constant(0)), bi);
        Operand<TFloat64> prediction = step.call(tf, z);
        Operand<TFloat64> error = tf.math.sub(tf.constant(y[i]), prediction);
        Operand<TFloat64> scaled = tf.math.mul(lr, error);
        wi = tf.math.add(wi, tf.math.mul(scaled, xi));
        bi = tf.math.add(bi, scaled);
      }
      double[] wv = w0.clone();
      double bv = b0;
      for (int e = 0; e < epochs; e++) {
        try (Tensor wt = Arrays2.tensor(TFloat64.class, Shape.of(d), wv);
            Tensor bt = TFloat64.scalarOf(bv);
            Result r = s.runner().feed(w, wt).feed(b, bt).fetch(wi).fetch(bi).run()) {
          wv = Arrays2.doubles(r.get(0));
          bv = Arrays2.doubles(r.get(1))[0];
        }
      }
      double[] out = java.util.Arrays.copyOf(wv, d + 1);
      out[d] = bv;
      return out;
    }
  }
}
