package io.github.activationlab.experiment;

import io.github.activationlab.activation.Activation;
import io.github.activationlab.activation.ActivationGraph;
import io.github.activationlab.activation.Activations;
import io.github.activationlab.activation.ElementWise;
import io.github.activationlab.plot.Charts;
import io.github.activationlab.savedmodel.ActivationsExport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.tensorflow.types.TFloat32;

/**
 * The notebook's activation section: every activation, evaluated by TensorFlow (float32) at a few
 * points with its autodiff derivative; the notebook's {@code plot_and_visulize} for each
 * element-wise one (function and derivative on [-10, 10), 1000 centred uniform samples after the
 * activation, the grayscale image before and after) as {@code graphs/activations/<name>.png}; then
 * the {@code activations} SavedModel.
 */
public final class ActivationsExperiment {
  static final double[] XS = {-100, -2, -1, -0.5, 0, 0.5, 1, 2, 100};

  private final List<Activation> activations;
  private final Context ctx;

  /**
   * @param only Keras names to keep ({@code null}: all); an unknown one is an error
   */
  public ActivationsExperiment(List<String> only, Context ctx) {
    this.activations =
        only == null || only.isEmpty()
            ? List.copyOf(Activations.all())
            : only.stream().map(String::strip).map(Activations::get).toList();
    this.ctx = ctx;
  }

  public Path run() throws IOException {
    PrintStream o = ctx.out;
    Images image = Images.load(ctx.image); // fails early on a bad --image
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
        var v =
            ActivationGraph.evaluate(
                a, TFloat32.class, x, x.length, new double[a.outputWidth(x.length)]);
        o.printf(
            "%-14s %-4s %s -> %s%n", a.name(), "row", java.util.Arrays.toString(x), fmtAll(v.y()));
      }
    }
    int charts = 0;
    for (Activation a : activations) {
      if (a instanceof ElementWise e) {
        ctx.wrote(gallery(e, image));
        charts++;
      }
    }
    o.println(
        "drew "
            + charts
            + " charts in "
            + ctx.graphs.resolve("activations")
            + " (image: "
            + image.source()
            + ")");
    Path dir =
        ActivationsExport.export(
            ctx.models.resolve(ActivationsExport.NAME), activations, ctx.force);
    long rowWise = activations.stream().filter(a -> !(a instanceof ElementWise)).count();
    o.println(
        "wrote "
            + dir
            + " ("
            + activations.size()
            + " signatures: x -> y, dydx"
            + (rowWise > 0 ? "; row-wise x, g -> y, vjp" : "")
            + ")");
    ctx.wrote(dir.getParent());
    return dir;
  }

  /** The notebook's plot_and_visulize, with TF computing every value (float32). */
  Path gallery(ElementWise a, Images image) throws IOException {
    double[] grid = new double[2000];
    for (int i = 0; i < grid.length; i++) grid[i] = -10 + i / 100.0;
    double[] ones = new double[grid.length];
    java.util.Arrays.fill(ones, 1);
    var f = ActivationGraph.evaluate(a, TFloat32.class, grid, 1, ones);
    java.util.Random rnd = new java.util.Random(ctx.seed);
    double[] samples = new double[1000];
    double mean = 0;
    for (int i = 0; i < samples.length; i++)
      mean += (samples[i] = rnd.nextDouble()) / samples.length;
    for (int i = 0; i < samples.length; i++) samples[i] -= mean;
    var act = ActivationGraph.evaluate(a, TFloat32.class, samples, 1, new double[samples.length]);
    var img =
        ActivationGraph.evaluate(
            a, TFloat32.class, image.pixels(), 1, new double[image.pixels().length]);
    List<Object> panels =
        List.of(
            Charts.function(a.name(), grid, f.y(), f.autodiff()),
            Charts.histogram(a.name() + " of 1000 centred uniform samples", act.y(), 20),
            Charts.image(
                "origin image (red channel, median-centred)",
                image.pixels(),
                image.width(),
                image.height()),
            Charts.image(
                "activation results: " + a.name(), img.y(), image.width(), image.height()));
    return Charts.save(
        Charts.grid(panels, 2), ctx.graphs.resolve("activations").resolve(a.name() + ".png"));
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
