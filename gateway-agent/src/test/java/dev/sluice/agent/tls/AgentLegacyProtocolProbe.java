package dev.sluice.agent.tls;

import dev.sluice.agent.testing.TestAgent;
import dev.sluice.agent.testing.tls.TlsClients;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Runs in a child JVM whose security settings allow TLS 1.0/1.1 (as an old or misconfigured JVM
 * would): starts a whole agent from the config file given, tries each protocol against its first
 * listener and prints {@code name=outcome} lines for {@link LegacyProtocolRefusalTest}.
 */
public final class AgentLegacyProtocolProbe {

    private AgentLegacyProtocolProbe() {}

    public static void main(String[] args) throws Exception {
        Security.setProperty("jdk.tls.disabledAlgorithms", "SSLv3, RC4, DES, NULL, anon");
        X509Certificate trusted = Pem.certificates(Files.readString(Path.of(args[0]))).get(0);
        try (TestAgent agent = TestAgent.startFile(Path.of(args[1]))) {
            int port = agent.port();
            System.out.println("agent11=" + attempt(trusted, "TLSv1.1", port));
            System.out.println("agent10=" + attempt(trusted, "TLSv1", port));
            System.out.println("agent12=" + attempt(trusted, "TLSv1.2", port));
        }
        System.exit(0);
    }

    private static String attempt(X509Certificate trusted, String protocol, int port) throws Exception {
        try {
            return "ok:" + TlsClients.get(TlsClients.context(trusted, null), port, null, List.of(protocol), List.of(), "/")
                    .protocol();
        } catch (IOException e) {
            return "refused:" + e;
        }
    }
}
