package io.github.activationlab.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.activationlab.kernel.MimeBundle;
import io.github.activationlab.kernel.Renderers;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** XChart charts in the notebook: PNG, found by the kernel's renderers through the service file. */
class ChartRendererTest {
  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

  @Test
  void aChartIsAPngAndOtherValuesAreNotItsBusiness() throws Exception {
    var chart =
        Charts.function(
            "relu", new double[] {-1, 0, 1}, new double[] {0, 0, 1}, new double[] {0, 1, 1});
    MimeBundle b = new ChartRenderer().render(chart).orElseThrow();
    byte[] png = Base64.getDecoder().decode(b.data().get("image/png"));
    assertArrayEquals(PNG, Arrays.copyOf(png, 4));
    assertTrue(b.plain().startsWith("<XYChart: relu"), b.plain());
    assertTrue(new ChartRenderer().render("not a chart").isEmpty());
  }

  @Test
  void theKernelFindsItThroughTheServiceFile() {
    var chart = SweepCharts.class.getName(); // any value of app: only charts are rendered as images
    assertTrue(Renderers.render(chart).data().containsKey("text/plain"));
    var bundle = Renderers.render(Charts.histogram("h", new double[] {0.1, 0.2, 0.2, 0.9}, 4));
    assertTrue(bundle.data().containsKey("image/png"), bundle.data().keySet().toString());
  }
}
