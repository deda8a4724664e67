package io.github.activationlab.internal.keras;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link KerasFiles#write} checks before it writes a byte: everything Keras's loader would
 * trip over (names, dtypes, shapes that chain from the input, weights Keras expects for each layer
 * class, finite values), each failure one message naming the layer.
 */
final class KerasValidation {
  private KerasValidation() {}

  /** Checks everything Keras would trip over, with one message naming the layer. */
  static void validate(KerasModelFile model) {
    String m = "model '" + model.name() + "'";
    if (model.name().isEmpty() || model.name().contains("/")) {
      throw new IllegalArgumentException(m + ": a Keras name must be non-empty, without '/'");
    }
    if (model.inputDim() < 1) {
      throw new IllegalArgumentException(m + ": inputDim = " + model.inputDim());
    }
    checkDtype(model.inputDtype(), m + ": input");
    Set<String> names = new HashSet<>();
    long features = model.inputDim();
    for (KerasLayer l : model.layers()) {
      String where = "layer '" + l.name() + "' (" + l.className() + ")";
      if (l.name().isEmpty() || l.name().contains("/")) {
        throw new IllegalArgumentException(
            where + ": a Keras layer name must be non-empty," + " without '/'");
      }
      if (!names.add(l.name())) {
        throw new IllegalArgumentException(where + ": layer names must be unique in a model");
      }
      checkDtype(l.dtype(), where);
      List<KerasWeight> w = l.weights();
      switch (l.className()) {
        case KerasLayer.DENSE -> {
          if (l.units() < 1) {
            throw new IllegalArgumentException(where + ": units = " + l.units());
          }
          if (l.activation() == null || l.activation().isEmpty()) {
            throw new IllegalArgumentException(where + ": no activation name (use \"linear\")");
          }
          if (!l.activationParams().isEmpty()) {
            throw new IllegalArgumentException(
                where
                    + ": Keras stores a Dense activation by"
                    + " name only, so "
                    + l.activation()
                    + "'s parameters "
                    + l.activationParams()
                    + " would be lost; write Dense(activation='linear') followed by an activation"
                    + " layer");
          }
          List<String> expectedNames = l.useBias() ? List.of("kernel", "bias") : List.of("kernel");
          List<long[]> shapes =
              l.useBias()
                  ? List.of(new long[] {features, l.units()}, new long[] {l.units()})
                  : List.of(new long[] {features, l.units()});
          checkWeights(where, w, expectedNames, shapes);
          features = l.units();
        }
        case KerasLayer.PRELU ->
            checkWeights(where, w, List.of("alpha"), List.of(new long[] {features}));
        case KerasLayer.ACTIVATION -> {
          checkWeights(where, w, List.of(), List.of());
          ActivationLayers.write(l); // throws for parameters no Keras layer stores
        }
        default ->
            throw new IllegalArgumentException(
                where
                    + ": unknown class "
                    + l.className()
                    + "; the neutral classes are Dense, PReLU and Activation");
      }
      boolean f32 = "float32".equals(l.dtype());
      for (KerasWeight x : w) {
        finite(where + ": weight " + x.name(), x.values(), f32);
      }
    }
    KerasCompile c = model.compile();
    if (c != null) {
      for (Map.Entry<String, Object> e : c.optimizerConfig().entrySet()) {
        if (e.getValue() instanceof Double d && !Double.isFinite(d)) {
          throw new IllegalArgumentException(m + ": optimizer config " + e.getKey() + " = " + d);
        }
      }
    }
    KerasAdamState adam = model.adam();
    if (adam == null) {
      return;
    }
    if (c == null || !c.optimizer().equals("Adam") || !WeightsH5.isPlainAdam(c)) {
      throw new IllegalArgumentException(
          m
              + ": Adam state needs a compile config with the"
              + " optimizer \"Adam\" (amsgrad, use_ema and gradient accumulation off); Keras would"
              + " drop it");
    }
    Object lr = ConfigWriter.optimizerConfig(model).get("learning_rate");
    if (!(lr instanceof Number n) || (float) n.doubleValue() != (float) adam.learningRate()) {
      throw new IllegalArgumentException(
          m
              + ": Adam's learning_rate variable "
              + adam.learningRate()
              + " differs from the compile config's learning_rate "
              + lr
              + " (Keras would load the variable's)");
    }
    List<KerasWeight> trainable = model.trainableWeights();
    if (adam.m().size() != trainable.size()) {
      throw new IllegalArgumentException(
          m
              + ": Adam state has m and v for "
              + adam.m().size()
              + " weights, the model has "
              + trainable.size()
              + " trainable weights");
    }
    int i = 0;
    for (KerasLayer l : model.layers()) {
      for (KerasWeight x : l.weights()) {
        String where = "layer '" + l.name() + "': Adam state of " + x.name();
        if (adam.m(i).length != x.size()) {
          throw new IllegalArgumentException(
              where + " has " + adam.m(i).length + " values, the weight " + x.size());
        }
        boolean f32 = "float32".equals(l.dtype());
        finite(where + " (m)", adam.m(i), f32);
        finite(where + " (v)", adam.v(i), f32);
        i++;
      }
    }
    if (!Double.isFinite(adam.learningRate()) || !Float.isFinite((float) adam.learningRate())) {
      throw new IllegalArgumentException(m + ": Adam learning rate " + adam.learningRate());
    }
  }

  private static void checkDtype(String dtype, String where) {
    if (!"float32".equals(dtype) && !"float64".equals(dtype)) {
      throw new IllegalArgumentException(
          where + ": dtype " + dtype + " cannot be written (float32 or float64)");
    }
  }

  private static void checkWeights(
      String where, List<KerasWeight> w, List<String> names, List<long[]> shapes) {
    if (w.size() != names.size()) {
      throw new IllegalArgumentException(where + ": " + w.size() + " weights, expected " + names);
    }
    for (int i = 0; i < w.size(); i++) {
      KerasWeight x = w.get(i);
      if (!x.name().equals(names.get(i)) || !Arrays.equals(x.shape(), shapes.get(i))) {
        throw new IllegalArgumentException(
            where
                + ": weight "
                + i
                + " is "
                + x.name()
                + " "
                + Arrays.toString(x.shape())
                + ", expected "
                + names.get(i)
                + " "
                + Arrays.toString(shapes.get(i)));
      }
    }
  }

  private static void finite(String where, double[] values, boolean f32) {
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (!Double.isFinite(v) || f32 && !Float.isFinite((float) v)) {
        throw new IllegalArgumentException(
            where
                + " holds "
                + v
                + " at index "
                + i
                + (f32 && Double.isFinite(v) ? " (beyond float32)" : ""));
      }
    }
  }
}
