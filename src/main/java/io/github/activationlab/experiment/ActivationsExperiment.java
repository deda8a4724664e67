package io.github.activationlab.experiment;

import io.github.activationlab.activation.Activation;
import io.github.activationlab.activation.ActivationGraph;
import io.github.activationlab.activation.Activations;
import io.github.activationlab.activation.ElementWise;
import io.github.activationlab.savedmodel.ActivationsExport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.types.TFloat32;

/**
 * The notebook's activation section: every activation, evaluated by TensorFlow (float32) at a
 * few points with its autodiff derivative, then exported as the {@code activations} SavedModel.
 */
public final class ActivationsExperiment {
  static final double[] XS = {-100, -2, -1, -0.5, 0, 0.5, 1, 2, 100};

  private final List<Activation> activations;
  private final Path out;
  private final boolean force;

  /** @param only Keras names to keep ({@code null}: all); an unknown one is an error */
  public ActivationsExperiment(List<String> only, Path out, boolean force) {
    this.activations = only == null || only.isEmpty() ? List.copyOf(Activations.all())
        : only.stream().map(String::strip).map(Activations::get).toList();
    this.out = out;
    this.force = force;
  }

  public Path run(PrintStream o) throws IOException {
    o.printf("%-14s %-4s", "activation", "");
    for (double x : XS) o.printf(" %9s", "x=" + fmt(x));
    o.println();
    double[] ones = new double[XS.length];
    java.util.Arrays.fill(ones, 1);
    for (Activation a : activations) {
      if (a instanceof ElementWise) {
        var v = ActivationGraph.evaluate(a, TFloat32.class, XS, 1, ones);
        row(o, a.name(), "f", v.y());
        row(o, "", "f'", v.autodiff());
      } else {
        double[] x = {-2, -1, 0, 1, 2, 3};
        var v = ActivationGraph.evaluate(a, TFloat32.class, x, x.length, new double[a.outputWidth(x.length)]);
        o.printf("%-14s %-4s %s -> %s%n", a.name(), "row", java.util.Arrays.toString(x), fmtAll(v.y()));
      }
    }
    Path dir = ActivationsExport.export(out.resolve(ActivationsExport.NAME), activations, force);
    o.println("wrote " + dir + " (" + activations.size() + " signatures: x -> y, dydx)");
    return dir;
  }

  private static void row(PrintStream o, String name, String what, double[] values) {
    o.printf("%-14s %-4s", name, what);
    for (double v : values) o.printf(" %9s", fmt(v));
    o.println();
  }

  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e6) return String.valueOf((long) v);
    String s = String.format("%.4g", v);
    return s.contains("e") ? s : s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  private static String fmtAll(double[] v) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) b.append(i > 0 ? ", " : "").append(fmt(v[i]));
    return b.append("]").toString();
  }
}
