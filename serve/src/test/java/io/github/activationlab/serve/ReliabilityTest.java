package io.github.activationlab.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server under concurrent load, on loopback, bounded in time: many clients with every answer
 * checked; a version swap under load; bad requests among good ones; SIGTERM under load (a real
 * process). Each test runs a few seconds; none needs the network.
 */
class ReliabilityTest {
  @TempDir Path tmp;

  static final String PREDICT = "/v1/models/hp2:predict";

  /** A request of {@code rows} random x values and the answer half_plus_two (b) must give. */
  record Case(String body, String expected) {}

  static Case randomCase(Random rnd, int rows, float b) {
    StringBuilder in = new StringBuilder("{\"instances\": [");
    StringBuilder out = new StringBuilder("{\"predictions\": [");
    for (int i = 0; i < rows; i++) {
      float x = (rnd.nextInt(2000) - 1000) / 8f; // exact in binary: y is exact too
      in.append(i > 0 ? ", " : "").append("[").append(x).append("]");
      out.append(i > 0 ? ", " : "").append("[").append(0.5f * x + b).append("]");
    }
    return new Case(in.append("]}").toString(), out.append("]}").toString());
  }

  ModelServer server(long pollSeconds) throws Exception {
    return ModelServer.start(
        new ModelServer.Options(
            "127.0.0.1",
            0,
            16,
            -1,
            pollSeconds,
            1 << 20,
            null,
            false,
            new String[] {"serve"},
            10_000),
        List.of(ServerTest.model("hp2", tmp.resolve("hp2"))),
        System.err);
  }

  /** Runs {@code clients} loops until {@code stop}; returns failures (empty: none). */
  static List<String> clients(
      int n, int port, AtomicBoolean stop, AtomicLong count, ClientLoop loop) throws Exception {
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int c = 0; c < n; c++) {
      int id = c;
      all.add(
          CompletableFuture.runAsync(
              () -> {
                try (Http h = new Http(port)) {
                  Random rnd = new Random(id);
                  while (!stop.get()) {
                    String f = loop.once(h, rnd);
                    if (f != null) failures.add("client " + id + ": " + f);
                    count.incrementAndGet();
                  }
                } catch (Exception e) {
                  failures.add("client " + id + ": " + e);
                }
              },
              java.util.concurrent.Executors.newSingleThreadExecutor()));
    }
    for (var f : all) f.get(60, TimeUnit.SECONDS);
    return new ArrayList<>(failures);
  }

  interface ClientLoop {
    String once(Http h, Random rnd) throws IOException;
  }

  @Test
  @Timeout(60)
  void loadSixteenClientsEveryAnswerRight() throws Exception {
    HalfPlusTwo.write(tmp.resolve("hp2/1"));
    try (ModelServer s = server(0)) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong n = new AtomicLong();
      CompletableFuture.delayedExecutor(3, TimeUnit.SECONDS).execute(() -> stop.set(true));
      List<String> failures =
          clients(
              16,
              s.port(),
              stop,
              n,
              (h, rnd) -> {
                Case c = randomCase(rnd, 1 + rnd.nextInt(64), 2f);
                var r = h.call("POST", PREDICT, c.body());
                if (r.status() != 200) return r.status() + " " + r.body();
                return JsonAssert.parse(c.expected()).equals(JsonAssert.parse(r.body()))
                    ? null
                    : "wrong answer " + r.body();
              });
      assertEquals(List.of(), failures);
      assertTrue(n.get() > 16, "requests: " + n.get());
      System.err.println("load: 16 clients, 3 s: " + n.get() + " requests, 0 failed");
    }
  }

  @Test
  @Timeout(90)
  void swapUnderLoadNoRequestFails() throws Exception {
    HalfPlusTwo.write(tmp.resolve("hp2/1"), 2f, 3f);
    try (ModelServer s = server(1)) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong n = new AtomicLong();
      ConcurrentLinkedQueue<Integer> sawNew = new ConcurrentLinkedQueue<>();
      CompletableFuture<List<String>> load =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  boolean[] seen = new boolean[8];
                  return clients(
                      8,
                      s.port(),
                      stop,
                      n,
                      (h, rnd) -> {
                        var r = h.call("POST", PREDICT, "{\"instances\": [1.0]}");
                        if (r.status() != 200) return r.status() + " " + r.body();
                        Object p = ((Map<?, ?>) JsonAssert.parse(r.body())).get("predictions");
                        double y = (Double) ((List<?>) p).get(0);
                        int id = (int) Thread.currentThread().getId() % 8;
                        if (y == 3.5) {
                          sawNew.add(id);
                          return null;
                        }
                        return y == 2.5 ? null : "wrong answer " + y;
                      });
                } catch (Exception e) {
                  return List.of(e.toString());
                }
              });
      Thread.sleep(1000);
      // version 2 (b = 3) is written in place, slowly: the server must wait for it to be complete
      HalfPlusTwo.write(tmp.resolve("hp2/2"), 3f, 4f);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (sawNew.size() < 50 && System.nanoTime() < deadline) Thread.sleep(50);
      Thread.sleep(500);
      stop.set(true);
      assertEquals(List.of(), load.get(60, TimeUnit.SECONDS));
      assertTrue(sawNew.size() >= 50, "answers from version 2: " + sawNew.size());
      try (Http h = new Http(s.port())) {
        var r = h.call("POST", PREDICT, "{\"instances\": [1.0]}");
        assertEquals(JsonAssert.parse("{\"predictions\": [3.5]}"), JsonAssert.parse(r.body()));
        var st = h.call("GET", "/v1/models/hp2/versions/1", "");
        assertTrue(st.body().contains("\"END\""), st.body());
      }
      System.err.println("swap: " + n.get() + " requests during the swap, 0 failed");
    }
  }

  @Test
  @Timeout(60)
  void badInputsAmongGoodTraffic() throws Exception {
    HalfPlusTwo.write(tmp.resolve("hp2/1"));
    String[][] bad = {
      {"POST", PREDICT, "{\"instances\": [1.0", "400", "JSON Parse error"},
      {"POST", PREDICT, "", "400", "JSON Parse error: The document is empty"},
      {"POST", PREDICT, "{\"instances\": [\"a\"]}", "400", "not of expected type: float"},
      {"POST", PREDICT, "{\"instances\": [[1.0], [1.0, 2.0]]}", "400", "Expecting tensor size"},
      {
        "POST",
        PREDICT,
        "{\"instances\": [1.0], \"signature_name\": \"x\"}",
        "400",
        "not found in signature def"
      },
      {
        "POST",
        "/v1/models/nope:predict",
        "{\"instances\": [1.0]}",
        "404",
        "Servable not found for request: Latest(nope)"
      },
      {
        "POST",
        "/v1/models/hp2/versions/9:predict",
        "{\"instances\": [1.0]}",
        "404",
        "Specific(hp2, 9)"
      },
      {
        "POST",
        "/v1/models/hp2/labels/x:predict",
        "{\"instances\": [1.0]}",
        "400",
        "Unrecognized servable version label"
      },
      {"GET", "/v1/models/hp2:predict", "", "400", "Malformed request"},
      {
        "POST",
        PREDICT,
        "{\"instances\": [" + "1.0,".repeat(300_000) + "1]}",
        "413",
        "exceeds the limit"
      },
      {
        "POST",
        "/v1/models/hp2:regress",
        "{\"examples\": [{\"x\": \"a\"}]}",
        "400",
        "No regression inputs found"
      },
    };
    try (ModelServer s = server(0)) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong n = new AtomicLong();
      CompletableFuture<List<String>> good =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return clients(
                      2,
                      s.port(),
                      stop,
                      n,
                      (h, rnd) -> {
                        Case c = randomCase(rnd, 4, 2f);
                        var r = h.call("POST", PREDICT, c.body());
                        return r.status() == 200
                                && JsonAssert.parse(c.expected()).equals(JsonAssert.parse(r.body()))
                            ? null
                            : r.status() + " " + r.body();
                      });
                } catch (Exception e) {
                  return List.of(e.toString());
                }
              });
      List<String> wrong = new ArrayList<>();
      for (int round = 0; round < 5; round++) {
        for (String[] b : bad) {
          try (Http h = new Http(s.port())) {
            var r = h.call(b[0], b[1], b[2]);
            Object err = ((Map<?, ?>) JsonAssert.parse(r.body())).get("error");
            if (r.status() != Integer.parseInt(b[3])
                || !(err instanceof String e)
                || !e.contains(b[4])) {
              wrong.add(
                  b[1]
                      + " "
                      + b[2].substring(0, Math.min(40, b[2].length()))
                      + " -> "
                      + r.status()
                      + " "
                      + err);
            }
          }
        }
      }
      stop.set(true);
      assertEquals(List.of(), wrong);
      assertEquals(List.of(), good.get(60, TimeUnit.SECONDS));
      assertTrue(n.get() > 0);
    }
  }

  @Test
  @Timeout(120)
  void sigtermUnderLoadAnswersEveryAcceptedRequest() throws Exception {
    HalfPlusTwo.write(tmp.resolve("hp2/1"));
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                javaBin,
                "-cp",
                System.getProperty("java.class.path"),
                "io.github.activationlab.serve.ServeCommand",
                "--rest_api_port=0",
                "--rest_api_host",
                "127.0.0.1",
                "--model_name=hp2",
                "--model_base_path=" + tmp.resolve("hp2"),
                "--file_system_poll_wait_seconds=0")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream()));
    int port = -1;
    for (String line; (line = err.readLine()) != null; ) {
      int at = line.indexOf("Exporting HTTP/REST API at:127.0.0.1:");
      if (at >= 0) {
        port = Integer.parseInt(line.substring(at + 37, line.indexOf(' ', at + 37)));
        break;
      }
    }
    assertTrue(port > 0, "the server did not start");
    CompletableFuture.runAsync(() -> err.lines().forEach(l -> {})); // drain
    AtomicLong sigterm = new AtomicLong(Long.MAX_VALUE);
    AtomicLong accepted = new AtomicLong();
    AtomicLong answered = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    List<CompletableFuture<Void>> clients = new ArrayList<>();
    int serverPort = port;
    for (int c = 0; c < 8; c++) {
      int id = c;
      clients.add(
          CompletableFuture.runAsync(
              () -> {
                Random rnd = new Random(id);
                while (true) {
                  try (Http h = new Http(serverPort)) {
                    while (true) {
                      Case k = randomCase(rnd, 500, 2f);
                      h.send("POST", PREDICT, k.body());
                      // sent before SIGTERM: the server must answer it — with the right 200 if
                      // it took the request before the signal, or with 503 if the signal reached
                      // it first (which a client cannot tell apart from outside); never silence
                      boolean before = System.nanoTime() < sigterm.get();
                      if (before) accepted.incrementAndGet();
                      Http.Reply r;
                      try {
                        r = h.read();
                      } catch (IOException e) {
                        if (before) failures.add("client " + id + ": sent, no answer: " + e);
                        return;
                      }
                      if (r.status() == 200
                          && JsonAssert.parse(k.expected()).equals(JsonAssert.parse(r.body()))) {
                        if (before) answered.incrementAndGet();
                      } else if (r.status() == 503) {
                        if (before) refused.incrementAndGet();
                      } else {
                        failures.add("client " + id + ": " + r.status() + " " + r.body());
                      }
                    }
                  } catch (IOException e) {
                    if (System.nanoTime() < sigterm.get()) failures.add("client " + id + ": " + e);
                    return; // refused after SIGTERM: not accepted
                  }
                }
              },
              java.util.concurrent.Executors.newSingleThreadExecutor()));
    }
    Thread.sleep(2000);
    sigterm.set(System.nanoTime());
    p.destroy(); // SIGTERM
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server did not stop");
    for (var f : clients) f.get(60, TimeUnit.SECONDS);
    assertEquals(0, p.exitValue());
    assertEquals(List.of(), new ArrayList<>(failures));
    assertEquals(accepted.get(), answered.get() + refused.get(), "every request sent was answered");
    assertTrue(refused.get() <= 8, "at most one racing request per client: " + refused.get());
    assertTrue(answered.get() > 8, "answered: " + answered.get());
    System.err.println(
        "sigterm: "
            + accepted.get()
            + " requests sent before SIGTERM, all answered ("
            + refused.get()
            + " racing the signal got 503)");
    Files.deleteIfExists(tmp.resolve("none"));
  }
}
