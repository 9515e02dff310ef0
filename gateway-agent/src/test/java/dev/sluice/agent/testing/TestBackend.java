package dev.sluice.agent.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP/1.1 upstream on a random loopback port (JDK HTTP server, keep-alive, chunked). It
 * records every request it receives and answers by path:
 * <ul>
 *   <li>{@code /sha256} reads the whole body and answers "&lt;bytes&gt; &lt;sha-256 hex&gt;";</li>
 *   <li>{@code /echo} streams the request body back, chunked;</li>
 *   <li>{@code /bytes?n=N[&chunked]} streams N pattern bytes ({@link Pattern});</li>
 *   <li>{@code /slow?ms=N} answers after N ms; {@code /status?code=N} answers with that status;</li>
 *   <li>{@code /slowread?pauseMs=N} reads the body 64 KiB at a time with a pause between reads;</li>
 *   <li>{@code /hold?ms=N} waits N ms before reading the body, samples {@link #onHold} when it starts
 *       reading, then answers like {@code /sha256};</li>
 *   <li>anything else answers "&lt;name&gt; &lt;METHOD&gt; &lt;uri&gt;".</li>
 * </ul>
 */
public final class TestBackend implements AutoCloseable {

    private final String name;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "test-backend");
        thread.setDaemon(true);
        return thread;
    });
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private volatile java.util.function.LongSupplier holdProbe = () -> -1;
    private final java.util.concurrent.atomic.AtomicLong probedAtHold = new java.util.concurrent.atomic.AtomicLong(-1);
    private final java.util.concurrent.atomic.AtomicLong bytesWritten = new java.util.concurrent.atomic.AtomicLong();

    /** One request as the backend saw it; header names are lower-case. */
    public record Received(String method, String uri, Map<String, List<String>> headers, int clientPort, long bodyBytes) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase());
            return values == null ? null : String.join(",", values);
        }
    }

    private TestBackend(String name) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static TestBackend start(String name) throws IOException {
        return new TestBackend(name);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String name() {
        return name;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** What {@code /hold} samples the moment it starts reading (e.g. how much the client has sent). */
    public void onHold(java.util.function.LongSupplier probe) {
        this.holdProbe = probe;
    }

    /** Body bytes {@code /bytes} has handed to the socket so far, over all requests. */
    public long bytesWritten() {
        return bytesWritten.get();
    }

    /** The value sampled by the last {@code /hold} request, or -1. */
    public long probedAtHold() {
        return probedAtHold.get();
    }

    public void clear() {
        received.clear();
    }

    /** From now on, every request to the default handler is answered with {@code status} (0: as the path says). */
    public void failWith(int status) {
        forcedStatus = status;
    }

    /** From now on, every request to the default handler waits {@code ms} before answering. */
    public void delayBy(long ms) {
        forcedDelayMs = ms;
    }

    private volatile int forcedStatus;
    private volatile long forcedDelayMs;

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            Map<String, String> query = query(uri.getRawQuery());
            String path = uri.getPath();
            long bodyBytes = 0;
            switch (path) {
                case "/hold", "/sha256" -> {
                    if (path.equals("/hold")) {
                        sleep(Long.parseLong(query.getOrDefault("ms", "1000")));
                        probedAtHold.set(holdProbe.getAsLong());
                    }
                    MessageDigest digest = sha256();
                    byte[] buffer = new byte[64 * 1024];
                    try (InputStream in = exchange.getRequestBody()) {
                        int n;
                        while ((n = in.read(buffer)) > 0) {
                            digest.update(buffer, 0, n);
                            bodyBytes += n;
                        }
                    }
                    record(exchange, bodyBytes);
                    text(exchange, 200, bodyBytes + " " + HexFormat.of().formatHex(digest.digest()));
                }
                case "/echo" -> {
                    record(exchange, -1);
                    exchange.sendResponseHeaders(200, 0);
                    try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
                        in.transferTo(out);
                    }
                }
                case "/bytes" -> {
                    record(exchange, 0);
                    long n = Long.parseLong(query.getOrDefault("n", "0"));
                    exchange.sendResponseHeaders(200, query.containsKey("chunked") ? 0 : (n == 0 ? -1 : n));
                    try (OutputStream out = exchange.getResponseBody()) {
                        Pattern.write(new java.io.FilterOutputStream(out) {
                            @Override
                            public void write(byte[] b, int off, int len) throws IOException {
                                out.write(b, off, len);
                                bytesWritten.addAndGet(len);
                            }
                        }, n);
                    }
                }
                case "/slowread" -> {
                    long pause = Long.parseLong(query.getOrDefault("pauseMs", "50"));
                    byte[] buffer = new byte[64 * 1024];
                    try (InputStream in = exchange.getRequestBody()) {
                        int n;
                        while ((n = in.read(buffer)) > 0) {
                            bodyBytes += n;
                            sleep(pause);
                        }
                    }
                    record(exchange, bodyBytes);
                    text(exchange, 200, Long.toString(bodyBytes));
                }
                default -> {
                    bodyBytes = exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
                    record(exchange, bodyBytes);
                    if (path.equals("/slow")) {
                        sleep(Long.parseLong(query.getOrDefault("ms", "1000")));
                    }
                    if (forcedDelayMs > 0) {
                        sleep(forcedDelayMs);
                    }
                    int status = path.equals("/status") ? Integer.parseInt(query.getOrDefault("code", "200")) : 200;
                    if (forcedStatus != 0) {
                        status = forcedStatus;
                    }
                    exchange.getResponseHeaders().add("X-Backend", name);
                    exchange.getResponseHeaders().add("Connection", "X-Internal-Hop");
                    exchange.getResponseHeaders().add("X-Internal-Hop", "secret");
                    exchange.getResponseHeaders().add("Proxy-Authenticate", "Basic");
                    text(exchange, status, name + " " + exchange.getRequestMethod() + " " + uri);
                }
            }
        } catch (IOException e) {
            // The gateway cut the connection (a test of timeouts or aborts): nothing to answer.
        }
    }

    private void record(HttpExchange exchange, long bodyBytes) {
        Map<String, List<String>> headers = new HashMap<>();
        Headers h = exchange.getRequestHeaders();
        h.forEach((k, v) -> headers.put(k.toLowerCase(), List.copyOf(v)));
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers,
                exchange.getRemoteAddress().getPort(), bodyBytes));
    }

    private static void text(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        boolean head = exchange.getRequestMethod().equals("HEAD") || status == 204 || status == 304;
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            exchange.getResponseBody().write(bytes);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
        return out;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
