package io.github.activationlab.nn;

/**
 * {@code model.summary()} as Keras 2 printed it in the notebook (Layer (type), Output Shape, Param
 * #).
 */
final class Summary {
  private Summary() {}

  static String of(String modelName, Architecture arch) {
    String line = "_".repeat(65);
    String thick = "=".repeat(65);
    StringBuilder b = new StringBuilder();
    b.append("Model: \"").append(modelName).append("\"\n").append(line).append('\n');
    b.append(String.format("%-28s %-24s %s%n", " Layer (type)", "Output Shape", "Param #"));
    b.append(thick).append('\n');
    long total = 0;
    var weights = arch.weights();
    for (int i = 0; i < arch.layers().size(); i++) {
      Layer l = arch.layers().get(i);
      final int layer = i;
      long params =
          weights.stream()
              .filter(w -> w.layer() == layer)
              .mapToLong(Architecture.Weight::size)
              .sum();
      total += params;
      b.append(
          String.format(
              "%-28s %-24s %d%n",
              " " + arch.layerNames().get(i) + " (" + l.type() + ")",
              "(None, " + l.units(arch.inputDimOf(i)) + ")",
              params));
      b.append(i == arch.layers().size() - 1 ? thick : line).append('\n');
    }
    b.append("Total params: ").append(total).append('\n');
    b.append("Trainable params: ").append(total).append('\n');
    b.append("Non-trainable params: 0\n").append(line).append('\n');
    return b.toString();
  }
}
