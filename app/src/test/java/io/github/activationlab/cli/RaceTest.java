package io.github.activationlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.activationlab.files.Race;
import io.github.activationlab.savedmodel.ExportDirectory;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;

/**
 * Two writers of one target, neither with {@code --force}: exactly one wins (exit 0), the other
 * fails with one line, and the target holds the winner's complete output — decided by the step that
 * publishes, not by a check before it.
 */
class RaceTest {
  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  /** Starts the real CLI twice at once. */
  static List<Result> race(List<String> a, List<String> b) throws Exception {
    List<Process> ps = new ArrayList<>();
    try {
      for (List<String> args : List.of(a, b)) {
        ps.add(QuietCliTest.cli(Map.of(), args.toArray(new String[0])).start());
      }
      List<Result> results = new ArrayList<>();
      for (Process p : ps) {
        p.getOutputStream().close();
        var out = CompletableFuture.supplyAsync(() -> QuietCliTest.read(p.getInputStream()));
        var err = CompletableFuture.supplyAsync(() -> QuietCliTest.read(p.getErrorStream()));
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the CLI did not finish");
        results.add(new Result(p.exitValue(), out.get(), err.get()));
      }
      return results;
    } finally {
      ps.forEach(QuietCliTest::kill);
    }
  }

  /**
   * The index of the one winner; the loser's stderr is exactly one line saying the target exists.
   */
  static int oneWinner(List<Result> r, Path target) {
    List<Integer> codes = r.stream().map(Result::code).toList();
    assertTrue(
        codes.equals(List.of(0, 1)) || codes.equals(List.of(1, 0)), "exactly one must win: " + r);
    int winner = codes.indexOf(0);
    Result loser = r.get(1 - winner);
    assertEquals(
        "error: " + target + " exists (use --force to overwrite)" + System.lineSeparator(),
        loser.err(),
        "the loser says it in one line");
    assertEquals("", r.get(winner).err());
    return winner;
  }

  @Test
  @Timeout(600)
  void twoExportsWithoutForceOneWinsTheOtherSaysSoInOneLine() throws Exception {
    Path out = tmp.resolve("models");
    List<String> mine = List.of("softmax", "log_softmax");
    List<String> theirs = List.of("sparsemax", "glu");
    List<Result> r =
        race(
            List.of(
                "activations",
                "--only",
                String.join(",", mine),
                "--out",
                out.toString(),
                "--graphs",
                tmp.resolve("g1").toString()),
            List.of(
                "activations",
                "--only",
                String.join(",", theirs),
                "--out",
                out.toString(),
                "--graphs",
                tmp.resolve("g2").toString()));
    Path target = out.resolve("activations");
    int winner = oneWinner(r, target);
    try (SavedModelBundle b = SavedModelBundle.load(target.resolve("1").toString(), "serve")) {
      Set<String> got = new TreeSet<>(b.signatures().stream().map(Signature::key).toList());
      assertEquals(new TreeSet<>(winner == 0 ? mine : theirs), got, "the winner's whole export");
    }
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(2, s.count(), "the target and the version it links to, nothing else");
    }
  }

  @Test
  @Timeout(600)
  void twoPredictionsToOneOutputWithoutForceOneWins() throws Exception {
    Path file = tmp.resolve("out.txt");
    String model = QuietCliTest.KERAS;
    List<Result> r =
        race(
            List.of("predict", "--model", model, "--input", "0,0;0,1", "--output", file.toString()),
            List.of(
                "predict",
                "--model",
                model,
                "--input",
                "1,0;1,1;0.5,0.5",
                "--output",
                file.toString()));
    int winner = oneWinner(r, file);
    List<String> lines = Files.readAllLines(file);
    assertTrue(lines.get(0).startsWith("# "), lines.toString());
    assertEquals(winner == 0 ? 2 : 3, lines.size() - 1, "the winner's rows: " + lines);
    assertTrue(
        lines.get(1).startsWith(winner == 0 ? "0.0,0.0 -> " : "1.0,0.0 -> "), lines.toString());
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(
          List.of("out.txt"),
          s.map(p -> p.getFileName().toString()).sorted().filter(n -> !n.startsWith("g")).toList());
    }
  }

  /**
   * The same in one process, with a writer slow enough that every thread has passed any early check
   * before the first one publishes: a check-then-act commit lets them all "win".
   */
  @Test
  @Timeout(120)
  void threadsRacingForOneExportDirectoryExactlyOneWins() throws Exception {
    Path target = tmp.resolve("m");
    List<String> winners =
        Race.winners(
            8,
            (me, start) -> {
              start.await();
              try {
                ExportDirectory.write(
                    target,
                    false,
                    dir -> {
                      Files.writeString(dir.resolve("who"), me);
                      try {
                        Thread.sleep(500);
                      } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                      }
                      Files.writeString(dir.resolve("done"), me);
                    });
                return true;
              } catch (FileAlreadyExistsException e) {
                assertEquals(target + " exists (use --force to overwrite)", e.getMessage());
                return false;
              }
            });
    assertEquals(1, winners.size(), "winners: " + winners);
    assertEquals(winners.get(0), Files.readString(target.resolve("who")));
    assertEquals(winners.get(0), Files.readString(target.resolve("done")));
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(2, s.count(), "the losers removed their versions");
    }
  }
}
