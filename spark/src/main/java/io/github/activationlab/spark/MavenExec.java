package io.github.activationlab.spark;

import java.util.Arrays;

/**
 * The jobs as {@code mvn -q -pl spark exec:java -Dexec.args="sweep ..."} runs them: {@link
 * SparkJobs#main}, but only if Maven's {@code -pl} list names this module. The root's main job,
 * {@code mvn -q compile exec:java} (the notebook), runs {@code exec:java} in every module of the
 * reactor, this one included, with the notebook's arguments: here it does nothing.
 */
public final class MavenExec {
  private MavenExec() {}

  /**
   * Runs the jobs if {@code -pl} selected this module.
   *
   * @param args a subcommand and its options
   */
  public static void main(String[] args) {
    if (selected(System.getProperty("activationlab.exec.selected"))) SparkJobs.main(args);
  }

  /**
   * Whether Maven's {@code -pl} entries (comma-separated; unresolved {@code ${...}} for none) name
   * this module: {@code spark}, {@code ./spark}, {@code :activation-lab-spark}, ...
   */
  static boolean selected(String list) {
    if (list == null) return true; // not run by Maven's exec:java
    return Arrays.stream(list.split(","))
        .map(String::strip)
        .filter(e -> !e.startsWith("${"))
        .anyMatch(e -> e.replaceAll("/+$", "").matches("(.*[/:])?(activation-lab-)?spark"));
  }
}
