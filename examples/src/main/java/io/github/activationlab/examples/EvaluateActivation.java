package io.github.activationlab.examples;

import io.github.activationlab.activation.Activation;
import io.github.activationlab.activation.ActivationGraph;
import io.github.activationlab.activation.Activations;
import io.github.activationlab.activation.CompiledActivation;
import org.tensorflow.types.TFloat32;

/**
 * An activation from the catalogue, by its Keras name: its formula and parameters, its values and
 * derivative computed by TensorFlow (analytic and autodiff), its plain-Java reference, and the same
 * function applied to a large array through XLA ({@link CompiledActivation}).
 *
 * <p>Expected output:
 *
 * <pre>
 * elu: x if x &gt; 0 else alpha * (exp(x) - 1) {alpha=1.0}
 *   x=-2  f=-0.8647  f'=0.1353 (autodiff 0.1353, reference -0.8647)
 *   ...
 * elu on 1,000,000 values through XLA: max |XLA - graph| = 1.1920928955078125E-7
 * </pre>
 *
 * <p>(XLA fuses ELU's ops into one loop and may round {@code expm1} differently from TensorFlow's
 * kernel in the last float32 bit.)
 */
public final class EvaluateActivation {
  private EvaluateActivation() {}

  public static ActivationGraph.Values runExample(String name, int n) {
    Activation a = Activations.get(name);
    System.out.println(a.name() + ": " + a.formula() + " " + a.params());
    double[] x = {-2, -1, 0, 1, 2};
    double[] ones = {1, 1, 1, 1, 1};
    ActivationGraph.Values v = ActivationGraph.evaluate(a, TFloat32.class, x, 1, ones);
    for (int i = 0; i < x.length; i++) {
      System.out.printf(
          "  x=%-3s f=%.4f  f'=%.4f (autodiff %.4f, reference %.4f)%n",
          (int) x[i], v.y()[i], v.analytic()[i], v.autodiff()[i], a.reference(new double[] {x[i]})[0]);
    }
    float[] big = new float[n];
    for (int i = 0; i < n; i++) big[i] = -10 + 20f * i / n;
    try (CompiledActivation f = CompiledActivation.of(a)) {
      float[] y = f.apply(big);
      double worst = 0;
      double[] check = ActivationGraph.evaluate(a, TFloat32.class, toDoubles(big), 1, new double[n]).y();
      for (int i = 0; i < n; i++) worst = Math.max(worst, Math.abs(y[i] - check[i]));
      System.out.printf("%s on %,d values through XLA: max |XLA - graph| = %s%n", name, n, worst);
    }
    return v;
  }

  private static double[] toDoubles(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) d[i] = f[i];
    return d;
  }

  public static void main(String[] args) {
    runExample(args.length > 0 ? args[0] : "elu", 1_000_000);
  }
}
