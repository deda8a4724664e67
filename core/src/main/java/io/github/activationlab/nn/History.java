package io.github.activationlab.nn;

import java.util.List;
import java.util.Map;

/**
 * What {@code fit} returns: per-epoch loss and metrics as Keras's {@code History} reports them, and
 * the batching it trained with, whose {@link #batches()} (the sample indices of every batch, as
 * run.json records them) are derived on demand.
 *
 * <pre>{@code
 * History h = model.fit(x, y, Fit.epochs(1000));
 * double last = h.finalLoss(); // = h.loss().get(999)
 * h.metrics().get("accuracy"); // when compiled with metrics "accuracy"
 * }</pre>
 *
 * @param loss each epoch's loss as Keras's History reports it: the batches' losses (with the
 *     regularization penalties), each before its step's update, averaged with the batch sizes as
 *     weights
 * @param accuracy each epoch's binary accuracy at threshold 0.5, averaged likewise (computed for
 *     every model, whatever its metrics)
 * @param batching the schedule the fit trained with
 * @param metrics the compile metrics by Keras's names ({@code accuracy}, {@code mae}, ...), each
 *     epoch's value as Keras's History reports it
 */
public record History(
    List<Double> loss,
    List<Double> accuracy,
    Batching batching,
    Map<String, List<Double>> metrics) {

  /**
   * A History without compile metrics.
   *
   * @param loss each epoch's loss
   * @param accuracy each epoch's binary accuracy
   * @param batching the schedule the fit trained with
   */
  public History(List<Double> loss, List<Double> accuracy, Batching batching) {
    this(loss, accuracy, batching, Map.of());
  }

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
