package io.github.activationlab.experiment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Independent tasks (of an experiment, or of the bench's row 6a) on one thread per core, their
 * results in task order. The first failure (in task order) is thrown as the task threw it, after
 * the tasks not started yet are cancelled and the running ones have finished (none is cut off
 * halfway through a file).
 */
public final class InOrder {
  private InOrder() {}

  /** Task {@code i}. */
  public interface Task<T> {
    T run(int i) throws IOException;
  }

  /** The threads {@link #run} uses for {@code n} tasks: one per core, at most one per task. */
  public static int threads(int n) {
    return Math.min(n, Runtime.getRuntime().availableProcessors());
  }

  /** Runs tasks {@code 0 .. n - 1}, returns their results in task order. */
  public static <T> List<T> run(int n, Task<T> task) throws IOException {
    return run(n, task, t -> {});
  }

  /** {@link #run(int, Task)}, handing each result to {@code each} in task order as it is ready. */
  public static <T> List<T> run(int n, Task<T> task, Consumer<T> each) throws IOException {
    int threads = threads(n);
    List<T> out = new ArrayList<>(n);
    if (threads <= 1) {
      for (int i = 0; i < n; i++) {
        out.add(task.run(i));
        each.accept(out.get(i));
      }
      return out;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "experiment");
              t.setDaemon(true);
              return t;
            });
    List<Future<T>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        int k = i;
        futures.add(pool.submit(() -> task.run(k)));
      }
      for (Future<T> f : futures) {
        out.add(f.get());
        each.accept(out.get(out.size() - 1));
      }
      return out;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) throw io;
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      futures.forEach(f -> f.cancel(false));
      pool.shutdown();
      awaitQuietly(pool);
    }
  }

  private static void awaitQuietly(ExecutorService pool) {
    try {
      while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
        // a running task finishes what it writes
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
