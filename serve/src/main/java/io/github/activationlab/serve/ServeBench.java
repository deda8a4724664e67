package io.github.activationlab.serve;

import io.github.activationlab.savedmodel.Predictor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Java half of {@code scripts/bench_serve.sh} (issue 17, section 6): against a {@code serve}
 * process already listening on loopback, requests/s and p50/p99 latency at 1, 16 and 64 keep-alive
 * clients for 1-row and 1000-row predicts; the floor is the in-process {@link Predictor} doing the
 * same predictions with as many threads; the ratio is HTTP requests/s over the floor's. Then the
 * server's resident memory after 10k and after 1M requests. Every cell is warmed (untimed calls for
 * 0.5 s) before it is timed; every HTTP answer's status is checked (a non-200 stops the run).
 *
 * <p>{@code ServeBench --port P --pid PID --model DIR --name NAME [--seconds S] [--rss-requests N]
 * --json FILE --md FILE}
 */
public final class ServeBench {
  private ServeBench() {}

  /** One cell: where, how many rows and clients, and what was measured. */
  record Cell(
      String side, int rows, int clients, long requests, double seconds, double p50, double p99) {
    double rps() {
      return requests / seconds;
    }
  }

  /**
   * Runs the benchmark.
   *
   * @param args see the class comment
   * @throws Exception on a failed request or a missing model
   */
  public static void main(String[] args) throws Exception {
    int port = 0;
    long pid = 0;
    Path model = null;
    String name = null;
    double seconds = 5;
    long rssRequests = 1_000_000;
    Path json = null;
    Path md = null;
    for (int i = 0; i < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(v);
        case "--pid" -> pid = Long.parseLong(v);
        case "--model" -> model = Path.of(v);
        case "--name" -> name = v;
        case "--seconds" -> seconds = Double.parseDouble(v);
        case "--rss-requests" -> rssRequests = Long.parseLong(v);
        case "--json" -> json = Path.of(v);
        case "--md" -> md = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<Cell> cells = new ArrayList<>();
    try (Predictor p = Predictor.load(model)) {
      int width = (int) p.inputWidth();
      for (int rows : new int[] {1, 1000}) {
        double[][] x = inputs(rows, width);
        String body = body(x);
        for (int clients : new int[] {1, 16, 64}) {
          cells.add(run("predictor", rows, clients, seconds, () -> () -> p.predict(x)));
          int fport = port;
          String path = "/v1/models/" + name + ":predict";
          cells.add(run("http", rows, clients, seconds, () -> new Client(fport, path, body)));
        }
      }
    }
    long[] rss = rss(port, pid, name, rssRequests);
    write(json, md, name, seconds, cells, rss, rssRequests);
  }

  static double[][] inputs(int rows, int width) {
    Random r = new Random(42);
    double[][] x = new double[rows][width];
    for (double[] row : x) for (int j = 0; j < width; j++) row[j] = r.nextInt(2);
    return x;
  }

  static String body(double[][] x) {
    StringBuilder b = new StringBuilder("{\"instances\": [");
    for (int i = 0; i < x.length; i++) {
      b.append(i > 0 ? ", [" : "[");
      for (int j = 0; j < x[i].length; j++) b.append(j > 0 ? ", " : "").append(x[i][j]);
      b.append(']');
    }
    return b.append("]}").toString();
  }

  /** One call of a timed loop. */
  interface Call {
    void call() throws Exception;
  }

  /** Makes one caller per thread (a connection, or the shared predictor). */
  interface Caller {
    Call make() throws Exception;
  }

  static Cell run(String side, int rows, int clients, double seconds, Caller caller)
      throws Exception {
    long warmEnd = System.nanoTime() + 500_000_000L;
    long end = warmEnd + (long) (seconds * 1e9);
    List<long[]> latencies = new ArrayList<>();
    AtomicLong total = new AtomicLong();
    List<Throwable> errors = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(clients);
    for (int c = 0; c < clients; c++) {
      long[][] mine = {new long[1 << 16]};
      synchronized (latencies) {
        latencies.add(null);
      }
      int slot = c;
      Thread t =
          new Thread(
              () -> {
                int n = 0;
                try {
                  Call call = caller.make();
                  while (System.nanoTime() < warmEnd) call.call();
                  for (long t0; (t0 = System.nanoTime()) < end; ) {
                    call.call();
                    if (n == mine[0].length) mine[0] = Arrays.copyOf(mine[0], n * 2);
                    mine[0][n++] = System.nanoTime() - t0;
                  }
                  if (call instanceof AutoCloseable a) a.close();
                } catch (Throwable e) {
                  synchronized (errors) {
                    errors.add(e);
                  }
                } finally {
                  synchronized (latencies) {
                    latencies.set(slot, Arrays.copyOf(mine[0], n));
                  }
                  total.addAndGet(n);
                  done.countDown();
                }
              });
      t.setDaemon(true);
      t.start();
    }
    done.await();
    if (!errors.isEmpty()) throw new IllegalStateException(side + " failed", errors.get(0));
    long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    Cell cell = new Cell(side, rows, clients, all.length, seconds, pct(all, 0.50), pct(all, 0.99));
    System.err.printf(
        Locale.ROOT,
        "serve bench: %-9s %4d rows %2d clients: %9.0f req/s  p50 %.3f ms  p99 %.3f ms%n",
        side,
        rows,
        clients,
        cell.rps(),
        cell.p50(),
        cell.p99());
    return cell;
  }

  static double pct(long[] sorted, double q) {
    if (sorted.length == 0) return Double.NaN;
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
  }

  /** A keep-alive HTTP/1.1 connection sending one request body again and again. */
  static final class Client implements Call, AutoCloseable {
    private final Socket s;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] request;
    private byte[] buf = new byte[1 << 16];

    Client(int port, String path, String body) throws IOException {
      s = new Socket("127.0.0.1", port);
      s.setTcpNoDelay(true);
      out = s.getOutputStream();
      in = new BufferedInputStream(s.getInputStream(), 1 << 16);
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      byte[] head =
          ("POST "
                  + path
                  + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + b.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      request = Arrays.copyOf(head, head.length + b.length);
      System.arraycopy(b, 0, request, head.length, b.length);
    }

    @Override
    public void call() throws IOException {
      out.write(request);
      out.flush();
      String status = line();
      if (!status.startsWith("HTTP/1.1 200")) throw new IOException("answer: " + status);
      int length = -1;
      for (String h; !(h = line()).isEmpty(); ) {
        if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
          length = Integer.parseInt(h.substring(15).trim());
        }
      }
      if (length < 0) throw new IOException("no Content-Length");
      if (buf.length < length) buf = new byte[length];
      if (in.readNBytes(buf, 0, length) != length) throw new IOException("short body");
    }

    private String line() throws IOException {
      StringBuilder b = new StringBuilder(64);
      for (int c; (c = in.read()) != -1; ) {
        if (c == '\n') return b.toString().strip();
        b.append((char) c);
      }
      throw new IOException("connection closed");
    }

    @Override
    public void close() throws IOException {
      s.close();
    }
  }

  /** The server's resident memory (kB) after 10k and after {@code n} 1-row requests. */
  static long[] rss(int port, long pid, String name, long n) throws Exception {
    String body = body(inputs(1, 2));
    String path = "/v1/models/" + name + ":predict";
    AtomicLong sent = new AtomicLong();
    long[] out = new long[2];
    int clients = 16;
    CountDownLatch done = new CountDownLatch(clients);
    List<Throwable> errors = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      Thread t =
          new Thread(
              () -> {
                try (Client cl = new Client(port, path, body)) {
                  for (long i; (i = sent.incrementAndGet()) <= n; ) {
                    cl.call();
                    if (i == 10_000) out[0] = vmRss(pid);
                  }
                } catch (Throwable e) {
                  synchronized (errors) {
                    errors.add(e);
                  }
                } finally {
                  done.countDown();
                }
              });
      t.setDaemon(true);
      t.start();
    }
    done.await();
    if (!errors.isEmpty()) throw new IllegalStateException("rss run failed", errors.get(0));
    out[1] = vmRss(pid);
    System.err.printf(
        Locale.ROOT,
        "serve bench: RSS after 10k requests %d MB, after %d: %d MB (%.0f s)%n",
        out[0] / 1024,
        n,
        out[1] / 1024,
        (System.nanoTime() - t0) / 1e9);
    return out;
  }

  static long vmRss(long pid) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
    }
    throw new IOException("no VmRSS for pid " + pid);
  }

  static void write(
      Path json, Path md, String name, double seconds, List<Cell> cells, long[] rss, long n)
      throws IOException {
    StringBuilder j = new StringBuilder("{\n  \"model\": \"" + name + "\",\n");
    j.append("  \"seconds_per_cell\": ").append(seconds).append(",\n  \"cells\": [\n");
    StringBuilder m = new StringBuilder();
    m.append("| rows | clients | HTTP req/s | HTTP p50 ms | HTTP p99 ms | in-process req/s |")
        .append(
            " in-process p50 ms | HTTP / in-process |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < cells.size(); i += 2) {
      Cell f = cells.get(i);
      Cell h = cells.get(i + 1);
      double ratio = h.rps() / f.rps();
      j.append(
          String.format(
              Locale.ROOT,
              "    {\"rows\": %d, \"clients\": %d, \"http_rps\": %.1f, \"http_p50_ms\": %.4f,"
                  + " \"http_p99_ms\": %.4f, \"http_requests\": %d, \"predictor_rps\": %.1f,"
                  + " \"predictor_p50_ms\": %.4f, \"predictor_p99_ms\": %.4f, \"ratio\": %.4f}%s%n",
              h.rows(),
              h.clients(),
              h.rps(),
              h.p50(),
              h.p99(),
              h.requests(),
              f.rps(),
              f.p50(),
              f.p99(),
              ratio,
              i + 2 < cells.size() ? "," : ""));
      m.append(
          String.format(
              Locale.ROOT,
              "| %d | %d | %.0f | %.3f | %.3f | %.0f | %.3f | %.2f |%n",
              h.rows(),
              h.clients(),
              h.rps(),
              h.p50(),
              h.p99(),
              f.rps(),
              f.p50(),
              ratio));
    }
    j.append(
        String.format(
            Locale.ROOT,
            "  ],\n  \"rss_kb_after_10k\": %d,\n  \"rss_kb_after_n\": %d,\n  \"rss_requests\": %d,"
                + "\n  \"rss_growth_mb\": %.1f\n}\n",
            rss[0],
            rss[1],
            n,
            (rss[1] - rss[0]) / 1024.0));
    m.append(
        String.format(
            Locale.ROOT,
            "%nServer RSS: %.1f MB after 10k requests, %.1f MB after %d (growth %.1f MB).%n",
            rss[0] / 1024.0,
            rss[1] / 1024.0,
            n,
            (rss[1] - rss[0]) / 1024.0));
    Files.createDirectories(json.toAbsolutePath().getParent());
    Files.writeString(json, j.toString());
    Files.writeString(md, m.toString());
  }
}
