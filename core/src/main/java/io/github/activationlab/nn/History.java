package io.github.activationlab.nn;

import java.util.List;

/**
 * What {@code fit} returns: per-epoch loss and accuracy, and the batching it trained with, whose
 * {@link #batches()} (the sample indices of every batch, as run.json records them) are derived on
 * demand.
 */
public record History(List<Double> loss, List<Double> accuracy, Batching batching) {
  public double finalLoss() {
    return loss.get(loss.size() - 1);
  }

  /** Per epoch, the sample indices of each batch, in order. */
  public List<List<int[]>> batches() {
    return batching.batches();
  }
}
