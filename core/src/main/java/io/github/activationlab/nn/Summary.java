package io.github.activationlab.nn;

import io.github.activationlab.internal.keras.KerasFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code model.summary()} as Keras 2 printed it in the notebook: Layer (type), Output Shape, Param
 * # for a Sequential; for a Functional model also Connected to ({@code dense[0][0]}: the layer, its
 * node and tensor), the layers in Keras's order with the InputLayers, as Keras 2's {@code
 * print_summary} lays it out (98 columns, a long field broken after {@code ',}).
 */
final class Summary {
  private Summary() {}

  static String of(String modelName, Architecture arch) {
    return arch.isSequential() ? sequential(modelName, arch) : functional(modelName, arch);
  }

  private static long params(Architecture arch, int layer) {
    return arch.weights().stream()
        .filter(w -> w.layer() == layer)
        .mapToLong(Architecture.Weight::size)
        .sum();
  }

  private static String sequential(String modelName, Architecture arch) {
    String line = "_".repeat(65);
    String thick = "=".repeat(65);
    StringBuilder b = new StringBuilder();
    b.append("Model: \"").append(modelName).append("\"\n").append(line).append('\n');
    b.append(String.format("%-28s %-24s %s%n", " Layer (type)", "Output Shape", "Param #"));
    b.append(thick).append('\n');
    int n = arch.nodes().size();
    for (int i = 0; i < n; i++) {
      b.append(
          String.format(
              "%-28s %-24s %d%n",
              " " + arch.layerNames().get(i) + " (" + arch.layers().get(i).type() + ")",
              KerasConfig.shapeText(arch.shape(arch.inputs().size() + i)),
              params(arch, i)));
      b.append(i == n - 1 ? thick : line).append('\n');
    }
    totals(b, arch);
    return b.append(line).append('\n').toString();
  }

  private static void totals(StringBuilder b, Architecture arch) {
    b.append("Total params: ").append(arch.countParams()).append('\n');
    b.append("Trainable params: ").append(arch.countTrainableParams()).append('\n');
    b.append("Non-trainable params: ")
        .append(arch.countParams() - arch.countTrainableParams())
        .append('\n');
  }

  /** Keras 2's columns: {@code int(98 * p)} for p in [0.33, 0.55, 0.67, 1]. */
  private static final int[] POSITIONS = {32, 53, 65, 98};

  private static String functional(String modelName, Architecture arch) {
    int width = POSITIONS[3];
    StringBuilder b = new StringBuilder();
    b.append("Model: \"").append(modelName).append("\"\n").append("_".repeat(width)).append('\n');
    row(b, List.of("Layer (type)", "Output Shape", "Param #", "Connected to"));
    b.append("=".repeat(width)).append('\n');
    int inputs = arch.inputs().size();
    // tensor number -> the Keras layer name that produced it
    List<String> names = new ArrayList<>();
    Map<String, List<String>> inbound = new LinkedHashMap<>();
    for (Architecture.Input in : arch.inputs()) {
      names.add(in.name());
      inbound.put(in.name(), List.of());
    }
    names.addAll(arch.layerNames());
    for (int k = 0; k < arch.nodes().size(); k++) {
      inbound.put(
          names.get(inputs + k), arch.nodes().get(k).inbound().stream().map(names::get).toList());
    }
    List<String> order =
        KerasFiles.layerOrder(
            inbound,
            arch.inputs().stream().map(Architecture.Input::name).toList(),
            arch.outputs().stream().map(names::get).toList());
    for (int i = 0; i < order.size(); i++) {
      int t = names.indexOf(order.get(i));
      if (t < inputs) {
        row(
            b,
            List.of(
                order.get(i) + " (InputLayer)",
                "[" + KerasConfig.shapeText(arch.shape(t)) + "]",
                "0",
                "[]"));
      } else {
        int k = t - inputs;
        List<String> from = new ArrayList<>();
        for (String in : inbound.get(order.get(i))) from.add("'" + in + "[0][0]'");
        row(
            b,
            List.of(
                order.get(i) + " (" + arch.layers().get(k).type() + ")",
                KerasConfig.shapeText(arch.shape(t)),
                String.valueOf(params(arch, k)),
                "[" + String.join(", ", from) + "]"));
      }
      if (i < order.size() - 1) b.append('\n');
    }
    b.append("=".repeat(width)).append('\n');
    totals(b, arch);
    return b.append("_".repeat(width)).append('\n').toString();
  }

  /** Keras 2's {@code print_row}: fields cut at their column, broken after {@code ),} etc. */
  private static void row(StringBuilder b, List<String> fields) {
    String[] left = fields.toArray(String[]::new);
    while (java.util.Arrays.stream(left).anyMatch(s -> !s.isEmpty())) {
      StringBuilder line = new StringBuilder();
      for (int col = 0; col < left.length; col++) {
        int start = col > 0 ? POSITIONS[col - 1] : 0;
        int space = col != POSITIONS.length - 1 ? 2 : 0;
        int last = POSITIONS.length - 1;
        int cutoff =
            Math.min(left[col].length(), POSITIONS[col] - start - space - (col != last ? 1 : 0));
        String fit = left[col].substring(0, cutoff);
        int best = -1;
        for (String brk : List.of("),", "},", "],", "',")) {
          int at = fit.indexOf(brk);
          if (at >= 0 && (best < 0 || at + brk.length() < best)) best = at + brk.length();
        }
        if (best >= 0) {
          cutoff = best;
          fit = fit.substring(0, cutoff);
        }
        if (col == 0) line.append(' ');
        line.append(fit).append(" ".repeat(space));
        left[col] = left[col].substring(cutoff);
        while (line.length() < POSITIONS[col]) line.append(' ');
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
  }
}
