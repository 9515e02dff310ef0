package dev.sluice.agent.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * A loopback HTTP/1.1 backend whose behaviour a test switches while it runs: answer a status, answer
 * late, hang without answering, die (listener and connections closed: connect refused) and come back
 * on the same port. Each connection carries one request and is closed after the answer.
 */
public final class ControllableBackend implements AutoCloseable {

  /** The first line and Host header of a request. */
  public record Seen(String requestLine, @Nullable String host) {}

  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "controllable-backend");
    thread.setDaemon(true);
    return thread;
  });
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.ConcurrentLinkedQueue<Integer> script = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private volatile int status = 200;
  private volatile Duration delay = Duration.ZERO;
  private volatile boolean hang;
  private volatile @Nullable ServerSocket server;
  private int port;

  public ControllableBackend() throws IOException {
    revive();
  }

  public int port() {
    return port;
  }

  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  /** Answer every request with {@code status}, at once. */
  public void answer(int status) {
    this.status = status;
    this.delay = Duration.ZERO;
    this.hang = false;
  }

  /** Answer the next requests with these statuses in order, one each, then with {@code then}. */
  public void script(List<Integer> statuses, int then) {
    this.status = then;
    this.delay = Duration.ZERO;
    this.hang = false;
    script.clear();
    script.addAll(statuses);
  }

  /** Answer with the current status after {@code delay}. */
  public void slowDown(Duration delay) {
    this.delay = delay;
    this.hang = false;
  }

  /** Accept and read requests but never answer. */
  public void hang() {
    this.hang = true;
  }

  /** Close the listener and every connection. */
  public synchronized void die() throws IOException {
    ServerSocket current = server;
    server = null;
    if (current != null) {
      current.close();
    }
    for (Socket socket : open) {
      socket.close();
    }
  }

  /** Listen again, on the same port as before. */
  public synchronized void revive() throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    port = socket.getLocalPort();
    server = socket;
    executor.execute(() -> accept(socket));
  }

  private void accept(ServerSocket listener) {
    while (!listener.isClosed()) {
      try {
        Socket socket = listener.accept();
        open.add(socket);
        executor.execute(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      String requestLine = in.readLine();
      if (requestLine == null) {
        return;
      }
      String host = null;
      String line;
      while ((line = in.readLine()) != null && !line.isEmpty()) {
        if (line.toLowerCase(Locale.ROOT).startsWith("host:")) {
          host = line.substring(5).trim();
        }
      }
      seen.add(new Seen(requestLine, host));
      if (hang) {
        while (in.read() != -1) {
          // hold the connection until the client or die() closes it
        }
        return;
      }
      if (!delay.isZero()) {
        Thread.sleep(delay.toMillis());
      }
      Integer scripted = script.poll();
      int answer = scripted != null ? scripted : status;
      OutputStream out = socket.getOutputStream();
      out.write(("HTTP/1.1 " + answer + " Test\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    } catch (IOException | InterruptedException e) {
      // the client went away or the backend died
    } finally {
      open.remove(socket);
    }
  }

  @Override
  public void close() throws IOException {
    die();
    executor.shutdownNow();
  }
}
