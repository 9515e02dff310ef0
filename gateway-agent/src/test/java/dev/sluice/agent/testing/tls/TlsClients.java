package dev.sluice.agent.testing.tls;

import dev.sluice.agent.testing.tls.CertificateFactory.Issued;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * JDK TLS clients for tests against a real agent: an {@link SSLContext} trusting a test CA (with an
 * optional client certificate) for {@code java.net.http.HttpClient}, and a raw {@link SSLSocket}
 * exchange that reports what was negotiated.
 */
public final class TlsClients {

    /** What one raw exchange saw: the server's leaf subject, protocol, ALPN choice and the response's first line. */
    public record Exchange(String serverSubject, String protocol, String applicationProtocol, String statusLine) {}

    private TlsClients() {}

    /** Trusts {@code ca}; presents {@code client} when it is set. */
    public static SSLContext context(X509Certificate ca, @Nullable Issued client) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (client != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", client.keys().getPrivate(), new char[0], new Certificate[] {client.certificate()});
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, new char[0]);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a test TLS client context", e);
        }
    }

    /** Parameters offering exactly {@code protocols} (e.g. {@code TLSv1.2}). */
    public static SSLParameters protocols(SSLContext context, String... protocols) {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(protocols);
        return parameters;
    }

    /**
     * Connects to 127.0.0.1:{@code port} sending {@code serverName} as SNI (none when null), offers
     * {@code protocols} and the ALPN names, sends {@code GET path} and reads the status line.
     */
    public static Exchange get(SSLContext context, int port, @Nullable String serverName, List<String> protocols,
            List<String> alpn, String path) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(protocols.toArray(String[]::new));
            parameters.setApplicationProtocols(alpn.toArray(String[]::new));
            parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
            // The certificate's names are checked by the tests themselves (SNI selection picks others).
            parameters.setEndpointIdentificationAlgorithm(null);
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            String host = serverName == null ? "127.0.0.1" : serverName;
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = readLine(socket.getInputStream());
            X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            String selected = socket.getApplicationProtocol();
            return new Exchange(leaf.getSubjectX500Principal().getName(), socket.getSession().getProtocol(),
                    selected == null ? "" : selected, statusLine);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        if (c < 0 && line.length() == 0) {
            throw new IOException("the connection closed before a response line");
        }
        return line.toString();
    }
}
