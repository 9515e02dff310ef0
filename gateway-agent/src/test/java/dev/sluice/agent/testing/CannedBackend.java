package dev.sluice.agent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A raw-socket upstream that answers every request head with the same bytes and then closes the
 * connection (or, with {@link #keepingConnections}, waits for the next request on it): for responses
 * no real server would send (garbage, broken chunking, ambiguous framing). Serves one connection at a
 * time and counts them, so a test can tell whether the gateway reused one.
 */
public final class CannedBackend implements AutoCloseable {

    private final ServerSocket server;
    private final byte[] response;
    private final boolean keepOpen;
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

    public CannedBackend(String response) throws IOException {
        this(response, false);
    }

    /** Answers every request of a connection until the gateway closes it. */
    public static CannedBackend keepingConnections(String response) throws IOException {
        return new CannedBackend(response, true);
    }

    private CannedBackend(String response, boolean keepOpen) throws IOException {
        this.response = response.getBytes(StandardCharsets.ISO_8859_1);
        this.keepOpen = keepOpen;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "canned-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                connections.incrementAndGet();
                InputStream in = socket.getInputStream();
                do {
                    if (!RequestHeads.skip(in)) {
                        break;
                    }
                    socket.getOutputStream().write(response);
                    socket.getOutputStream().flush();
                } while (keepOpen);
            } catch (IOException e) {
                // the next connection gets the same answer
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
