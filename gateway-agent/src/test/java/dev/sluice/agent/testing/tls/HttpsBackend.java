package dev.sluice.agent.testing.tls;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.sluice.agent.testing.tls.CertificateFactory.Issued;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * An HTTPS upstream on loopback (the JDK's {@code HttpsServer}) with a test certificate; optionally
 * requires a client certificate from {@code clientCa}. Answers every request with {@code
 * "<name> <client subject or -> <X-Forwarded-Proto>"}.
 */
public final class HttpsBackend implements AutoCloseable {

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final String name;

    private HttpsBackend(String name, SSLContext context, boolean needClientAuth) throws IOException {
        this.name = name;
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                var parameters = context.getDefaultSSLParameters();
                parameters.setNeedClientAuth(needClientAuth);
                params.setSSLParameters(parameters);
            }
        });
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
                String client = "-";
                try {
                    client = ((HttpsExchange) exchange).getSSLSession().getPeerPrincipal().getName();
                } catch (SSLPeerUnverifiedException e) {
                    // No client certificate: "-".
                }
                String proto = exchange.getRequestHeaders().getFirst("X-Forwarded-Proto");
                byte[] body = (this.name + " " + client + " " + proto).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    /** Serves {@code certificate}; requires a client certificate issued by {@code clientCa} when set. */
    public static HttpsBackend start(String name, Issued certificate, @Nullable X509Certificate clientCa) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", certificate.keys().getPrivate(), new char[0],
                    new Certificate[] {certificate.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
            TrustManagerFactory tmf = null;
            if (clientCa != null) {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                trust.setCertificateEntry("ca", clientCa);
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return new HttpsBackend(name, context, clientCa != null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the backend's TLS context", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
