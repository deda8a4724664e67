package io.github.activationlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The JVM's part of "warm": {@link Bench#untilJitQuiet} waits out the JIT, and no longer. */
class BenchWarmUpTest {
  @Test
  void waitsForQuietRunsAndStops() {
    assertTrue(
        ManagementFactory.getCompilationMXBean().isCompilationTimeMonitoringSupported(),
        "the bench's warm-up needs a JVM that reports its JIT's compilation time (HotSpot does)");
    int[] calls = {0};
    long t0 = System.nanoTime();
    int runs = Bench.untilJitQuiet(() -> calls[0]++);
    double ms = (System.nanoTime() - t0) / 1e6;
    assertEquals(calls[0], runs, "every run is counted");
    assertTrue(runs >= Bench.JIT_QUIET_RUNS, "at least the quiet runs: " + runs);
    assertTrue(ms >= Bench.JIT_QUIET_MS, "at least the quiet time: " + ms + " ms");
    assertTrue(ms < Bench.JIT_WAIT_MS + 1000, "gives up after the wait: " + ms + " ms");
  }

  @Test
  void medianIsOfTheTimedRunsOnly() {
    int[] calls = {0};
    double ms = Bench.medianColdMs(5, () -> calls[0]++);
    assertEquals(5, calls[0]);
    assertTrue(ms >= 0 && ms < 100, "an empty run's median: " + ms);
  }
}
