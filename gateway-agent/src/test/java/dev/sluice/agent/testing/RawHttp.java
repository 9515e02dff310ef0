package dev.sluice.agent.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what the JDK client will not send (hop-by-hop headers,
 * malformed requests, pipelining) or hides (connection reuse). Keeps its connection open.
 */
public final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttp(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(20_000);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** One parsed response; header names lower-case, repeated headers joined with ", ". */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    public void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    public Response exchange(String raw) throws IOException {
        send(raw);
        return read();
    }

    /** Reads one response; HEAD responses must be read with {@link #readHead()}. */
    public Response read() throws IOException {
        Response head = readHead();
        String body;
        if (head.headers.containsKey("content-length")) {
            body = new String(in.readNBytes(Integer.parseInt(head.header("content-length").trim())), StandardCharsets.UTF_8);
        } else if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            while (true) {
                int size = Integer.parseInt(line().split(";")[0].trim(), 16);
                if (size == 0) {
                    while (!line().isEmpty()) {
                        // trailers
                    }
                    break;
                }
                buffer.write(in.readNBytes(size));
                line();
            }
            body = buffer.toString(StandardCharsets.UTF_8);
        } else {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return new Response(head.status, head.headers, body);
    }

    public Response readHead() throws IOException {
        String status = line();
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while (!(line = line()).isEmpty()) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        return new Response(Integer.parseInt(status.split(" ")[1]), headers, "");
    }

    /**
     * Reads chunks of a response body until the server closes the connection, returning what
     * arrived; for responses that are cut off mid-body (a complete body ends at the last chunk).
     */
    public String readChunkedUntilClose() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            while (true) {
                int size = Integer.parseInt(line().split(";")[0].trim(), 16);
                if (size == 0) {
                    throw new IllegalStateException("the body was complete; expected it to be cut off");
                }
                buffer.write(in.readNBytes(size));
                line();
            }
        } catch (IOException e) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }

    /** The next {@code length} body bytes as a stream, read from the socket only as the caller reads. */
    public InputStream body(long length) {
        return new InputStream() {
            private long left = length;

            @Override
            public int read() throws IOException {
                if (left == 0) {
                    return -1;
                }
                left--;
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left == 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }
        };
    }

    /** Whether the server closed the connection (reads EOF). */
    public boolean isClosedByServer() throws IOException {
        return in.read() == -1;
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        if (c == -1 && b.length() == 0) {
            throw new IOException("connection closed by the server");
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
