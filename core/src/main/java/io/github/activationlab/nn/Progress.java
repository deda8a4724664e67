package io.github.activationlab.nn;

/**
 * fit's report of each epoch: Keras's line ({@code Epoch 10/1000 - loss: 0.2500 - accuracy:
 * 0.7500}) every {@code every} epochs for verbose 1 and 2, nothing for 0, then the user's {@link
 * FitCallback}. The fused fit runs every epoch in one op, so the epochs are reported when it
 * returns (there is nothing to animate: no progress bar).
 */
final class Progress {
  private Progress() {}

  static void epoch(Fit fit, int epoch, double loss, double accuracy) {
    if (fit.verbose() > 0 && (epoch % fit.every() == 0 || epoch == fit.epochs())) {
      System.out.printf(
          "Epoch %d/%d - loss: %.4f - accuracy: %.4f%n", epoch, fit.epochs(), loss, accuracy);
    }
    if (fit.callback() != null) fit.callback().onEpochEnd(epoch, loss, accuracy);
  }
}
