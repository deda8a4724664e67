package io.github.activationlab.nn;

import java.util.List;

/** What {@code fit} returns: per-epoch loss and accuracy, and the sample indices of every batch. */
public record History(List<Double> loss, List<Double> accuracy, List<List<int[]>> batches) {
  public double finalLoss() {
    return loss.get(loss.size() - 1);
  }
}
