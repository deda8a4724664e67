package io.github.activationlab.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession of a job: its master (the {@code --master} option; else what {@code
 * spark-submit} set; else {@code local[*]}), checked before Spark starts, and quiet logging for
 * local runs.
 */
final class Sessions {
  private Sessions() {}

  /** The master when neither {@code --master} nor {@code spark-submit} names one. */
  static final String DEFAULT_MASTER = "local[*]";

  /** How long a standalone master may take to accept a connection before it "does not answer". */
  static final int CONNECT_TIMEOUT_MS = Integer.getInteger("activationlab.spark.connectMs", 5000);

  /**
   * Spark's own log lines at ERROR only, for runs from the command line ({@code mvn exec:java},
   * {@code java -cp}): the job prints its own results. Only if the user named no log4j2
   * configuration; under {@code spark-submit} logging is set up before the job's main runs, so the
   * cluster's configuration stays in force.
   */
  static void quietLogging() {
    if (System.getProperty("log4j2.configurationFile") == null
        && System.getProperty("log4j.configurationFile") == null
        && System.getenv("LOG4J_CONFIGURATION_FILE") == null
        && Sessions.class.getResource("/log4j2.properties") == null) {
      System.setProperty(
          "log4j2.configurationFile", "classpath:activationlab-spark-log4j2.properties");
    }
  }

  /**
   * The master the job runs on: {@code option} if given, else {@code spark.master} as {@code
   * spark-submit} sets it, else {@link #DEFAULT_MASTER}.
   */
  static String master(String option) {
    if (option != null) return option;
    String submitted = new SparkConf().get("spark.master", null);
    return submitted != null ? submitted : DEFAULT_MASTER;
  }

  /** A job's session; closing it stops the session only if the job started it. */
  record Handle(SparkSession spark, boolean owned) implements AutoCloseable {
    @Override
    public void close() {
      if (owned) spark.stop();
    }
  }

  /**
   * Starts the session, or joins the one the process already has (an application that embeds the
   * jobs, a test: then {@code master} is the session's own). A standalone master ({@code
   * spark://host:port[,host:port]}) must accept a TCP connection within {@link
   * #CONNECT_TIMEOUT_MS}: Spark itself would retry for a minute before giving up.
   *
   * @throws IllegalArgumentException "no Spark master answers at ..." for a standalone master that
   *     does not answer
   */
  static Handle open(String master, String appName) {
    var running = SparkSession.getDefaultSession();
    if (running.isDefined() && !running.get().sparkContext().isStopped()) {
      return new Handle(running.get(), false);
    }
    checkAnswers(master);
    SparkConf conf = new SparkConf().setAppName(appName).setMaster(master);
    if (!conf.contains("spark.ui.enabled")) conf.set("spark.ui.enabled", "false");
    return new Handle(SparkSession.builder().config(conf).getOrCreate(), true);
  }

  /** Connects to each host of a {@code spark://} URL; an error if none accepts. */
  static void checkAnswers(String master) {
    if (!master.startsWith("spark://")) return;
    List<String> failures = new ArrayList<>();
    for (String hostPort : master.substring("spark://".length()).split(",")) {
      int colon = hostPort.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(
            "bad master URL '" + master + "': no port in " + hostPort);
      }
      String host = hostPort.substring(0, colon);
      int port;
      try {
        port = Integer.parseInt(hostPort.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad master URL '" + master + "': port " + hostPort);
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        return; // one master answers
      } catch (IOException e) {
        failures.add(hostPort + " (" + (e.getMessage() == null ? e : e.getMessage()) + ")");
      }
    }
    throw new IllegalArgumentException(
        "no Spark master answers at " + master + ": " + String.join(", ", failures));
  }
}
