package io.github.activationlab.notebook;

import io.github.activationlab.nn.Adam;
import io.github.activationlab.nn.Dense;
import io.github.activationlab.nn.Fit;
import io.github.activationlab.nn.Layer;
import io.github.activationlab.nn.Loss;
import io.github.activationlab.nn.PRelu;
import io.github.activationlab.nn.Sequential;
import io.github.activationlab.perceptron.Gates;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The notebook's trained models as a table, one row each in the notebook's order: the name (its
 * export directory and its name on the command line), the layers, the loss, Adam's learning rate,
 * epochs and batch size, and the data it is fitted to. Each name is declared here once.
 *
 * <p>In the library (not in the application) so that every module that trains or sweeps the
 * notebook's models — the command line, the Spark jobs — reads the same table.
 */
public final class NotebookModels {
  private NotebookModels() {}

  /**
   * What a model is fitted to, and what it should ideally give.
   *
   * @param x the inputs, one row per sample
   * @param y the targets the model is fitted to (for the ReLU fits: x^2 plus noise)
   * @param truth what the model should ideally give (for the ReLU fits: the noiseless x^2)
   */
  public record Data(double[][] x, double[][] y, double[][] truth) {}

  /**
   * A model of the notebook: {@code Sequential(layers)}, compile, fit.
   *
   * @param name the model's name (its export directory, its name on the command line)
   * @param inputDim the number of input columns
   * @param layers the layers, in order
   * @param loss the loss it is compiled with
   * @param learningRate Adam's learning rate
   * @param epochs the epochs of its fit
   * @param batchSize the batch size of its fit
   * @param regression true for the ReLU fits of x^2, false for the gates
   */
  public record Spec(
      String name,
      int inputDim,
      List<Layer> layers,
      Loss loss,
      double learningRate,
      int epochs,
      int batchSize,
      boolean regression) {

    /**
     * {@code Sequential([Input((inputDim,)), *layers]).compile(loss, Adam(lr))}, seeded.
     *
     * @param seed the seed of the initial weights
     * @return the compiled model
     */
    public Sequential build(long seed) {
      return compile(sequential(), seed);
    }

    /**
     * {@code Sequential([Input((inputDim,)), *layers])}, not compiled yet. Its name ({@code
     * sequential_N}) is drawn now: models drawn in the notebook's order and then compiled and
     * fitted on other threads ({@link #compile}) carry the names of a sequential run.
     *
     * @return the model, uncompiled
     */
    public Sequential sequential() {
      return Sequential.of(inputDim, layers.toArray(Layer[]::new));
    }

    /**
     * Compiles a model of {@link #sequential()} as {@link #build} does.
     *
     * @param model the model of {@link #sequential()}
     * @param seed the seed of the initial weights
     * @return the model, compiled
     */
    public Sequential compile(Sequential model, long seed) {
      return model.compile(loss, Adam.learningRate(learningRate), seed);
    }

    /**
     * {@code fit}'s arguments: epochs (or {@code epochsOverride}), batch size, shuffle seed.
     *
     * @param epochsOverride the epochs instead of the model's, or null
     * @param seed the seed of the shuffles
     * @return the fit's arguments
     */
    public Fit fit(Integer epochsOverride, long seed) {
      return Fit.epochs(epochsOverride != null ? epochsOverride : epochs)
          .batchSize(batchSize)
          .seed(seed);
    }

    /**
     * The data: a gate's four rows, or the x^2 + noise of the ReLU fits (noise from seed).
     *
     * @param seed the seed of the ReLU fits' noise (the gates ignore it)
     * @return the inputs, targets and truth
     */
    public Data data(long seed) {
      if (regression) return parabola(seed);
      double[] labels =
          switch (name.substring(0, name.indexOf('-'))) {
            case "or" -> Gates.OR;
            case "and" -> Gates.AND;
            default -> Gates.XOR;
          };
      return new Data(Gates.X, Gates.column(labels), Gates.column(labels));
    }
  }

  /** The gate models: Dense(1) linear and sigmoid on OR, AND (and XOR), the XOR MLP. */
  public static final List<Spec> GATES =
      List.of(
          gate("or-linear", Dense.of(1, "linear")),
          gate("and-linear", Dense.of(1, "linear")),
          gate("or-sigmoid", Dense.of(1, "sigmoid")),
          gate("and-sigmoid", Dense.of(1, "sigmoid")),
          gate("xor-sigmoid", Dense.of(1, "sigmoid")),
          gate("xor-mlp", Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid")));

  /** "Can ReLU get non-linear features?": two ReLU nets of 19 parameters fitting x^2. */
  public static final List<Spec> RELU_FITS =
      List.of(
          parabola("relu-parallel", Dense.of(6, "relu"), Dense.of(1)),
          parabola(
              "relu-serial",
              Dense.of(2, "relu"),
              Dense.of(2, "relu"),
              Dense.of(2, "relu"),
              Dense.of(1)));

  /**
   * Beyond the notebook, for the cross-check: the XOR MLP with binary cross-entropy, and with a
   * trainable PReLU hidden layer (alpha per unit, starting at the notebook's 0.1).
   */
  public static final List<Spec> EXTRAS =
      List.of(
          new Spec(
              "xor-bce",
              2,
              List.of(Dense.of(2, "sigmoid"), Dense.of(1, "sigmoid")),
              Loss.BINARY_CROSSENTROPY,
              0.01,
              1000,
              32,
              false),
          new Spec(
              "xor-prelu",
              2,
              List.of(Dense.of(4), new PRelu(0.1), Dense.of(1, "sigmoid")),
              Loss.MSE,
              0.01,
              1000,
              32,
              false));

  /**
   * Every trained model, in order: gates, ReLU fits, extras.
   *
   * @return the models
   */
  public static List<Spec> all() {
    return Stream.of(GATES, RELU_FITS, EXTRAS).flatMap(List::stream).toList();
  }

  /**
   * The names of models.
   *
   * @param specs the models
   * @return their names, in the same order
   */
  public static List<String> names(List<Spec> specs) {
    return specs.stream().map(Spec::name).toList();
  }

  /**
   * The model of this name; an unknown one is an error that lists the valid ones.
   *
   * @param name a model's name, e.g. {@code xor-mlp}
   * @return its row of the table
   * @throws IllegalArgumentException for an unknown name (the message lists the valid ones)
   */
  public static Spec get(String name) {
    return all().stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown model '" + name + "'; valid: " + String.join(", ", names(all()))));
  }

  private static Spec gate(String name, Layer... layers) {
    return new Spec(name, 2, List.of(layers), Loss.MSE, 0.01, 1000, 32, false);
  }

  private static Spec parabola(String name, Layer... layers) {
    return new Spec(name, 1, List.of(layers), Loss.MSE, 0.005, 100, 32, true);
  }

  /** q_X = -10 + i/100 (i = 0..2000), q_y = x^2 + 10 N(0,1) from {@code seed}; truth x^2. */
  static Data parabola(long seed) {
    int n = 2001;
    double[][] x = new double[n][1];
    double[][] y = new double[n][1];
    double[][] truth = new double[n][1];
    Random rnd = new Random(seed);
    for (int i = 0; i < n; i++) {
      x[i][0] = -10 + i / 100.0;
      truth[i][0] = x[i][0] * x[i][0];
      y[i][0] = truth[i][0] + 10 * rnd.nextGaussian();
    }
    return new Data(x, y, truth);
  }

  /**
   * The first column of rows (the one output of these models).
   *
   * @param rows rows of at least one value
   * @return their first values
   */
  public static double[] column(double[][] rows) {
    double[] c = new double[rows.length];
    for (int i = 0; i < rows.length; i++) c[i] = rows[i][0];
    return c;
  }
}
