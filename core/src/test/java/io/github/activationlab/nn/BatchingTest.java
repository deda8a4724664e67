package io.github.activationlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keras's batching in plain Java: no TensorFlow here. */
class BatchingTest {
  @Test
  void everyEpochIsAPermutationCutIntoBatchesWithTheLastPartialOneKept() {
    Batching b = Batching.schedule(100, 32, 3, true, 7);
    assertEquals(3, b.epochs());
    assertEquals(4, b.stepsPerEpoch());
    assertEquals(12, b.steps());
    for (List<int[]> epoch : b.batches()) {
      assertEquals(List.of(32, 32, 32, 4), epoch.stream().map(x -> x.length).toList());
      int[] all = epoch.stream().flatMapToInt(Arrays::stream).sorted().toArray();
      for (int i = 0; i < 100; i++) assertEquals(i, all[i], "each sample once per epoch");
    }
    assertNotEquals(
        Arrays.toString(b.batches().get(0).get(0)),
        Arrays.toString(b.batches().get(1).get(0)),
        "reshuffled every epoch");
  }

  @Test
  void withoutShuffleTheOrderIsTheSamplesOrder() {
    Batching b = Batching.schedule(5, 2, 2, false, 1);
    for (List<int[]> epoch : b.batches()) {
      assertArrayEquals(new int[] {0, 1}, epoch.get(0));
      assertArrayEquals(new int[] {2, 3}, epoch.get(1));
      assertArrayEquals(new int[] {4}, epoch.get(2));
    }
  }

  @Test
  void theSameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
    var a = Batching.schedule(50, 8, 4, true, 3).padded();
    var b = Batching.schedule(50, 8, 4, true, 3).padded();
    var c = Batching.schedule(50, 8, 4, true, 4).padded();
    assertArrayEquals(a.index(), b.index());
    assertNotEquals(Arrays.toString(a.index()), Arrays.toString(c.index()));
  }

  @Test
  void paddedPacksStaticShapesWithAMaskOfTheRealSamples() {
    Batching b = Batching.schedule(5, 2, 1, false, 0);
    Batching.Padded p = b.padded();
    assertEquals(3, p.steps());
    assertEquals(2, p.width());
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 0}, p.index());
    assertArrayEquals(new double[] {1, 1, 1, 1, 1, 0}, p.mask());
    // fewer samples than the batch size: one batch of n, no padding
    Batching small = Batching.schedule(4, 32, 2, true, 0);
    assertEquals(4, small.width());
    assertEquals(false, small.hasPartialBatch());
    assertEquals(2, small.padded().steps());
  }

  @Test
  void badArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Batching.schedule(0, 32, 1, true, 0));
    assertThrows(IllegalArgumentException.class, () -> Batching.schedule(4, 0, 1, true, 0));
  }
}
