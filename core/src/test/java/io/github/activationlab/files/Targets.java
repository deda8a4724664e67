package io.github.activationlab.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.activationlab.nn.Sequential;
import io.github.activationlab.savedmodel.Predictor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Test helper: checks that the targets {@link ModelWriterProcess} writes are complete and
 * consistent — each SavedModel loads with {@link Predictor} and gives its run.json's probe outputs,
 * each .keras loads with {@link Sequential#load} and holds one generation's weights, each PNG
 * decodes — and finds litter. Results are cached by file identity (a version checked once is not
 * loaded again).
 */
final class Targets {
  private final Map<String, Long> checked = new HashMap<>();
  int loads;

  /** The generation the target {@code out/name} (a model directory) holds; fails if incomplete. */
  long dir(Path out, String name) throws IOException {
    Path dir = out.resolve(name);
    assertTrue(Files.isDirectory(dir), dir + " is missing");
    Path runJson = dir.resolve("run.json");
    String key =
        "dir "
            + dir.toRealPath()
            + " "
            + identity(runJson)
            + " "
            + identity(dir.resolve("1/variables/variables.data-00000-of-00001"));
    Long known = checked.get(key);
    if (known != null) return known;
    JsonObject run = JsonParser.parseString(Files.readString(runJson)).getAsJsonObject();
    long g = run.get("epochs").getAsLong();
    JsonArray first = run.getAsJsonArray("final_weights").get(0).getAsJsonArray();
    assertEquals(g, first.get(0).getAsJsonArray().get(0).getAsDouble(), dir + ": run.json");
    JsonObject probe = run.getAsJsonObject("probe");
    double[][] x = matrix(probe.getAsJsonArray("x"));
    double[][] y = matrix(probe.getAsJsonArray("y"));
    try (Predictor p = Predictor.load(dir)) {
      loads++;
      double[][] got = p.predict(x);
      for (int i = 0; i < y.length; i++) {
        for (int j = 0; j < y[i].length; j++) {
          assertEquals(
              y[i][j],
              got[i][j],
              1e-5 * (1 + Math.abs(y[i][j])),
              dir
                  + ": the SavedModel does not give run.json's probe outputs (generation "
                  + g
                  + ")");
        }
      }
    }
    checked.put(key, g);
    return g;
  }

  /** The generation the .keras file {@code out/name.keras} holds; fails if incomplete. */
  long keras(Path out, String name) throws IOException {
    Path f = out.resolve(name + ".keras");
    assertTrue(Files.isRegularFile(f), f + " is missing");
    String key = "keras " + identity(f);
    Long known = checked.get(key);
    if (known != null) return known;
    long g;
    try (Sequential m = Sequential.load(f)) {
      loads++;
      List<double[]> w = m.getWeights();
      g = Math.round(w.get(0)[0]);
      for (int i = 0; i < w.size(); i++) {
        for (int j = 0; j < w.get(i).length; j++) {
          assertEquals(
              (float) ModelWriterProcess.weight(g, i, j),
              (float) w.get(i)[j],
              f + ": weight " + i + "," + j + " is not generation " + g + "'s");
        }
      }
    }
    checked.put(key, g);
    return g;
  }

  /** Fails unless {@code out/name.png} is a whole PNG. */
  void png(Path out, String name) throws IOException {
    Path f = out.resolve(name + ".png");
    String key = "png " + identity(f);
    if (checked.containsKey(key)) return;
    BufferedImage img = ImageIO.read(f.toFile());
    assertNotNull(img, f + " does not decode");
    assertEquals(120, img.getWidth(), f.toString());
    checked.put(key, 0L);
  }

  /**
   * What in {@code out} is neither a target nor the version a target links to: temporaries,
   * replaced versions, anything a crash left.
   */
  static List<String> litter(Path out) throws IOException {
    List<String> left = new ArrayList<>();
    try (Stream<Path> s = Files.list(out)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (!n.startsWith(".")) continue;
        boolean linked = false;
        try (Stream<Path> t = Files.list(out)) {
          for (Path q : t.toList()) {
            if (linksTo(q, p)) linked = true;
          }
        }
        if (!linked) left.add(n);
      }
    }
    return left;
  }

  /** Which of {@code candidates} the target {@code p} (a directory or a file) is, byte for byte. */
  static int which(Path p, List<Path> candidates) throws IOException {
    for (int k = 0; k < candidates.size(); k++) {
      if (same(p, candidates.get(k))) return k;
    }
    throw new AssertionError(p + " is none of the complete versions " + candidates);
  }

  /** Whether two trees (or files) hold the same paths with the same bytes (links followed). */
  static boolean same(Path a, Path b) throws IOException {
    if (!Files.exists(a) || !Files.exists(b)) return false;
    if (Files.isRegularFile(a)) return Files.isRegularFile(b) && Files.mismatch(a, b) < 0;
    List<Path> as;
    List<Path> bs;
    Path ra = a.toRealPath();
    Path rb = b.toRealPath();
    try (Stream<Path> s = Files.walk(ra);
        Stream<Path> t = Files.walk(rb)) {
      as = s.map(ra::relativize).sorted().toList();
      bs = t.map(rb::relativize).sorted().toList();
    }
    if (!as.equals(bs)) return false;
    for (Path r : as) {
      Path fa = ra.resolve(r);
      if (Files.isRegularFile(fa) && Files.mismatch(fa, rb.resolve(r)) >= 0) return false;
    }
    return true;
  }

  /** Whether {@code link} is a symbolic link to {@code p}. */
  static boolean linksTo(Path link, Path p) throws IOException {
    if (!Files.isSymbolicLink(link)) return false;
    Path to = Files.readSymbolicLink(link);
    return link.resolveSibling(to).normalize().equals(p.normalize());
  }

  private static String identity(Path f) throws IOException {
    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
    return a.fileKey() + ":" + a.size() + ":" + a.lastModifiedTime().toMillis();
  }

  private static double[][] matrix(JsonArray rows) {
    double[][] m = new double[rows.size()][];
    for (int i = 0; i < m.length; i++) {
      JsonArray r = rows.get(i).getAsJsonArray();
      m[i] = new double[r.size()];
      for (int j = 0; j < m[i].length; j++) m[i][j] = r.get(j).getAsDouble();
    }
    return m;
  }

  /** Whether {@code p} exists as anything, a dangling link included. */
  static boolean present(Path p) {
    return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
  }
}
