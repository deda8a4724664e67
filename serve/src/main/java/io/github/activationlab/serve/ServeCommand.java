package io.github.activationlab.serve;

import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code serve}: TensorFlow Serving's command line ({@code --rest_api_port=8501 --model_name=NAME
 * --model_base_path=DIR}, or {@code --model_config_file=FILE}; {@code --flag=value} and {@code
 * --flag value} both work) and its Docker image's {@code MODEL_NAME} / {@code MODEL_BASE_PATH}
 * variables (the model then is {@code $MODEL_BASE_PATH/$MODEL_NAME}). SIGTERM or SIGINT stop it
 * gracefully: the socket closes, the requests in progress are answered, the command returns 0.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Serves SavedModels and Keras 3 .keras files over TensorFlow Serving's REST API "
            + "(predict, classify, regress, status, metadata), with live version swaps and "
            + "Prometheus metrics at /monitoring/prometheus/metrics.")
public final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--rest_api_port",
      defaultValue = "8501",
      description = "HTTP port (default 8501; 0: any free port)")
  int port;

  @Option(
      names = "--rest_api_host",
      defaultValue = "0.0.0.0",
      description = "address to listen on (default 0.0.0.0, as TensorFlow Serving)")
  String host;

  @Option(
      names = "--model_name",
      description = "the model's name in URLs (default: $MODEL_NAME, else 'default')")
  String modelName;

  @Option(
      names = "--model_base_path",
      description =
          "directory of numbered versions, or a .keras file (default:"
              + " $MODEL_BASE_PATH/$MODEL_NAME)")
  Path basePath;

  @Option(
      names = "--model_config_file",
      description =
          "a ModelServerConfig text proto: several models, version policies, version_labels")
  Path configFile;

  @Option(
      names = "--file_system_poll_wait_seconds",
      defaultValue = "1",
      description = "seconds between scans for new versions (default 1; 0: scan once)")
  long pollSeconds;

  @Option(names = "--rest_api_num_threads", description = "request threads (default: 4 per core)")
  Integer threads;

  @Option(
      names = "--rest_api_timeout_in_ms",
      defaultValue = "30000",
      description = "a model call's deadline in ms (default 30000; 0: none)")
  long timeoutMillis;

  @Option(
      names = "--rest_api_enable_cors_support",
      arity = "0..1",
      fallbackValue = "true",
      description = "add CORS headers")
  boolean cors;

  @Option(
      names = "--saved_model_tags",
      defaultValue = "serve",
      description = "SavedModel tags to load (comma-separated; default serve)")
  String tags;

  @Option(
      names = "--rest_api_max_body_bytes",
      defaultValue = "67108864",
      description = "largest request body; larger ones get 413 (default 64 MiB)")
  long maxBody;

  @Option(
      names = "--access_log",
      paramLabel = "FILE|-",
      description =
          "one line per request (NCSA format and microseconds) to FILE, or stdout with '-'")
  String accessLog;

  @Option(
      names = "--port",
      description =
          "TensorFlow Serving's gRPC port: accepted, not served (this server speaks REST only)")
  Integer grpcPort;

  /** Set by a test or the signal handler: stop now. */
  final CountDownLatch stopRequested = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    List<ModelConfigFile.ModelConfig> configs = configs(System.getenv());
    PrintStream access = null;
    if (accessLog != null) {
      access =
          accessLog.equals("-")
              ? System.out
              : new PrintStream(new FileOutputStream(accessLog, true), true);
    }
    int n = threads != null ? threads : 4 * Runtime.getRuntime().availableProcessors();
    if (n < 1) throw new IllegalArgumentException("--rest_api_num_threads must be at least 1");
    if (grpcPort != null) {
      ModelServer.log(System.err, "--port=" + grpcPort + ": gRPC is not served (REST only)");
    }
    var o =
        new ModelServer.Options(
            host,
            port,
            n,
            timeoutMillis,
            pollSeconds,
            maxBody,
            access,
            cors,
            tags.split(","),
            30_000);
    ModelServer server = ModelServer.start(o, configs, System.err);
    Thread stopper =
        new Thread(
            () -> {
              try {
                stopRequested.await();
                server.stop();
              } catch (Exception e) {
                ModelServer.log(System.err, "stop failed: " + e);
              }
            },
            "serve-stop");
    stopper.start();
    onSignals(stopRequested);
    server.join();
    stopper.join();
    if (access != null && access != System.out) access.close();
    return 0;
  }

  /** The models to serve, from the flags or the environment (TensorFlow Serving's Docker image). */
  List<ModelConfigFile.ModelConfig> configs(Map<String, String> env) throws java.io.IOException {
    if (configFile != null) return ModelConfigFile.read(configFile);
    String name = modelName != null ? modelName : env.getOrDefault("MODEL_NAME", "default");
    Path base = basePath;
    if (base == null && env.get("MODEL_BASE_PATH") != null) {
      base = Path.of(env.get("MODEL_BASE_PATH"), name);
    }
    if (base == null) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "give --model_base_path (or MODEL_BASE_PATH), or --model_config_file");
    }
    return List.of(
        new ModelConfigFile.ModelConfig(name, base, new VersionPolicy.Latest(1), Map.of()));
  }

  /** SIGTERM and SIGINT count down {@code latch} instead of ending the JVM at once. */
  @SuppressWarnings("restriction")
  private static void onSignals(CountDownLatch latch) {
    for (String s : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(s), sig -> latch.countDown());
      } catch (IllegalArgumentException e) {
        // this platform has no such signal
      }
    }
  }

  /**
   * Runs {@code serve} on its own (the module's jar, tests); exits with its code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new ServeCommand());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr()
              .println("error: " + SavedModelServable.firstLine(String.valueOf(e.getMessage())));
          return 1;
        });
    System.exit(cli.execute(args));
  }
}
