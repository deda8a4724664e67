package io.github.activationlab.nn;

/**
 * Called by {@code fit} once per epoch, in order, with the epoch's loss and accuracy as {@link
 * History} records them (Keras's {@code Callback.on_epoch_end}).
 *
 * <pre>{@code
 * model.fit(x, y, Fit.epochs(100).callback((epoch, loss, accuracy) -> losses.add(loss)));
 * }</pre>
 *
 * <p>The fused fit runs every epoch in one op: the calls come when it returns, not while it runs.
 */
@FunctionalInterface
public interface FitCallback {
  /**
   * One epoch has ended.
   *
   * @param epoch the epoch, from 1
   * @param loss its loss (the batch losses averaged with the batch sizes as weights)
   * @param accuracy its accuracy, likewise
   */
  void onEpochEnd(int epoch, double loss, double accuracy);
}
