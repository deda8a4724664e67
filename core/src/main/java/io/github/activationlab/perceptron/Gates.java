package io.github.activationlab.perceptron;

/**
 * The notebook's logic-gate data: the four corners of [0,1]^2 and each gate's labels, in the
 * notebook's order.
 *
 * <pre>{@code
 * model.fit(Gates.X, Gates.column(Gates.XOR), Fit.epochs(1000));
 * }</pre>
 *
 * <p>The arrays are shared constants: read them, do not write to them.
 */
public final class Gates {
  private Gates() {}

  /** {@code X = [[0,0], [1,0], [0,1], [1,1]]}, in the notebook's order. */
  public static final double[][] X = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};

  /** OR's labels for {@link #X}. */
  public static final double[] OR = {0, 1, 1, 1};

  /** AND's labels for {@link #X}. */
  public static final double[] AND = {0, 0, 0, 1};

  /** XOR's labels for {@link #X}: not linearly separable. */
  public static final double[] XOR = {0, 1, 1, 0};

  /** X with the notebook's "quadratic polynomial" feature x1*x2 added: XOR becomes separable. */
  public static final double[][] X_WITH_PRODUCT = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {1, 1, 1}};

  /**
   * Labels as a column, for the Keras-style models (one output each).
   *
   * @param labels one label per sample
   * @return a new {@code [n][1]} array
   */
  public static double[][] column(double[] labels) {
    double[][] y = new double[labels.length][1];
    for (int i = 0; i < labels.length; i++) y[i][0] = labels[i];
    return y;
  }

  /**
   * The notebook's test grid, for decision maps.
   *
   * @return a new array of the 101 * 101 points (x/100, y/100) for x, y in 0..100, in {@code
   *     itertools.product} order (y fastest)
   */
  public static double[][] grid() {
    double[][] g = new double[101 * 101][];
    int k = 0;
    for (int i = 0; i <= 100; i++) {
      for (int j = 0; j <= 100; j++) g[k++] = new double[] {i / 100.0, j / 100.0};
    }
    return g;
  }
}
