package io.github.activationlab.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line before any session exists: a master that does not answer, one Spark cannot
 * parse, bad arguments — one line each, exit 1 (2 for a bad command line), nothing at --output; and
 * which Maven runs start the jobs.
 */
@Timeout(120)
class SparkJobsTest {
  @TempDir Path tmp;

  @BeforeEach
  void noSession() {
    assertFalse(
        SparkSession.getDefaultSession().isDefined()
            && !SparkSession.getDefaultSession().get().sparkContext().isStopped(),
        "another test class left a session running");
  }

  @Test
  void aMasterThatDoesNotAnswer() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free once closed: nothing listens there
    }
    String url = "spark://127.0.0.1:" + port;
    Path out = tmp.resolve("out.txt");
    String[] r =
        PredictJobTest.run(
            "predict", "--master", url, "--model", "m", "--input", "0,1", "--output", out + "");
    assertEquals("1", r[0]);
    assertEquals(
        "error: no Spark master answers at "
            + url
            + ": 127.0.0.1:"
            + port
            + " (Connection refused)\n",
        r[1]);
    assertFalse(Files.exists(out));
    r = PredictJobTest.run("sweep", "--master", url, "--seeds", "3", "--json", out + "");
    assertEquals("1", r[0]);
    assertTrue(r[1].startsWith("error: no Spark master answers at " + url), r[1]);
    assertFalse(Files.exists(out));
  }

  @Test
  void aMasterSparkCannotParse() {
    String[] r =
        PredictJobTest.run("predict", "--master", "nowhere", "--model", "m", "--input", "0");
    assertEquals("1", r[0]);
    assertEquals("error: Could not parse Master URL: 'nowhere'\n", r[1]);
  }

  @Test
  void aBadCommandLineIsExitTwo() {
    String[] r = PredictJobTest.run("predict", "--model", "m");
    assertEquals("2", r[0]);
    assertTrue(r[1].startsWith("error: Error: Missing required argument"), r[1]);
    assertEquals("2", PredictJobTest.run("sweep", "--seeds", "many")[0]);
  }

  @Test
  void mavenRunsTheJobsOnlyWhenPlNamesTheModule() {
    assertTrue(MavenExec.selected("spark,${session.request.selectedProjects[1]}"));
    assertTrue(MavenExec.selected("app,./spark/"));
    assertTrue(MavenExec.selected(":activation-lab-spark"));
    assertTrue(MavenExec.selected("io.github.activationlab:activation-lab-spark"));
    assertTrue(MavenExec.selected(null), "not under Maven");
    assertFalse(MavenExec.selected("${session.request.selectedProjects[0]},${x}"), "no -pl");
    assertFalse(MavenExec.selected("app,core"));
    assertFalse(MavenExec.selected("sparkle"));
  }
}
