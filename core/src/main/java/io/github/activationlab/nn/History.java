package io.github.activationlab.nn;

import java.util.List;

/**
 * What {@code fit} returns: per-epoch loss and accuracy, and the batching it trained with, whose
 * {@link #batches()} (the sample indices of every batch, as run.json records them) are derived on
 * demand.
 *
 * <pre>{@code
 * History h = model.fit(x, y, Fit.epochs(1000));
 * double last = h.finalLoss(); // = h.loss().get(999)
 * }</pre>
 *
 * @param loss each epoch's loss as Keras's History reports it: the batches' losses, each before its
 *     step's update, averaged with the batch sizes as weights
 * @param accuracy each epoch's accuracy (binary accuracy at threshold 0.5, Keras 3's {@code
 *     accuracy} for a one-output model), averaged likewise
 * @param batching the schedule the fit trained with
 */
public record History(List<Double> loss, List<Double> accuracy, Batching batching) {
  /**
   * The last epoch's loss.
   *
   * @return the loss of the last epoch (NaN or infinite if the fit diverged)
   */
  public double finalLoss() {
    return loss.get(loss.size() - 1);
  }

  /**
   * The sample indices of every batch the fit trained on, recomputed from {@link #batching()}.
   *
   * @return per epoch, the indices of each batch, in order
   */
  public List<List<int[]>> batches() {
    return batching.batches();
  }
}
