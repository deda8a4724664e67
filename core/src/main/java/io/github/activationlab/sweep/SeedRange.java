package io.github.activationlab.sweep;

import io.github.activationlab.activation.Activation;
import io.github.activationlab.activation.Activations;
import io.github.activationlab.activation.ElementWise;
import io.github.activationlab.activation.RowWise;
import io.github.activationlab.nn.Adam;
import io.github.activationlab.nn.Architecture;
import io.github.activationlab.nn.Dense;
import io.github.activationlab.nn.Layer;
import io.github.activationlab.nn.SeedSweep;
import io.github.activationlab.nn.SweepChunks;
import io.github.activationlab.notebook.NotebookModels;
import io.github.activationlab.tf.DTypes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One contiguous range of seeds {@code [first, first + count)} of one notebook model with one
 * activation, trained as the single-machine {@code sweep} trains them ({@link SeedSweep}, all seeds
 * of a chunk in one XLA op): the narrow entry point a distributed sweep (the Spark job) runs per
 * task, with the rules that say what is swept.
 *
 * <p>What varies and what does not, as in the {@code sweep} command: the activation replaces that
 * of every hidden {@code Dense} layer (every {@code Dense} but the last; a single-layer model's one
 * layer); PReLU layers are kept; the seeds vary the initial weights and the shuffles; the data are
 * the same for every seed, the model's data with seed {@value #DATA_SEED}.
 *
 * <p>Seed s's result depends only on s and on the chunk width it is trained in: a range trained
 * with the single-machine sweep's chunk width, starting at a chunk's first seed, gives that chunk's
 * results bit for bit. (The seeds of a chunk are independent — each its own weights, shuffles and
 * Adam state — but XLA compiles a loop per width, whose float rounding may differ.)
 */
public final class SeedRange {
  private SeedRange() {}

  /** The data of every sweep: the model's data with the notebook's default seed. */
  public static final long DATA_SEED = 42;

  /**
   * What a range trains: a model of the notebook by name, the activation of its hidden layers by
   * Keras name, and the training settings: plain values, which a cluster's task rebuilds it from.
   *
   * @param model a model of {@link NotebookModels}, e.g. {@code xor-mlp}
   * @param activation an element-wise activation with a gradient, e.g. {@code relu}
   * @param epochs the epochs of every seed's fit
   * @param learningRate Adam's learning rate
   * @param dtype {@code float32} or {@code float64}
   */
  public record Setup(
      String model, String activation, int epochs, double learningRate, String dtype) {

    /**
     * What {@link SeedSweep} trains for this setup.
     *
     * @return the architecture (activation replaced), dtype, loss, Adam, epochs, batch size,
     *     shuffled, with XLA
     */
    public SeedSweep.Spec spec() {
      NotebookModels.Spec m = NotebookModels.get(model);
      return new SeedSweep.Spec(
          Architecture.of(
              m.inputDim(), withActivation(m.layers(), SeedRange.activation(activation))),
          DTypes.of(dtype),
          m.loss(),
          Adam.learningRate(learningRate),
          epochs,
          m.batchSize(),
          true,
          true);
    }
  }

  /**
   * Trains seeds {@code first .. first + count - 1}: a {@link SeedSweep} of {@code width} seeds per
   * chunk (the last chunk padded), on the model's data, one chunk at a time.
   *
   * @param setup what to train
   * @param first the first seed
   * @param count how many seeds (at least 1)
   * @param width seeds per chunk: the single-machine sweep's chunk for its results bit for bit
   * @return one outcome per seed, in seed order
   */
  public static List<SeedSweep.Outcome> run(Setup setup, long first, int count, int width) {
    if (count <= 0) throw new IllegalArgumentException("count must be positive, got " + count);
    if (width <= 0) throw new IllegalArgumentException("width must be positive, got " + width);
    NotebookModels.Data data = NotebookModels.get(setup.model()).data(DATA_SEED);
    try (SeedSweep sweep = new SeedSweep(setup.spec(), data.x().length, width)) {
      return sweep.run(data.x(), data.y(), data.truth(), first, count, 1, done -> {});
    }
  }

  /**
   * How the single-machine sweep runs: how many of its activations or chunks run side by side, and
   * its seeds per chunk.
   *
   * @param threads activations side by side (several activations: each one chunk at a time), or one
   *     activation's chunks side by side
   * @param chunk seeds per {@link SeedSweep} run, the same for every activation (they change no
   *     shape)
   */
  public record Layout(int threads, int chunk) {}

  /**
   * The single-machine sweep's layout for {@code seeds} seeds of {@code activations} activations on
   * {@code threads} threads: several activations run side by side (at most one thread each), each
   * one chunk at a time; one activation runs its chunks side by side. What runs side by side shares
   * the memory budget ({@link SweepChunks#CHUNK_BYTES}) — or runs one at a time with all of it, if
   * one seed is too big to share it; the chunk is {@link SweepChunks#chunkSize}'s (within the cache
   * and the budget, at least one chunk per thread).
   *
   * @param setup what is trained (the layout does not depend on the activation)
   * @param seeds the seeds of the sweep
   * @param activations the activations swept
   * @param threads the threads asked for (positive)
   * @return the threads side by side and the chunk
   * @throws IllegalArgumentException if one seed alone exceeds the budget
   */
  public static Layout layout(Setup setup, int seeds, int activations, int threads) {
    SeedSweep.Spec spec = setup.spec();
    int n = NotebookModels.get(setup.model()).data(DATA_SEED).x().length;
    int side = activations > 1 ? Math.min(threads, activations) : threads;
    if (side > 1 && SweepChunks.bytesPerSeed(spec, n) > SweepChunks.CHUNK_BYTES / side) {
      side = 1; // a seed too big to share the budget: one chunk at a time
    }
    int chunkThreads = activations > 1 ? 1 : side;
    int chunk = SweepChunks.chunkSize(spec, n, seeds, SweepChunks.CHUNK_BYTES / side, chunkThreads);
    return new Layout(side, chunk);
  }

  /**
   * The activations to sweep, by Keras name: the names given (or aliases), {@code all} (every
   * element-wise activation of the catalogue with a gradient), or the model's own (null or empty).
   *
   * @param model a model of {@link NotebookModels}
   * @param names the names given, or null
   * @return canonical names, in the order given
   * @throws IllegalArgumentException for an unknown, row-wise or untrainable activation, one given
   *     twice, or {@code all} combined with names
   */
  public static List<String> activations(String model, List<String> names) {
    NotebookModels.Spec spec = NotebookModels.get(model);
    if (names == null || names.isEmpty()) return List.of(ownActivation(spec).name());
    List<String> given = names.stream().map(String::strip).toList();
    if (given.contains("all")) {
      if (given.size() > 1) {
        throw new IllegalArgumentException("--activation all cannot be combined with names");
      }
      return sweepable();
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String name : given) {
      if (name.isEmpty()) throw new IllegalArgumentException("--activation has an empty name");
      ElementWise a = activation(name);
      if (!seen.add(a.name())) {
        throw new IllegalArgumentException("activation '" + a.name() + "' is given twice");
      }
    }
    return List.copyOf(seen);
  }

  /**
   * Every element-wise activation of the catalogue with a gradient (all but binary_step).
   *
   * @return their names, in catalogue order
   */
  public static List<String> sweepable() {
    return Activations.all().stream()
        .filter(a -> a instanceof ElementWise && !a.name().equals("binary_step"))
        .map(Activation::name)
        .toList();
  }

  /** One activation a sweep can train, or a one-line reason why not. */
  static ElementWise activation(String name) {
    Activation a;
    try {
      a = Activations.get(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown activation '"
              + name
              + "'; valid: "
              + String.join(", ", sweepable())
              + " (or all)");
    }
    if (a instanceof RowWise) {
      throw new IllegalArgumentException(
          a.name()
              + " is not element-wise (it maps each row of"
              + " a layer's outputs to a row); the sweep replaces element-wise activations only");
    }
    if (a.name().equals("binary_step")) {
      throw new IllegalArgumentException(
          "binary_step cannot be trained by gradient descent: its derivative is 0 wherever it"
              + " exists (TensorFlow has no gradient for its comparison), so the weights before it"
              + " never move");
    }
    return (ElementWise) a;
  }

  private static ElementWise ownActivation(NotebookModels.Spec spec) {
    List<Layer> layers = spec.layers();
    for (int i = 0; i < layers.size(); i++) {
      if (replaced(layers, i)) return (ElementWise) ((Dense) layers.get(i)).activation();
    }
    throw new IllegalArgumentException(
        spec.name() + " has no Dense layer whose activation a sweep could replace");
  }

  private static boolean replaced(List<Layer> layers, int i) {
    return layers.get(i) instanceof Dense && (i < layers.size() - 1 || layers.size() == 1);
  }

  private static List<Layer> withActivation(List<Layer> layers, ElementWise a) {
    List<Layer> out = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      out.add(replaced(layers, i) ? new Dense(((Dense) l).units(), a, ((Dense) l).useBias()) : l);
    }
    return out;
  }

  /**
   * The layers as text, the replaced activations shown as {@code *}: {@code Dense(2, *) -> Dense(1,
   * sigmoid)}.
   *
   * @param model a model of {@link NotebookModels}
   * @return its layers
   */
  public static String describe(String model) {
    List<String> parts = new ArrayList<>();
    List<Layer> layers = NotebookModels.get(model).layers();
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      parts.add(
          l instanceof Dense d
              ? "Dense("
                  + d.units()
                  + ", "
                  + (replaced(layers, i) ? "*" : d.activation().name())
                  + ")"
              : l.type());
    }
    return String.join(" -> ", parts);
  }

  /**
   * Units of each hidden layer (every layer but the last), as {@link SeedSweep} counts dead units.
   *
   * @param model a model of {@link NotebookModels}
   * @return the units per hidden layer
   */
  public static int[] hiddenUnits(String model) {
    NotebookModels.Spec spec = NotebookModels.get(model);
    List<Layer> layers = spec.layers();
    int[] units = new int[layers.size() - 1];
    int d = spec.inputDim();
    for (int i = 0; i < units.length; i++) {
      d = layers.get(i).units(d);
      units[i] = d;
    }
    return units;
  }
}
