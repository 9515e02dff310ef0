package dev.sluice.agent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A raw-socket upstream that answers every request head with the same bytes and then closes the
 * connection: for responses no real server would send (garbage, broken chunking).
 */
public final class CannedBackend implements AutoCloseable {

    private final ServerSocket server;
    private final byte[] response;

    public CannedBackend(String response) throws IOException {
        this.response = response.getBytes(StandardCharsets.ISO_8859_1);
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "canned-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                InputStream in = socket.getInputStream();
                int matched = 0;
                byte[] end = {'\r', '\n', '\r', '\n'};
                int c;
                while (matched < 4 && (c = in.read()) != -1) {
                    matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
                }
                socket.getOutputStream().write(response);
                socket.getOutputStream().flush();
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
