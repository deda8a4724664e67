package io.github.activationlab.files;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Test helper: {@code n} threads writing the same target at once. */
public final class Race {
  private Race() {}

  /** One writer: named {@code me}; waits on {@code start} where the race should begin. */
  public interface Writer {
    /** True when this writer's write took effect, false when it lost. */
    boolean write(String me, CyclicBarrier start) throws Exception;
  }

  /**
   * Runs writers "writer 0" .. "writer n-1" on n threads sharing one barrier of n parties; the
   * names of the winners, in order (each writer's exception is rethrown).
   */
  public static List<String> winners(int n, Writer writer) throws Exception {
    CyclicBarrier start = new CyclicBarrier(n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Boolean>> won = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String me = "writer " + i;
        won.add(pool.submit(() -> writer.write(me, start)));
      }
      List<String> winners = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (won.get(i).get(60, TimeUnit.SECONDS)) winners.add("writer " + i);
      }
      return winners;
    } finally {
      pool.shutdownNow();
    }
  }
}
