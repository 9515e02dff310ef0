package dev.sluice.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.testing.tls.CertificateFactory;
import dev.sluice.agent.testing.tls.CertificateFactory.Issued;
import dev.sluice.agent.testing.tls.CertificateFactory.PemFiles;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS 1.0 and 1.1 are refused by Sluice's own settings, not only by the JDK's defaults: the probe runs
 * in a JVM where the JDK allows them (the control server negotiates TLS 1.1 there).
 */
class LegacyProtocolRefusalTest {

    @TempDir Path dir;

    @Test
    void legacyProtocolsAreRefusedEvenWhereTheJvmWouldAllowThem() throws Exception {
        Issued ca = CertificateFactory.newCa("Probe CA");
        Path caPem = CertificateFactory.writeCertificate(dir.resolve("ca.pem"), ca.certificate());
        PemFiles server = CertificateFactory.newServer(ca).writeTo(dir, "server");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process probe = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                LegacyProtocolProbe.class.getName(), caPem.toString(), server.certificate().toString(),
                server.privateKey().toString())
                .redirectError(dir.resolve("probe.err").toFile())
                .start();

        assertThat(probe.waitFor(90, TimeUnit.SECONDS)).as("the probe finished").isTrue();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> outcomes = new HashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                outcomes.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }

        assertThat(outcomes).as(output + Files.readString(dir.resolve("probe.err")))
                .containsKeys("control11", "sluice11", "sluice10", "sluice12");
        assertThat(outcomes.get("control11")).isEqualTo("ok:TLSv1.1");
        assertThat(outcomes.get("sluice11")).startsWith("refused:");
        assertThat(outcomes.get("sluice10")).startsWith("refused:");
        assertThat(outcomes.get("sluice12")).isEqualTo("ok:TLSv1.2");
    }

    @Test
    void aWholeAgentsTlsListenerRefusesLegacyProtocolsToo() throws Exception {
        Issued ca = CertificateFactory.newCa("Agent Probe CA");
        Path caPem = CertificateFactory.writeCertificate(dir.resolve("agent-ca.pem"), ca.certificate());
        PemFiles server = CertificateFactory.newServer(ca).writeTo(dir, "agent-server");
        Path config = dir.resolve("agent.yaml");
        Files.writeString(config, """
                listeners:
                  - {name: secure, host: 127.0.0.1, port: 0,
                     tls: {certificates: [{certificateChain: %s, privateKey: %s}]}}
                services: [{name: none, instances: [{host: 127.0.0.1, port: 9}]}]
                routes: [{id: none, match: {path: /none}, service: none}]
                """.formatted(server.certificate(), server.privateKey()));
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process probe = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                AgentLegacyProtocolProbe.class.getName(), caPem.toString(), config.toString())
                .redirectError(dir.resolve("agent-probe.err").toFile())
                .start();

        assertThat(probe.waitFor(90, TimeUnit.SECONDS)).as("the probe finished").isTrue();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> outcomes = new HashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                outcomes.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }

        assertThat(outcomes).as(output + Files.readString(dir.resolve("agent-probe.err")))
                .containsKeys("agent11", "agent10", "agent12");
        // "Received fatal alert": the server refused, not the client (which this JVM lets offer 1.0/1.1).
        assertThat(outcomes.get("agent11")).startsWith("refused:").contains("Received fatal alert");
        assertThat(outcomes.get("agent10")).startsWith("refused:").contains("Received fatal alert");
        assertThat(outcomes.get("agent12")).isEqualTo("ok:TLSv1.2");
    }
}
