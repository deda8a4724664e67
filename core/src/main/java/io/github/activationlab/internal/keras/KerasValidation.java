package io.github.activationlab.internal.keras;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link KerasFiles#write} checks before it writes a byte, of what this package knows (names,
 * dtypes, connections, finite values); each failure is one message naming the layer. That each
 * layer's weights are the ones its class needs is the library's layer registry's check.
 */
final class KerasValidation {
  private KerasValidation() {}

  static void validate(KerasModelFile model) {
    String m = "model '" + model.name() + "'";
    if (model.name().isEmpty() || model.name().contains("/")) {
      throw new IllegalArgumentException(m + ": a Keras name must be non-empty, without '/'");
    }
    if (model.layers().isEmpty()) throw new IllegalArgumentException(m + ": no layers");
    Set<String> names = new HashSet<>();
    for (KerasLayer l : model.layers()) {
      String where = "layer '" + l.name() + "' (" + l.className() + ")";
      if (l.name().isEmpty() || l.name().contains("/")) {
        throw new IllegalArgumentException(
            where + ": a Keras layer name must be non-empty, without '/'");
      }
      if (!names.add(l.name())) {
        throw new IllegalArgumentException(where + ": layer names must be unique in a model");
      }
      if (l.className().equals(KerasLayer.INPUT)) {
        long[] s = l.inputShape();
        if (s == null || s.length == 0)
          throw new IllegalArgumentException(where + ": no batch_shape");
        if (!l.weights().isEmpty()) throw new IllegalArgumentException(where + ": has weights");
      }
      checkDtype(l.dtype(), where);
      for (KerasWeight x : l.weights()) finite(where + ": weight " + x.name(), x);
      if (!model.sequential()) {
        for (String in : l.inbound()) {
          if (model.layers().stream().noneMatch(o -> o.name().equals(in))) {
            throw new IllegalArgumentException(where + ": reads undefined layer '" + in + "'");
          }
        }
        if (!l.inputShapes().isEmpty() && l.inbound().size() != l.inputShapes().size()) {
          throw new IllegalArgumentException(where + ": one input shape per inbound layer needed");
        }
      }
    }
    if (model.sequential() && !model.layers().get(0).className().equals(KerasLayer.INPUT)) {
      throw new IllegalArgumentException(m + ": a Sequential's first layer must be its InputLayer");
    }
    KerasCompile c = model.compile();
    if (c != null) {
      for (Map.Entry<String, Object> e : c.optimizerConfig().entrySet()) {
        if (e.getValue() instanceof Double d && !Double.isFinite(d)) {
          throw new IllegalArgumentException(m + ": optimizer config " + e.getKey() + " = " + d);
        }
      }
    }
    KerasOptimizerState opt = model.optimizer();
    if (opt == null) return;
    if (c == null) {
      throw new IllegalArgumentException(m + ": optimizer state without a compile config");
    }
    Object lr = c.optimizerConfig().get("learning_rate");
    if (!(lr instanceof Number n) || (float) n.doubleValue() != (float) opt.learningRate()) {
      throw new IllegalArgumentException(
          m
              + ": the optimizer's learning_rate variable "
              + opt.learningRate()
              + " differs from the compile config's learning_rate "
              + lr
              + " (Keras would load the variable's)");
    }
    if (!Float.isFinite((float) opt.learningRate())) {
      throw new IllegalArgumentException(m + ": learning rate " + opt.learningRate());
    }
    for (KerasWeight w : opt.variables()) finite(m + ": optimizer variable " + w.name(), w);
  }

  private static void checkDtype(String dtype, String where) {
    if (!List.of("float32", "float64").contains(dtype)) {
      throw new IllegalArgumentException(
          where + ": dtype " + dtype + " cannot be written (float32 or float64)");
    }
  }

  private static void finite(String where, KerasWeight w) {
    boolean f32 = w.dtype().equals("float32");
    double[] values = w.values();
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
