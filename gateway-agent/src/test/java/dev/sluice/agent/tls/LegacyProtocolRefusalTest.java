package dev.sluice.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.testing.tls.CertificateFactory;
import dev.sluice.agent.testing.tls.CertificateFactory.Issued;
import dev.sluice.agent.testing.tls.CertificateFactory.PemFiles;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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

    /** What a probe printed: its {@code name=outcome} lines, and its whole output and error file. */
    private record Probe(Map<String, String> outcomes, String report) {}

    /** Runs {@code main} in a JVM of its own (where the JDK allows TLS 1.0 and 1.1), writing its errors to {@code errFile}. */
    private Probe probe(Class<?> main, String errFile, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process probe = new ProcessBuilder(command).redirectError(dir.resolve(errFile).toFile()).start();

        assertThat(probe.waitFor(90, TimeUnit.SECONDS)).as("the probe finished").isTrue();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> outcomes = new HashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                outcomes.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new Probe(outcomes, output + Files.readString(dir.resolve(errFile)));
    }

    @Test
    void legacyProtocolsAreRefusedEvenWhereTheJvmWouldAllowThem() throws Exception {
        Issued ca = CertificateFactory.newCa("Probe CA");
        Path caPem = CertificateFactory.writeCertificate(dir.resolve("ca.pem"), ca.certificate());
        PemFiles server = CertificateFactory.newServer(ca).writeTo(dir, "server");
        Probe probe = probe(LegacyProtocolProbe.class, "probe.err", caPem.toString(),
                server.certificate().toString(), server.privateKey().toString());
        Map<String, String> outcomes = probe.outcomes();

        assertThat(outcomes).as(probe.report())
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
        Probe probe = probe(AgentLegacyProtocolProbe.class, "agent-probe.err", caPem.toString(),
                config.toString());
        Map<String, String> outcomes = probe.outcomes();

        assertThat(outcomes).as(probe.report())
                .containsKeys("agent11", "agent10", "agent12");
        // "Received fatal alert": the server refused, not the client (which this JVM lets offer 1.0/1.1).
        assertThat(outcomes.get("agent11")).startsWith("refused:").contains("Received fatal alert");
        assertThat(outcomes.get("agent10")).startsWith("refused:").contains("Received fatal alert");
        assertThat(outcomes.get("agent12")).isEqualTo("ok:TLSv1.2");
    }
}
