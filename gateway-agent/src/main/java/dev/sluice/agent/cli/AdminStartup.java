package dev.sluice.agent.cli;

import dev.sluice.agent.admin.AgentAdmin;
import dev.sluice.agent.admin.AgentGrpcService;
import dev.sluice.agent.config.AdminConfig;
import dev.sluice.agent.config.GatewayConfig;
import dev.sluice.agent.runtime.GatewayRuntime;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Starts the admin server of a running gateway when the config has an {@code admin:} block: the
 * runtime's control plane, telemetry and events behind the admin API, with the agent's identity
 * and listeners as GetAgentInfo reports them. Start it after the runtime, close it before.
 */
public final class AdminStartup {

    private AdminStartup() {}

    /** The started admin side, or null when the config has no admin block. */
    public static @Nullable AgentAdmin start(GatewayRuntime runtime, GatewayConfig config, Path configFile,
            Clock clock) throws IOException {
        AdminConfig admin = config.admin();
        if (admin == null) {
            return null;
        }
        AtomicReference<@Nullable AgentAdmin> started = new AtomicReference<>();
        AgentGrpcService.Identity identity = new AgentGrpcService.Identity(config.agent().id(),
                config.agent().cluster(), hostName(), Main.version(), clock.instant(),
                configFile.toAbsolutePath().toString(), () -> listeners(runtime, config, started.get()));
        AgentAdmin agentAdmin = AgentAdmin.start(admin, configFile, identity,
                new AgentAdmin.Gateway(runtime.control(), runtime.telemetry(), runtime.events(),
                        runtime.metrics().registry()),
                config.agent().maxOverrideTtl(), clock);
        started.set(agentAdmin);
        return agentAdmin;
    }

    /** Proxy listeners by their configured names (bound addresses come in config order), then metrics and admin. */
    private static List<AgentGrpcService.AgentListener> listeners(GatewayRuntime runtime, GatewayConfig config,
            @Nullable AgentAdmin admin) {
        List<AgentGrpcService.AgentListener> listeners = new ArrayList<>();
        List<InetSocketAddress> proxies = runtime.proxyAddresses();
        for (int i = 0; i < proxies.size(); i++) {
            String name = i < config.listeners().size() ? config.listeners().get(i).name() : "proxy-" + i;
            boolean tls = i < config.listeners().size() && config.listeners().get(i).tls() != null;
            listeners.add(new AgentGrpcService.AgentListener(name,
                    tls ? AgentGrpcService.AgentListener.Kind.HTTPS : AgentGrpcService.AgentListener.Kind.HTTP,
                    hostPort(proxies.get(i))));
        }
        InetSocketAddress metrics = runtime.metricsAddress();
        if (metrics != null) {
            listeners.add(new AgentGrpcService.AgentListener("metrics", AgentGrpcService.AgentListener.Kind.METRICS,
                    hostPort(metrics)));
        }
        if (admin != null) {
            listeners.add(new AgentGrpcService.AgentListener("admin", AgentGrpcService.AgentListener.Kind.ADMIN_GRPC,
                    hostPort(admin.address()), admin.isTls()));
        }
        return listeners;
    }

    private static String hostPort(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
