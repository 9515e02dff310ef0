package dev.sluice.agent.testing;

import dev.sluice.agent.config.ConfigLoader;
import dev.sluice.agent.config.ConfigResult;
import dev.sluice.agent.runtime.GatewayRuntime;
import dev.sluice.agent.runtime.RouteResolverFactory;
import dev.sluice.agent.runtime.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Starts a real agent on loopback from YAML text (written to a temp file so reload-by-file works),
 * with the proxy listener and metrics on free ports.
 */
public final class TestAgent implements AutoCloseable {

    private final Path file;
    private final GatewayRuntime runtime;

    private TestAgent(Path file, GatewayRuntime runtime) {
        this.file = file;
        this.runtime = runtime;
    }

    public static TestAgent start(String yaml) {
        return start(yaml, Duration.ofMillis(200));
    }

    public static TestAgent start(String yaml, Duration watchInterval) {
        return start(yaml, watchInterval, TestRouting.FACTORY);
    }

    public static TestAgent start(String yaml, Duration watchInterval, RouteResolverFactory routing) {
        return start(yaml, watchInterval, routing, 2);
    }

    /** With {@code workers} event loops; one makes per-event-loop limits deterministic. */
    public static TestAgent start(String yaml, Duration watchInterval, RouteResolverFactory routing, int workers) {
        try {
            Path file = Files.createTempFile("sluice-test-", ".yaml");
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
            ConfigResult result = ConfigLoader.load(file);
            GatewayRuntime runtime = GatewayRuntime.start(result.orThrow(), new GatewayRuntime.Options(
                    file, routing, Transport.best(), workers, watchInterval));
            return new TestAgent(file, runtime);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts an agent on an existing config file (a restart: the state file beside it is loaded). */
    public static TestAgent startFile(Path file) {
        try {
            GatewayRuntime runtime = GatewayRuntime.start(ConfigLoader.load(file).orThrow(), new GatewayRuntime.Options(
                    file, TestRouting.FACTORY, Transport.best(), 2, Duration.ofMillis(200)));
            return new TestAgent(file, runtime);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The state file beside the config file. */
    public Path stateFile() {
        String name = file.getFileName().toString();
        return file.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".state.json");
    }

    /** Stops the agent and keeps its files, so that {@link #startFile} can start it again. */
    public void stop() {
        runtime.shutdown(Duration.ofSeconds(5));
    }

    /** The usual test config: one listener and metrics on free ports, then the given services and routes. */
    public static String config(String servicesAndRoutes) {
        return """
                agent: {id: test-agent, cluster: test}
                listeners: [{name: public, host: 127.0.0.1, port: 0}]
                metrics: {host: 127.0.0.1, port: 0}
                """ + servicesAndRoutes;
    }

    public GatewayRuntime runtime() {
        return runtime;
    }

    public Path file() {
        return file;
    }

    public int port() {
        return runtime.proxyAddresses().get(0).getPort();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    public URI metricsUri() {
        InetSocketAddress address = runtime.metricsAddress();
        if (address == null) {
            throw new IllegalStateException("metrics listener not configured");
        }
        return URI.create("http://127.0.0.1:" + address.getPort() + "/metrics");
    }

    /** Replaces the config file's content (the agent's watcher picks it up). */
    public void rewriteConfig(String yaml) {
        try {
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        runtime.shutdown(Duration.ofSeconds(5));
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(stateFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
