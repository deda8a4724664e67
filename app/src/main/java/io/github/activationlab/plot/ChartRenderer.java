package io.github.activationlab.plot;

import io.github.activationlab.kernel.MimeBundle;
import io.github.activationlab.kernel.MimeRenderer;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * XChart charts in the notebook: a chart that is a cell's value, or passed to {@code display}, is
 * shown as the PNG that {@link Charts#save} would write. Registered for the kernel through {@code
 * META-INF/services} (the kernel module does not depend on XChart).
 */
public final class ChartRenderer implements MimeRenderer {
  /** For {@link java.util.ServiceLoader}. */
  public ChartRenderer() {}

  @Override
  public Optional<MimeBundle> render(Object value) throws Exception {
    if (!(value instanceof Chart<?, ?> chart)) return Optional.empty();
    byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    String title =
        chart.getTitle() == null || chart.getTitle().isEmpty() ? "" : ": " + chart.getTitle();
    return Optional.of(
        MimeBundle.image(
            "image/png",
            png,
            "<"
                + chart.getClass().getSimpleName()
                + title
                + ", "
                + chart.getWidth()
                + "x"
                + chart.getHeight()
                + ">"));
  }
}
