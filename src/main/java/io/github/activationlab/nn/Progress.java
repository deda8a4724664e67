package io.github.activationlab.nn;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * fit's progress display: a progress bar (me.tongfei:progressbar), a line every N epochs, or
 * nothing.
 */
interface Progress extends AutoCloseable {
  void epoch(int epoch, double loss, double accuracy);

  @Override
  void close();

  static Progress of(Fit fit) {
    return switch (fit.verbose()) {
      case 0 ->
          new Progress() {
            public void epoch(int e, double l, double a) {}

            public void close() {}
          };
      case 1 -> {
        ProgressBar bar =
            new ProgressBarBuilder()
                .setTaskName("fit")
                .setInitialMax(fit.epochs())
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .setUnit(" epochs", 1)
                .continuousUpdate()
                .build();
        yield new Progress() {
          public void epoch(int e, double l, double a) {
            bar.stepTo(e);
            bar.setExtraMessage(String.format("loss %.4g, accuracy %.2f", l, a));
          }

          public void close() {
            bar.close();
          }
        };
      }
      default ->
          new Progress() {
            public void epoch(int e, double l, double a) {
              if (e % fit.every() == 0 || e == fit.epochs()) {
                System.out.printf(
                    "Epoch %d/%d - loss: %.4f - accuracy: %.4f%n", e, fit.epochs(), l, a);
              }
            }

            public void close() {}
          };
    };
  }
}
