package io.github.activationlab.serve;

import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which versions of a model to serve, among those found on disk: TensorFlow Serving's {@code
 * model_version_policy} ({@code latest} — the {@code n} highest, 1 by default —, {@code all}, or
 * {@code specific} versions).
 */
sealed interface VersionPolicy {
  /** The versions to serve among {@code available} (complete, loadable ones). */
  NavigableSet<Long> select(NavigableSet<Long> available);

  /** The {@code n} highest. */
  record Latest(int n) implements VersionPolicy {
    @Override
    public NavigableSet<Long> select(NavigableSet<Long> available) {
      NavigableSet<Long> out = new TreeSet<>();
      for (Long v : available.descendingSet()) {
        if (out.size() == n) break;
        out.add(v);
      }
      return out;
    }
  }

  /** Every version. */
  record All() implements VersionPolicy {
    @Override
    public NavigableSet<Long> select(NavigableSet<Long> available) {
      return new TreeSet<>(available);
    }
  }

  /** These versions (those of them that exist). */
  record Specific(Set<Long> versions) implements VersionPolicy {
    /**
     * @param versions the version numbers
     */
    public Specific(List<Long> versions) {
      this(Set.copyOf(versions));
    }

    @Override
    public NavigableSet<Long> select(NavigableSet<Long> available) {
      NavigableSet<Long> out = new TreeSet<>(available);
      out.retainAll(versions);
      return out;
    }
  }
}
