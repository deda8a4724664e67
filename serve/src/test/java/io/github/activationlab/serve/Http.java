package io.github.activationlab.serve;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 keep-alive client on one socket (the tests need to know exactly when a request
 * was sent and whether its answer came), for loopback only.
 */
final class Http implements AutoCloseable {
  record Reply(int status, String body) {}

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  Http(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(30_000);
    out = socket.getOutputStream();
    in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
  }

  /** Sends a request (the whole of it, flushed). */
  void send(String method, String path, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    String head =
        method
            + " "
            + path
            + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
            + b.length
            + "\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(b);
    out.flush();
  }

  /** Reads one response (Content-Length or chunked bodies). */
  Reply read() throws IOException {
    String status = line();
    if (status == null) throw new java.io.EOFException("connection closed before a response");
    int code = Integer.parseInt(status.split(" ")[1]);
    long length = -1;
    boolean chunked = false;
    for (String h; !(h = line()).isEmpty(); ) {
      String lower = h.toLowerCase(java.util.Locale.ROOT);
      if (lower.startsWith("content-length:")) length = Long.parseLong(h.substring(15).trim());
      if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      for (int n; (n = Integer.parseInt(line().trim(), 16)) > 0; line())
        body.write(in.readNBytes(n));
      line();
    } else {
      body.write(in.readNBytes((int) length));
    }
    return new Reply(code, body.toString(StandardCharsets.UTF_8));
  }

  Reply call(String method, String path, String body) throws IOException {
    send(method, path, body);
    return read();
  }

  private String line() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c; (c = in.read()) != -1; ) {
      if (c == '\n') return b.toString().replace("\r", "");
      b.append((char) c);
    }
    return b.length() == 0 ? null : b.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
