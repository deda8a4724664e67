package io.github.activationlab.files;

import io.github.activationlab.nn.Adam;
import io.github.activationlab.nn.Dense;
import io.github.activationlab.nn.Fit;
import io.github.activationlab.nn.History;
import io.github.activationlab.nn.Loss;
import io.github.activationlab.nn.Sequential;
import io.github.activationlab.savedmodel.ModelExport;
import io.github.activationlab.savedmodel.RunRecord;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The process the fault-injection test kills: writes every target of {@link #NAMES} in {@code OUT}
 * with {@code --force} semantics, through the production writers — {@code models/<name>/}
 * (SavedModel + run.json, {@link ModelExport}), {@code <name>.keras} ({@link Sequential#save}) and
 * {@code <name>.png} (a 120x90 image through {@link AtomicFiles#write}, as the app's charts are
 * written) — generation after generation.
 *
 * <p>{@code java ... ModelWriterProcess OUT FIRST_GENERATION GENERATIONS} (GENERATIONS 0: until
 * killed). Prints {@code ready} once TensorFlow is loaded and the models are built, then {@code
 * generation G <ms>} after each. Generation {@code g}'s weights are {@link #weight}{@code (g, i,
 * j)}: the first is {@code g} itself, so a reader can tell which generation a file holds and check
 * every other value against it; run.json's epochs is {@code g} and its probe outputs are the
 * SavedModel's.
 */
public final class ModelWriterProcess {
  static final List<String> NAMES = List.of("gate", "relu", "deep");

  static Sequential build(String name) {
    Sequential m =
        switch (name) {
          case "gate" -> Sequential.of(2, Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid"));
          case "relu" -> Sequential.of(1, Dense.of(6, "relu"), Dense.of(1));
          default ->
              Sequential.of(2, Dense.of(4, "tanh"), Dense.of(3, "relu"), Dense.of(1, "sigmoid"));
        };
    return m.compile(Loss.MSE, Adam.learningRate(0.01), 1);
  }

  /** Weight {@code j} of array {@code i} of generation {@code g}: the very first is {@code g}. */
  static double weight(long g, int i, int j) {
    return i == 0 && j == 0 ? g : Math.sin(g * 0.37 + i * 1.3 + j * 0.11);
  }

  static List<double[]> weights(Sequential m, long g) {
    List<double[]> w = new ArrayList<>();
    List<long[]> shapes = m.weightShapes();
    for (int i = 0; i < shapes.size(); i++) {
      long n = 1;
      for (long d : shapes.get(i)) n *= d;
      double[] a = new double[(int) n];
      for (int j = 0; j < a.length; j++) a[j] = weight(g, i, j);
      w.add(a);
    }
    return w;
  }

  static double[][] probe(int inputDim) {
    double[][] p = new double[5][inputDim];
    for (int i = 0; i < p.length; i++)
      for (int j = 0; j < inputDim; j++) p[i][j] = 0.25 * i - 0.3 * j;
    return p;
  }

  /** Writes generation {@code g} of every target into {@code out}. */
  static void write(Path out, List<Sequential> models, long g) throws java.io.IOException {
    for (int k = 0; k < NAMES.size(); k++) {
      String name = NAMES.get(k);
      Sequential m = models.get(k);
      m.setWeights(weights(m, g));
      double[][] x = probe(m.inputDim());
      double[][] y = m.predict(x);
      RunRecord run =
          new RunRecord(
              name,
              m,
              Fit.epochs((int) g),
              x,
              y,
              m.getWeights(),
              m.getWeights(),
              new History(
                  List.of((double) g),
                  List.of(0.0),
                  io.github.activationlab.nn.Batching.schedule(x.length, 32, 1, false, 0)),
              x,
              y);
      ModelExport.export(m, run, out.resolve(name), true);
      m.save(out.resolve(name + ".keras"), true);
      BufferedImage image = new BufferedImage(120, 90, BufferedImage.TYPE_INT_RGB);
      image.setRGB(0, 0, (int) g);
      AtomicFiles.write(out.resolve(name + ".png"), true, o -> ImageIO.write(image, "png", o));
    }
  }

  static List<Sequential> buildAll() {
    List<Sequential> models = new ArrayList<>();
    for (String n : NAMES) models.add(build(n));
    return models;
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    long first = Long.parseLong(args[1]);
    long count = Long.parseLong(args[2]);
    List<Sequential> models = buildAll();
    System.out.println("ready");
    System.out.flush();
    for (long g = first; count == 0 || g < first + count; g++) {
      long t0 = System.nanoTime();
      write(out, models, g);
      System.out.println("generation " + g + " " + (System.nanoTime() - t0) / 1_000_000);
      System.out.flush();
    }
    for (Sequential m : models) m.close();
  }
}
