package io.github.activationlab.perceptron;

import java.io.PrintStream;
import java.util.Random;

/**
 * The notebook's hand-written perceptron, in plain Java: the reference its TensorFlow version is
 * checked against. Binary step activation ({@code 0 if z < threshold else 1}), the perceptron rule
 * {@code w += lr * (label - prediction) * x}, {@code b += lr * (label - prediction)}, one sample at
 * a time in the data's order.
 */
public final class Perceptron {
  private final double[] weights;
  private double bias;
  private final double learningRate;
  private final double threshold;

  /** Weights and bias from N(0, 1) (the notebook's {@code np.random.randn}), seeded. */
  public Perceptron(int inputSize, long seed) {
    this(randn(inputSize, seed), randn(inputSize + 1, seed)[inputSize], 0.01, 0);
  }

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

  /** Binary step of {@code inputs . weights + bias}. */
  public double predict(double[] inputs) {
    double z = 0;
    for (int j = 0; j < weights.length; j++) z += inputs[j] * weights[j];
    z += bias;
    return z < threshold ? 0 : 1;
  }

  public double[] predict(double[][] inputs) {
    double[] p = new double[inputs.length];
    for (int i = 0; i < inputs.length; i++) p[i] = predict(inputs[i]);
    return p;
  }

  /**
   * The perceptron rule for {@code epochs} epochs; prints the last epoch's accuracy (verbose=0).
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

  public double accuracy(double[][] inputs, double[] labels) {
    double[] p = predict(inputs);
    int hit = 0;
    for (int i = 0; i < p.length; i++) if (p[i] == labels[i]) hit++;
    return (double) hit / p.length;
  }

  public double[] weights() {
    return weights.clone();
  }

  public double bias() {
    return bias;
  }

  public double learningRate() {
    return learningRate;
  }

  public double threshold() {
    return threshold;
  }
}
