package io.github.activationlab.serve;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP side, on Jetty 12's core API: a pool of {@code --rest_api_num_threads} request threads
 * that run the model call themselves (blocking, as TensorFlow Serving's executor does), HTTP/1.1
 * keep-alive, a body limit answered with 413 before the body is read, Prometheus metrics at {@code
 * /monitoring/prometheus/metrics}, an NCSA access log on demand, and a graceful stop: {@link
 * #stop()} closes the listening socket, lets the requests in progress finish (up to the stop
 * timeout) and only then returns.
 */
final class HttpFront {
  static final String METRICS_PATH = "/monitoring/prometheus/metrics";

  private final Server server;
  private final ServerConnector connector;

  HttpFront(ModelServer.Options o, RestApi api, ServeMetrics metrics, PrintStream accessLog) {
    QueuedThreadPool pool = new QueuedThreadPool(o.threads() + 8, Math.min(8, o.threads() + 8));
    pool.setName("serve");
    server = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(o.host());
    connector.setPort(o.port());
    connector.setIdleTimeout(120_000);
    server.addConnector(connector);
    Handler handler =
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            serve(o, api, metrics, request, response, callback);
            return true;
          }
        };
    server.setHandler(new GracefulHandler(handler));
    server.setStopTimeout(o.stopTimeoutMillis());
    server.setStopAtShutdown(false);
    if (accessLog != null) {
      server.setRequestLog(
          new CustomRequestLog(
              line -> accessLog.println(line), CustomRequestLog.NCSA_FORMAT + " %{us}Tus"));
    }
  }

  private static void serve(
      ModelServer.Options o,
      RestApi api,
      ServeMetrics metrics,
      Request request,
      Response response,
      Callback callback)
      throws Exception {
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    if (path.equals(METRICS_PATH) && method.equals("GET")) {
      response
          .getHeaders()
          .put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
      response.write(true, ByteBuffer.wrap(metrics.scrape()), callback);
      return;
    }
    long t0 = System.nanoTime();
    metrics.started();
    RestApi.Response r;
    if (method.equals("OPTIONS")) {
      // a CORS preflight, as TensorFlow Serving answers it
      String origin = request.getHeaders().get("Origin");
      r =
          origin != null && origin.matches("(?s).*https?://.*")
              ? new RestApi.Response(200, "", "", "", "OK")
              : RestApi.error(
                  400, "Origin header is missing in CORS preflight", "", "", "FAILED_PRECONDITION");
    } else if (!path.regionMatches(true, 0, "/v1/", 0, 4)) {
      r = RestApi.error(404, "Not found: " + method + " " + path, "", "", "NOT_FOUND");
    } else {
      long declared = request.getLength();
      if (declared > o.maxBodyBytes()) {
        if (declared <= DRAIN_MAX) drain(request);
        r = tooLarge(declared, o);
      } else {
        byte[] body = read(request, o.maxBodyBytes());
        r = body == null ? tooLarge(-1, o) : api.handle(method, path, body, body.length);
      }
    }
    metrics.finished(r.model(), r.api(), r.code(), (System.nanoTime() - t0) / 1000);
    response.setStatus(r.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    if (o.cors()) {
      response.getHeaders().put("Access-Control-Allow-Origin", "*");
      response.getHeaders().put("Access-Control-Allow-Methods", "POST, GET");
      response.getHeaders().put("Access-Control-Allow-Headers", "Content-Type");
    }
    response.write(true, ByteBuffer.wrap(r.body().getBytes(StandardCharsets.UTF_8)), callback);
  }

  private static RestApi.Response tooLarge(long declared, ModelServer.Options o) {
    return RestApi.error(
        413,
        "Request body "
            + (declared >= 0 ? "of " + declared + " bytes " : "")
            + "exceeds the limit of "
            + o.maxBodyBytes()
            + " bytes (--rest_api_max_body_bytes)",
        "",
        "",
        "RESOURCE_EXHAUSTED");
  }

  /**
   * A body over the limit is still read (and dropped) up to this size before the 413, so that a
   * client that writes its whole body before reading gets the answer, not a broken pipe, and the
   * connection stays open; beyond it the connection is closed after the 413.
   */
  static final long DRAIN_MAX = 256L << 20;

  private static void drain(Request request) throws java.io.IOException {
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] b = new byte[65536];
      long n = 0;
      for (int r; n <= DRAIN_MAX && (r = in.read(b)) >= 0; ) n += r;
    }
  }

  /** The whole body, or null if it is longer than {@code limit} (then drained, see above). */
  private static byte[] read(Request request, long limit) throws java.io.IOException {
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] buf = new byte[(int) Math.min(Math.max(request.getLength(), 0) + 1, limit + 1)];
      int n = 0;
      while (true) {
        if (n == buf.length) {
          if (n > limit) return null;
          buf = java.util.Arrays.copyOf(buf, (int) Math.min((long) n * 2 + 1024, limit + 1));
        }
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) break;
        n += r;
        if (n > limit) {
          byte[] skip = new byte[65536];
          for (long total = n; total <= DRAIN_MAX && (r = in.read(skip)) >= 0; ) total += r;
          return null;
        }
      }
      return n == buf.length ? buf : java.util.Arrays.copyOf(buf, n);
    }
  }

  void start() throws Exception {
    server.start();
  }

  /** The port listened on (the real one when 0 was asked for). */
  int port() {
    return connector.getLocalPort();
  }

  /** Stops accepting, finishes the requests in progress, then stops. */
  void stop() throws Exception {
    server.stop();
  }

  void join() throws InterruptedException {
    server.join();
  }
}
