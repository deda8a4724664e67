package io.github.activationlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link InOrder}: results and callbacks in task order; a failure waits for running tasks. */
class InOrderTest {
  @Test
  void resultsInTaskOrderWhateverFinishesFirst() throws IOException {
    List<Integer> seen = new ArrayList<>();
    List<Integer> out =
        InOrder.run(
            6,
            i -> {
              sleep(10L * (6 - i)); // later tasks finish sooner
              return i * i;
            },
            seen::add);
    assertEquals(List.of(0, 1, 4, 9, 16, 25), out);
    assertEquals(out, seen);
  }

  @Test
  void aFailureIsThrownAsItIsAfterTheRunningTasksFinish() {
    AtomicInteger started = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                InOrder.run(
                    4,
                    i -> {
                      if (i == 0) {
                        sleep(100); // task 1 is running by now (on two cores or more)
                        throw new IOException("model 0: export exists");
                      }
                      started.incrementAndGet();
                      sleep(300);
                      finished.incrementAndGet();
                      return i;
                    }));
    assertEquals("model 0: export exists", e.getMessage());
    assertEquals(started.get(), finished.get(), "no task is cut off halfway");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
