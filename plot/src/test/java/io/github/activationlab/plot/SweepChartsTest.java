package io.github.activationlab.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.activationlab.sweep.SweepResults;
import io.github.activationlab.sweep.SweepStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep chart: both panels, one PNG per model, the same bytes for the same sweep. */
class SweepChartsTest {
  @TempDir Path tmp;

  static SweepResults.Sweep sweep(int activations, double seconds) {
    List<SweepResults.ActivationResult> rs = new ArrayList<>();
    var rnd = new SplittableRandom(1);
    for (int a = 0; a < activations; a++) {
      double[] losses = new double[50];
      for (int i = 0; i < losses.length; i++) losses[i] = Math.pow(10, -4 + 3.5 * rnd.nextDouble());
      if (a == 1) losses[3] = Double.NaN;
      int solved = (10 + 7 * a) % 51;
      rs.add(
          new SweepResults.ActivationResult(
              "act" + a,
              50,
              solved,
              SweepStats.wilson(solved, 50),
              SweepStats.median(losses),
              0,
              0,
              0,
              0.1,
              new double[] {0.1},
              0.02,
              seconds,
              losses));
    }
    return new SweepResults.Sweep(
        "xor-mlp", 1000, 0.01, 42, 50, 42, "float32", false, 50, 1, rs, seconds);
  }

  @Test
  void sameSweepSameBytesWhateverItsTimings() throws Exception {
    Path a = SweepCharts.save(sweep(3, 1.0), tmp.resolve("a"));
    Path b = SweepCharts.save(sweep(3, 99.0), tmp.resolve("b"));
    assertEquals("sweep-xor-mlp.png", a.getFileName().toString());
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    var img = ImageIO.read(a.toFile());
    assertEquals(2 * Charts.PANEL_W, img.getWidth(), "two panels side by side");
    assertEquals(Charts.PANEL_H + 60, img.getHeight());
  }

  @Test
  void manyActivationsWidenThePanels() throws Exception {
    var img = ImageIO.read(SweepCharts.save(sweep(28, 1), tmp).toFile());
    assertEquals(120 + 40 * 28, img.getWidth(), "panels one above the other");
  }
}
