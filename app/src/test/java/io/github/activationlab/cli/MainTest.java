package io.github.activationlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: subcommands run, bad input is one line on stderr and a non-zero exit. */
class MainTest {
  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void activationsPrintsTheTableAndExports() {
    Run r =
        run(
            "activations",
            "--only",
            "relu,sigmoid,softmax",
            "--out",
            tmp.toString(),
            "--graphs",
            tmp.resolve("g").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("relu"), r.out());
    assertTrue(r.out().contains("softmax        row"), r.out());
    assertTrue(Files.exists(tmp.resolve("activations/1/saved_model.pb")));
    assertTrue(Files.exists(tmp.resolve("g/activations/relu.png")));
    assertFalse(
        Files.exists(tmp.resolve("g/activations/softmax.png")), "row-wise: no gallery chart");
  }

  @Test
  void unknownActivationIsOneLineAndExitOne() {
    Run r =
        run(
            "activations",
            "--only",
            "relu,nope",
            "--out",
            tmp.toString(),
            "--graphs",
            tmp.toString());
    assertEquals(1, r.code());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(
        r.err().startsWith("error: unknown activation 'nope'; valid names: binary_step"), r.err());
    assertFalse(Files.exists(tmp.resolve("activations")));
  }

  @Test
  void existingExportWithoutForceIsRefused() throws Exception {
    Files.createDirectories(tmp.resolve("activations"));
    String g = tmp.resolve("g").toString();
    Run r = run("activations", "--only", "relu", "--out", tmp.toString(), "--graphs", g);
    assertEquals(1, r.code());
    assertTrue(r.err().strip().endsWith("exists (use --force to overwrite)"), r.err());
    assertTrue(r.out().isEmpty(), "refused before the table: " + r.out());
    assertTrue(Files.notExists(tmp.resolve("g")), "refused before drawing a chart");
    assertEquals(
        0,
        run("activations", "--only", "relu", "--out", tmp.toString(), "--graphs", g, "--force")
            .code());
  }

  @Test
  void unknownOptionIsExitTwo() {
    Run r = run("activations", "--bogus");
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("error: Unknown option: '--bogus'"), r.err());
  }

  @Test
  void helpListsTheSubcommands() {
    Run r = run("--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("activations") && r.out().contains("notebook"), r.out());
  }

  @Test
  void notebookRunsInOrderAndSummarises() {
    Run r =
        run(
            "notebook",
            "--out",
            tmp.toString(),
            "--graphs",
            tmp.resolve("g").toString(),
            "--epochs",
            "3");
    assertEquals(0, r.code(), r.err());
    String out = r.out();
    assertTrue(
        out.indexOf("== Activation functions") < out.indexOf("== The perceptron")
            && out.indexOf("== The perceptron") < out.indexOf("== Logic gates")
            && out.indexOf("== Logic gates") < out.indexOf("== Can ReLU"),
        out);
    assertTrue(out.contains("== Summary"), out);
    for (String m :
        List.of(
            "activations",
            "or-linear",
            "and-linear",
            "or-sigmoid",
            "and-sigmoid",
            "xor-sigmoid",
            "xor-mlp",
            "relu-parallel",
            "relu-serial")) {
      assertTrue(Files.exists(tmp.resolve(m).resolve("1/saved_model.pb")), m);
    }
    // it regenerates its own exports: a second run works without --force
    assertEquals(
        0,
        run(
                "notebook",
                "--out",
                tmp.toString(),
                "--graphs",
                tmp.resolve("g").toString(),
                "--epochs",
                "1")
            .code());
  }

  @Test
  void predictOnAKerasExport() {
    Run r =
        run("predict", "--model", "../core/src/test/resources/keras-xor-mlp", "--input", "0,0;1,1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("0.0,0.0 -> 0.0522"), r.out());
  }

  @Test
  void predictBadInputIsOneLineEach() throws Exception {
    String keras = "../core/src/test/resources/keras-xor-mlp";
    Run cols = run("predict", "--model", keras, "--input", "0,1,2");
    assertEquals(1, cols.code());
    assertEquals(
        "error: input row 1 has 3 columns; the model's input 'features' takes 2",
        cols.err().strip());
    Run nan = run("predict", "--model", keras, "--input", "0,abc");
    assertEquals("error: input row 1: 'abc' is not a number", nan.err().strip());
    Run notModel = run("predict", "--model", tmp.toString(), "--input", "0,1");
    assertEquals(1, notModel.code());
    assertTrue(notModel.err().startsWith("error: not a SavedModel: "), notModel.err());
    Run missing =
        run("predict", "--model", keras, "--input-file", tmp.resolve("nope.csv").toString());
    assertEquals(1, missing.code());
    assertTrue(missing.err().startsWith("error: no such file: "), missing.err());
    Files.writeString(tmp.resolve("in.csv"), "# x1,x2\n0,1\n1,1\n");
    Run csv = run("predict", "--model", keras, "--input-file", tmp.resolve("in.csv").toString());
    assertEquals(0, csv.code(), csv.err());
    assertEquals(3, csv.out().strip().lines().count(), csv.out());
  }

  @Test
  void badImageAndEpochsAreOneLineErrors() throws Exception {
    String g = tmp.resolve("g").toString();
    Run missing =
        run(
            "activations",
            "--only",
            "relu",
            "--out",
            tmp.toString(),
            "--graphs",
            g,
            "--image",
            tmp.resolve("nope.png").toString());
    assertEquals(1, missing.code());
    assertTrue(missing.err().startsWith("error: no such file: "), missing.err());
    Files.writeString(tmp.resolve("text.png"), "not an image");
    Run notImage =
        run(
            "activations",
            "--only",
            "relu",
            "--out",
            tmp.toString(),
            "--graphs",
            g,
            "--image",
            tmp.resolve("text.png").toString());
    assertEquals(1, notImage.code());
    assertTrue(notImage.err().startsWith("error: not an image (PNG or JPEG): "), notImage.err());
    assertEquals(1, notImage.err().strip().lines().count());
    assertFalse(Files.exists(tmp.resolve("activations")), "nothing exported after a bad image");
    Run zero = run("gates", "--epochs", "0", "--out", tmp.toString(), "--graphs", g);
    assertEquals(1, zero.code());
    assertEquals("error: --epochs must be positive, got 0", zero.err().strip());
    Run negative = run("relu-fit", "--epochs", "-3", "--out", tmp.toString(), "--graphs", g);
    assertEquals("error: --epochs must be positive, got -3", negative.err().strip());
  }

  @Test
  void gatesRefuseExistingExportsBeforeTraining() throws Exception {
    Files.createDirectories(tmp.resolve("xor-mlp"));
    Run r =
        run(
            "gates",
            "--epochs",
            "2",
            "--out",
            tmp.toString(),
            "--graphs",
            tmp.resolve("g").toString());
    assertEquals(1, r.code());
    assertTrue(r.err().strip().endsWith("xor-mlp exists (use --force to overwrite)"), r.err());
    assertFalse(Files.exists(tmp.resolve("or-linear")), "refused before anything was written");
  }

  @Test
  void exportWritesModelsAndNoCharts() throws Exception {
    Path g = tmp.resolve("g");
    Run r =
        run(
            "export",
            "--epochs",
            "2",
            "--out",
            tmp.resolve("m").toString(),
            "--graphs",
            g.toString());
    assertEquals(0, r.code(), r.err());
    for (String m : List.of("activations", "xor-mlp", "relu-serial")) {
      assertTrue(Files.exists(tmp.resolve("m").resolve(m).resolve("1/saved_model.pb")), m);
    }
    assertFalse(Files.exists(g), "export draws no charts");
  }
}
