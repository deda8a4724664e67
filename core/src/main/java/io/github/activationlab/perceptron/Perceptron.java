package io.github.activationlab.perceptron;

import java.io.PrintStream;
import java.util.Random;

/**
 * The notebook's hand-written perceptron, in plain Java: the reference its TensorFlow version is
 * checked against. Binary step activation ({@code 0 if z < threshold else 1}), the perceptron rule
 * {@code w += lr * (label - prediction) * x}, {@code b += lr * (label - prediction)}, one sample at
 * a time in the data's order.
 *
 * <pre>{@code
 * Perceptron p = new Perceptron(2, 0);
 * p.train(Gates.X, Gates.AND, 1000, System.out); // prints "999th epoch, accuracy : 1.0"
 * }</pre>
 *
 * <p>Mutable (training changes the weights) and not thread-safe.
 */
public final class Perceptron {
  private final double[] weights;
  private double bias;
  private final double learningRate;
  private final double threshold;

  /**
   * Weights and bias from N(0, 1) (the notebook's {@code np.random.randn}, drawn here by {@code
   * java.util.Random}), learning rate 0.01 and threshold 0, as the notebook's.
   *
   * @param inputSize the number of inputs
   * @param seed the seed of the draw
   */
  public Perceptron(int inputSize, long seed) {
    this(randn(inputSize, seed), randn(inputSize + 1, seed)[inputSize], 0.01, 0);
  }

  /**
   * A perceptron from a given start.
   *
   * @param weights the initial weights, one per input (copied)
   * @param bias the initial bias
   * @param learningRate the step of the perceptron rule
   * @param threshold where the binary step is: {@code z < threshold} gives 0
   */
  public Perceptron(double[] weights, double bias, double learningRate, double threshold) {
    this.weights = weights.clone();
    this.bias = bias;
    this.learningRate = learningRate;
    this.threshold = threshold;
  }

  private static double[] randn(int n, long seed) {
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
    return v;
  }

  /**
   * The prediction for one sample.
   *
   * @param inputs one value per weight
   * @return the binary step of {@code inputs . weights + bias}: 0 or 1
   */
  public double predict(double[] inputs) {
    double z = 0;
    for (int j = 0; j < weights.length; j++) z += inputs[j] * weights[j];
    z += bias;
    return z < threshold ? 0 : 1;
  }

  /**
   * The predictions for many samples.
   *
   * @param inputs the samples
   * @return 0 or 1 per sample
   */
  public double[] predict(double[][] inputs) {
    double[] p = new double[inputs.length];
    for (int i = 0; i < inputs.length; i++) p[i] = predict(inputs[i]);
    return p;
  }

  /**
   * The perceptron rule for {@code epochs} epochs; prints the last epoch's accuracy as the notebook
   * did ({@code verbose=0}: one line at the end).
   *
   * @param inputs the samples, visited in order
   * @param labels 0 or 1 per sample
   * @param epochs the number of passes (positive)
   * @param out where the line goes; null for none
   * @throws IllegalArgumentException for non-positive epochs
   */
  public void train(double[][] inputs, double[] labels, int epochs, PrintStream out) {
    if (epochs <= 0) throw new IllegalArgumentException("epochs must be positive, got " + epochs);
    for (int epoch = 0; epoch < epochs; epoch++) {
      for (int i = 0; i < inputs.length; i++) {
        double error = labels[i] - predict(inputs[i]);
        for (int j = 0; j < weights.length; j++) weights[j] += learningRate * error * inputs[i][j];
        bias += learningRate * error;
      }
    }
    if (out != null)
      out.printf("%dth epoch, accuracy : %s%n", epochs - 1, accuracy(inputs, labels));
  }

  /**
   * The fraction of samples predicted right.
   *
   * @param inputs the samples
   * @param labels 0 or 1 per sample
   * @return in [0, 1]
   */
  public double accuracy(double[][] inputs, double[] labels) {
    double[] p = predict(inputs);
    int hit = 0;
    for (int i = 0; i < p.length; i++) if (p[i] == labels[i]) hit++;
    return (double) hit / p.length;
  }

  /**
   * The current weights.
   *
   * @return a copy
   */
  public double[] weights() {
    return weights.clone();
  }

  /**
   * The current bias.
   *
   * @return the bias
   */
  public double bias() {
    return bias;
  }

  /**
   * The step of the perceptron rule.
   *
   * @return the learning rate
   */
  public double learningRate() {
    return learningRate;
  }

  /**
   * Where the binary step is.
   *
   * @return the threshold
   */
  public double threshold() {
    return threshold;
  }
}
