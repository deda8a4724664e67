package io.github.activationlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.activationlab.nn.Sequential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fit} continues training a .keras model; {@code predict} reads one. Bad input is one line
 * on stderr, exit 1, and nothing written.
 */
class FitCommandTest {
  static final Path FIXTURES = Path.of("../core/src/test/resources/keras-files");
  @TempDir Path tmp;

  Path csv(String rows) throws Exception {
    Path p = tmp.resolve("train.csv");
    Files.writeString(p, rows);
    return p;
  }

  @Test
  void continuesAKerasModelWithItsOptimizerStateAndWritesAKerasFile() throws Exception {
    Path data = csv("0,0,0\n1,0,1\n0,1,1\n1,1,0\n");
    Path out = tmp.resolve("out.keras");
    var r =
        MainTest.run(
            "fit",
            "--model",
            FIXTURES.resolve("xor_mlp.keras").toString(),
            "--data",
            data.toString(),
            "--epochs",
            "7",
            "--batch-size",
            "4",
            "--no-shuffle",
            "--out",
            out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Adam at step 5"), r.out());
    assertTrue(r.out().contains("Adam at step 12"), r.out());
    try (Sequential m = Sequential.load(out)) {
      assertEquals(12, m.optimizerState().iterations(), "5 steps in the file + 7");
    }
    var p = MainTest.run("predict", "--model", out.toString(), "--input", "0,1;1,1");
    assertEquals(0, p.code(), p.err());
    assertTrue(p.out().startsWith("# " + out + ": Keras file"), p.out());
    assertEquals(2, p.out().lines().filter(l -> !l.startsWith("#")).count(), p.out());
  }

  static void assertOneLineError(MainTest.Run r, String start) {
    assertEquals(1, r.code(), r.out());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("error: " + start), r.err());
  }

  @Test
  void badInputIsOneLineAndWritesNothing() throws Exception {
    Path data = csv("0,0,0\n1,0,1\n0,1,1\n1,1,0\n");
    Path out = tmp.resolve("out.keras");
    String xor = FIXTURES.resolve("xor_mlp.keras").toString();
    Path notZip = tmp.resolve("not-a-zip.keras");
    Files.writeString(notZip, "hello");
    Path noConfig = tmp.resolve("no-config.keras");
    try (var z = new ZipOutputStream(Files.newOutputStream(noConfig))) {
      z.putNextEntry(new ZipEntry("metadata.json"));
      z.write("{}".getBytes());
    }
    assertOneLineError(
        fit(notZip.toString(), data.toString(), "1", out.toString()), notZip + ": not a Keras 3");
    assertOneLineError(
        fit(noConfig.toString(), data.toString(), "1", out.toString()), noConfig.toString());
    assertOneLineError(
        fit(FIXTURES.resolve("keras2.h5").toString(), data.toString(), "1", out.toString()),
        FIXTURES.resolve("keras2.h5") + ": this is a Keras 2 HDF5 file");
    assertOneLineError(
        fit(FIXTURES.resolve("conv2d.keras").toString(), data.toString(), "1", out.toString()),
        FIXTURES.resolve("conv2d.keras").toString());
    assertOneLineError(
        fit(FIXTURES.resolve("uncompiled.keras").toString(), data.toString(), "1", out.toString()),
        "cannot train "
            + FIXTURES.resolve("uncompiled.keras")
            + ": the model was saved uncompiled");
    // issue 20's bad input: an unsupported layer (named, with the supported ones), a Normalization
    // never adapted, a shared layer; each one line, exit 1, nothing written
    var conv =
        fit(FIXTURES.resolve("conv2d.keras").toString(), data.toString(), "1", out.toString());
    assertTrue(
        conv.err()
            .contains(
                "layer 'conv2d' of class Conv2D is not supported; supported layers: Activation,"
                    + " Add, Average, BatchNormalization, Concatenate, Dense, Dropout, ELU,"),
        conv.err());
    assertOneLineError(
        fit(FIXTURES.resolve("unadapted.keras").toString(), data.toString(), "1", out.toString()),
        FIXTURES.resolve("unadapted.keras") + ": layer 'normalization");
    assertTrue(
        fit(FIXTURES.resolve("unadapted.keras").toString(), data.toString(), "1", out.toString())
            .err()
            .contains("was never adapted"));
    assertOneLineError(
        fit(FIXTURES.resolve("shared.keras").toString(), data.toString(), "1", out.toString()),
        FIXTURES.resolve("shared.keras") + ": layer 'dense");
    assertOneLineError(
        fit(xor, csv("0,0,0\n1,0\n").toString(), "1", out.toString()),
        tmp.resolve("train.csv") + " row 2 has 2 columns");
    assertOneLineError(
        fit(xor, csv("0,0,x\n").toString(), "1", out.toString()),
        "input row 1: 'x' is not a number");
    data = csv("0,0,0\n1,0,1\n0,1,1\n1,1,0\n");
    assertOneLineError(fit(xor, data.toString(), "0", out.toString()), "--epochs must be positive");
    assertOneLineError(
        fit(xor, data.toString(), "1", tmp.resolve("out.h5").toString()),
        "--out must end in .keras");
    assertOneLineError(
        fit(tmp.resolve("missing.keras").toString(), data.toString(), "1", out.toString()),
        "no such file");
    assertFalse(Files.exists(out), "nothing written");
    Files.writeString(out, "keep me");
    assertOneLineError(
        fit(xor, data.toString(), "1", out.toString()), out + " exists (use --force to overwrite)");
    assertEquals("keep me", Files.readString(out));
    try (var files = Files.list(tmp)) {
      assertEquals(
          List.of(),
          files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList(),
          "no temporaries left");
    }
  }

  @Test
  void trainsAFunctionalModelAndWritesItsHistory() throws Exception {
    // two_inputs: inputs a (3) and b (2) side by side, then 3 one-hot targets
    StringBuilder rows = new StringBuilder();
    java.util.Random r = new java.util.Random(3);
    for (int i = 0; i < 10; i++) {
      int k = r.nextInt(3);
      for (int j = 0; j < 5; j++) rows.append(r.nextGaussian()).append(',');
      rows.append(k == 0 ? 1 : 0).append(',').append(k == 1 ? 1 : 0).append(',');
      rows.append(k == 2 ? 1 : 0).append('\n');
    }
    Path data = csv(rows.toString());
    Path out = tmp.resolve("two.keras");
    Path history = tmp.resolve("history.json");
    var run =
        MainTest.run(
            "fit",
            "--model",
            FIXTURES.resolve("two_inputs.keras").toString(),
            "--data",
            data.toString(),
            "--epochs",
            "4",
            "--out",
            out.toString(),
            "--history",
            history.toString());
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("SGD at step 3"), run.out());
    assertTrue(run.out().contains("SGD at step 7"), run.out());
    var h = com.google.gson.JsonParser.parseString(Files.readString(history)).getAsJsonObject();
    assertEquals(List.of("loss", "accuracy"), List.copyOf(h.keySet()), "Keras's history keys");
    assertEquals(4, h.getAsJsonArray("loss").size());
    try (var m = io.github.activationlab.nn.Model.load(out)) {
      assertTrue(m instanceof io.github.activationlab.nn.Functional);
      assertEquals(7, m.optimizerState().iterations());
    }
    var p = MainTest.run("predict", "--model", out.toString(), "--input", "1,2,3,4,5");
    assertEquals(0, p.code(), p.err());
    assertTrue(p.out().contains("Keras file, Functional"), p.out());
    assertEquals(
        3,
        p.out()
            .lines()
            .filter(l -> !l.startsWith("#"))
            .findFirst()
            .orElseThrow()
            .split("->")[1]
            .split(",")
            .length,
        p.out());
    var wide = MainTest.run("predict", "--model", out.toString(), "--input", "1,2,3");
    assertOneLineError(wide, "input row 1 has 3 columns; the model takes 5");
  }

  /** {@code fit --model MODEL --data DATA --epochs EPOCHS --out OUT}, in-process. */
  private static MainTest.Run fit(String model, String data, String epochs, String out) {
    return MainTest.run("fit", "--model", model, "--data", data, "--epochs", epochs, "--out", out);
  }
}
