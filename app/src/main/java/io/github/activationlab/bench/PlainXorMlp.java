package io.github.activationlab.bench;

/**
 * The XOR MLP (2 -> 2 sigmoid -> 1 sigmoid, mse, Adam) trained in plain Java float arithmetic, full
 * batch: the floor of what one training step costs, with no framework at all.
 */
final class PlainXorMlp {
  private PlainXorMlp() {}

  static final float[][] X = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
  static final float[] Y = {0, 1, 1, 0};

  /** Trains from fixed weights for {@code steps} steps and returns the final loss. */
  static float train(int steps) {
    float[] w = {0.5f, -0.6f, 0.4f, 0.7f, 0, 0, 0.8f, -0.9f, 0}; // k1 (2x2), b1, k2 (2), b2
    float[] m = new float[9];
    float[] v = new float[9];
    float[] g = new float[9];
    float lr = 0.01f;
    float b1 = 0.9f;
    float b2 = 0.999f;
    float eps = 1e-7f;
    float loss = 0;
    for (int t = 1; t <= steps; t++) {
      java.util.Arrays.fill(g, 0);
      loss = 0;
      for (int i = 0; i < 4; i++) {
        float h0 = sig(X[i][0] * w[0] + X[i][1] * w[2] + w[4]);
        float h1 = sig(X[i][0] * w[1] + X[i][1] * w[3] + w[5]);
        float o = sig(h0 * w[6] + h1 * w[7] + w[8]);
        float err = o - Y[i];
        loss += err * err / 4;
        float dz2 = err / 2 * o * (1 - o);
        g[8] += dz2;
        g[6] += dz2 * h0;
        g[7] += dz2 * h1;
        float dz10 = dz2 * w[6] * h0 * (1 - h0);
        float dz11 = dz2 * w[7] * h1 * (1 - h1);
        g[4] += dz10;
        g[5] += dz11;
        g[0] += dz10 * X[i][0];
        g[2] += dz10 * X[i][1];
        g[1] += dz11 * X[i][0];
        g[3] += dz11 * X[i][1];
      }
      float alpha = (float) (lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t)));
      for (int k = 0; k < 9; k++) {
        m[k] += (g[k] - m[k]) * (1 - b1);
        v[k] += (g[k] * g[k] - v[k]) * (1 - b2);
        w[k] -= alpha * m[k] / ((float) Math.sqrt(v[k]) + eps);
      }
    }
    return loss;
  }

  private static float sig(float z) {
    return (float) (1 / (1 + Math.exp(-z)));
  }
}
