package io.github.activationlab.serve;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The server: models (each a {@link ModelVersions}, polled for new versions on one background
 * thread), the REST API and the HTTP front. {@link #start} loads every model before it listens, as
 * TensorFlow Serving does, and fails in one line when a model has versions but none of them loads;
 * {@link #stop} is graceful (see {@link HttpFront#stop()}), then unloads the models.
 */
public final class ModelServer implements AutoCloseable {
  /**
   * How to serve.
   *
   * @param host the address to listen on
   * @param port the port (0: any free one)
   * @param threads request threads
   * @param timeoutMillis a model call's deadline ({@code <= 0}: none)
   * @param pollSeconds seconds between scans of the base paths ({@code <= 0}: scanned at start
   *     only)
   * @param maxBodyBytes the largest request body (413 beyond)
   * @param accessLog where one line per request goes (null: no access log)
   * @param cors whether to add TensorFlow Serving's CORS headers
   * @param tags the SavedModel tags to load
   * @param stopTimeoutMillis how long a graceful stop waits for requests in progress
   */
  public record Options(
      String host,
      int port,
      int threads,
      long timeoutMillis,
      long pollSeconds,
      long maxBodyBytes,
      PrintStream accessLog,
      boolean cors,
      String[] tags,
      long stopTimeoutMillis) {}

  private final Map<String, ModelVersions> models;
  private final HttpFront http;
  private final ScheduledExecutorService poller;
  private final PrintStream log;

  private ModelServer(
      Map<String, ModelVersions> models,
      HttpFront http,
      ScheduledExecutorService poller,
      PrintStream log) {
    this.models = models;
    this.http = http;
    this.poller = poller;
    this.log = log;
  }

  /**
   * Loads the models and starts listening.
   *
   * @param o the options
   * @param configs the models to serve
   * @param log where load, unload and error lines go
   * @return the running server
   * @throws Exception when a model cannot be served or the port cannot be bound
   */
  public static ModelServer start(
      Options o, List<ModelConfigFile.ModelConfig> configs, PrintStream log) throws Exception {
    ServeMetrics metrics = new ServeMetrics();
    Map<String, ModelVersions> models = new LinkedHashMap<>();
    for (var c : configs) {
      if (models.containsKey(c.name())) {
        throw new IllegalArgumentException("model " + c.name() + " is configured twice");
      }
      if (!Files.exists(c.basePath())) {
        throw new IllegalArgumentException(
            "model " + c.name() + ": no such base path: " + c.basePath());
      }
      models.put(
          c.name(),
          new ModelVersions(
              c.name(),
              c.basePath(),
              c.policy(),
              c.labels(),
              p -> load(p, o.tags()),
              line -> log(log, line),
              metrics::loaded));
    }
    List<ModelVersions> all = new ArrayList<>(models.values());
    try {
      // two scans: a version is complete when its files did not change in between
      all.forEach(ModelVersions::poll);
      Thread.sleep(200);
      all.forEach(ModelVersions::poll);
      for (ModelVersions m : all) {
        var st = m.status();
        if (m.available().isEmpty() && !st.isEmpty()) {
          throw new IllegalArgumentException(
              "model " + m.name + ": " + st.firstEntry().getValue().error());
        }
        if (m.available().isEmpty()) {
          log(log, "No versions of servable " + m.name + " found under base path " + m.basePath);
        }
        for (var label : m.labels.entrySet()) {
          if (!m.available().contains(label.getValue())) {
            throw new IllegalArgumentException(
                "Request to assign label to version "
                    + label.getValue()
                    + " of model "
                    + m.name
                    + ", which is not currently available for inference");
          }
        }
      }
    } catch (Exception e) {
      all.forEach(ModelVersions::close);
      throw e;
    }
    Runnable gauges =
        () -> all.forEach(m -> metrics.versions.labelValues(m.name).set(m.available().size()));
    gauges.run();
    ScheduledExecutorService poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "serve-poll");
              t.setDaemon(true);
              return t;
            });
    if (o.pollSeconds() > 0) {
      poller.scheduleWithFixedDelay(
          () -> {
            for (ModelVersions m : all) {
              try {
                m.poll();
              } catch (RuntimeException e) {
                log(log, "model " + m.name + ": poll failed: " + e);
              }
            }
            gauges.run();
          },
          o.pollSeconds(),
          o.pollSeconds(),
          TimeUnit.SECONDS);
    }
    HttpFront http =
        new HttpFront(o, new RestApi(models, o.timeoutMillis()), metrics, o.accessLog());
    try {
      http.start();
    } catch (Exception e) {
      poller.shutdownNow();
      all.forEach(ModelVersions::close);
      throw new IllegalArgumentException(
          "cannot listen on " + o.host() + ":" + o.port() + ": " + e.getMessage());
    }
    log(log, "Exporting HTTP/REST API at:" + o.host() + ":" + http.port() + " ...");
    return new ModelServer(models, http, poller, log);
  }

  /** Loads one version: a SavedModel directory, a directory with one .keras file, or that file. */
  static Servable load(Path p, String[] tags) throws IOException {
    if (Files.isRegularFile(p)) return KerasServable.load(p);
    if (Files.exists(p.resolve("saved_model.pb"))) return SavedModelServable.load(p, tags);
    List<Path> keras;
    try (Stream<Path> s = Files.list(p)) {
      keras = s.filter(f -> f.getFileName().toString().endsWith(".keras")).toList();
    }
    if (keras.size() != 1) {
      throw new IllegalArgumentException(
          p + ": no saved_model.pb and " + keras.size() + " .keras files (one is served)");
    }
    return KerasServable.load(keras.get(0));
  }

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  static void log(PrintStream log, String line) {
    log.println(LocalDateTime.now().format(TIME) + ": I serve] " + line);
  }

  /**
   * @return the port the server listens on
   */
  public int port() {
    return http.port();
  }

  /** Scans every model's base path now (tests; the poller does it every few seconds). */
  void pollNow() {
    models.values().forEach(ModelVersions::poll);
  }

  /**
   * Stops gracefully: no new connections, the requests in progress answered, then the models
   * unloaded.
   *
   * @throws Exception if the HTTP server fails to stop
   */
  public void stop() throws Exception {
    poller.shutdownNow();
    try {
      http.stop();
    } finally {
      models.values().forEach(ModelVersions::close);
      log(log, "Server stopped");
    }
  }

  /**
   * Waits until the server has stopped.
   *
   * @throws InterruptedException if interrupted
   */
  public void join() throws InterruptedException {
    http.join();
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
