package dev.sluice.agent.tls;

import dev.sluice.agent.testing.tls.CertificateFactory.Issued;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/** A plain JDK TLS client ({@link SSLSocket}) with the knobs the listener tests turn. */
final class JdkTlsClient {

    /** What one connection saw: the server's leaf certificate, the protocol, and the server's line. */
    record Outcome(String serverSubject, String protocol, String cipherSuite, String applicationProtocol, String line) {}

    private final SSLContext context;
    private String[] protocols = {"TLSv1.3", "TLSv1.2"};
    private @Nullable String serverName;
    private String[] alpn = {};

    JdkTlsClient(X509Certificate trustedCa, @Nullable Issued clientCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", trustedCa);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientCertificate != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", clientCertificate.keys().getPrivate(), new char[0],
                    new Certificate[] {clientCertificate.certificate()});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
        }
        context = SSLContext.getInstance("TLS");
        KeyManager[] keyManagers = kmf == null ? null
                : new KeyManager[] {new AlwaysPresent((X509ExtendedKeyManager) kmf.getKeyManagers()[0])};
        context.init(keyManagers, tmf.getTrustManagers(), null);
    }

    /**
     * Presents the client certificate even when the server's list of acceptable CAs does not name its
     * issuer (the JDK would otherwise send none), so the server's own verification is what is tested.
     */
    private static final class AlwaysPresent extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager delegate;

        AlwaysPresent(X509ExtendedKeyManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"client"};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "client";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "client";
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }

    JdkTlsClient protocols(String... names) {
        protocols = names;
        return this;
    }

    JdkTlsClient serverName(@Nullable String name) {
        serverName = name;
        return this;
    }

    JdkTlsClient alpn(String... names) {
        alpn = names;
        return this;
    }

    /** Connects, handshakes and reads the server's line; any TLS refusal surfaces as an IOException. */
    Outcome connect(int port) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(protocols);
            parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
            parameters.setApplicationProtocols(alpn);
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            // With TLS 1.3 a refused client certificate shows up on the first read, not in the handshake.
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new IOException("the server closed the connection after the handshake");
            }
            X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            return new Outcome(leaf.getSubjectX500Principal().getName(), socket.getSession().getProtocol(),
                    socket.getSession().getCipherSuite(), socket.getApplicationProtocol(), line);
        }
    }
}
