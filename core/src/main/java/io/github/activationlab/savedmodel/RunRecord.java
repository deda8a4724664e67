package io.github.activationlab.savedmodel;

import io.github.activationlab.nn.Fit;
import io.github.activationlab.nn.History;
import io.github.activationlab.nn.Layer;
import io.github.activationlab.nn.Optimizer;
import io.github.activationlab.nn.Sequential;
import io.github.activationlab.tf.DTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code run.json} records of a training run (DESIGN.md): the architecture, the optimizer, the
 * data as trained on, initial and final weights in Keras's {@code get_weights()} order (kernels as
 * rows), every batch's sample indices, the loss history and the probe outputs. The Python
 * cross-check replays the run in Keras from it; {@link ModelExport#export} writes it beside the
 * SavedModel.
 *
 * @param name the model's name, e.g. {@code xor-mlp}
 * @param model the trained model (its layers, loss, optimizer, seed and dtype are recorded)
 * @param fit the fit's arguments (epochs, batch size, shuffle)
 * @param x the training inputs
 * @param y the training targets
 * @param initialWeights the weights before training, in {@code getWeights()} order
 * @param finalWeights the weights after training, likewise
 * @param history what {@code fit} returned (losses, accuracies, batches)
 * @param probeX inputs to check a loaded model with
 * @param probeY the model's outputs for them
 */
public record RunRecord(
    String name,
    Sequential model,
    Fit fit,
    double[][] x,
    double[][] y,
    List<double[]> initialWeights,
    List<double[]> finalWeights,
    History history,
    double[][] probeX,
    double[][] probeY) {

  /**
   * The JSON tree, in DESIGN.md's field order, for Gson.
   *
   * @return a new map of maps, lists, arrays and numbers
   */
  public Map<String, Object> toJson() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("name", name);
    List<Map<String, Object>> layers = new ArrayList<>();
    for (Layer l : model.layers()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", l.type());
      if (l instanceof io.github.activationlab.nn.Dense d) m.put("units", d.units());
      m.put("activation", l.activationName());
      layers.add(m);
    }
    j.put("layers", layers);
    j.put("input_dim", model.inputDim());
    j.put("dtype", DTypes.name(model.dtype()));
    j.put("loss", model.loss().kerasName);
    Optimizer a = model.optimizer();
    Map<String, Object> optimizer = new LinkedHashMap<>();
    optimizer.put("name", a.kerasClass().toLowerCase(java.util.Locale.ROOT));
    optimizer.putAll(a.config());
    j.put("optimizer", optimizer);
    j.put("epochs", fit.epochs());
    j.put("batch_size", fit.batchSize());
    j.put("shuffle", fit.shuffle());
    j.put("seed", model.seed());
    j.put("x", x);
    j.put("y", y);
    j.put(
        "weight_names",
        model.architecture().weights().stream()
            .map(io.github.activationlab.nn.Architecture.Weight::path)
            .toList());
    j.put("initial_weights", kerasOrder(initialWeights));
    j.put("final_weights", kerasOrder(finalWeights));
    j.put("batches", history.batches());
    j.put("history", ordered("loss", history.loss(), "accuracy", history.accuracy()));
    j.put("probe", ordered("x", probeX, "y", probeY));
    return j;
  }

  /** Two entries in this order ({@code Map.of}'s order changes from JVM to JVM). */
  private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  /** Kernels as lists of rows, vectors as lists. */
  private List<Object> kerasOrder(List<double[]> weights) {
    List<Object> out = new ArrayList<>();
    List<long[]> shapes = model.weightShapes();
    for (int i = 0; i < weights.size(); i++) {
      long[] s = shapes.get(i);
      double[] w = weights.get(i);
      if (s.length == 2) {
        double[][] rows = new double[(int) s[0]][];
        for (int r = 0; r < s[0]; r++) {
          rows[r] = java.util.Arrays.copyOfRange(w, (int) (r * s[1]), (int) ((r + 1) * s[1]));
        }
        out.add(rows);
      } else {
        out.add(w);
      }
    }
    return out;
  }
}
