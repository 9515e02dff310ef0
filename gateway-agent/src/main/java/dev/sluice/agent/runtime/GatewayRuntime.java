package dev.sluice.agent.runtime;

import dev.sluice.agent.admin.events.EventLog;
import dev.sluice.agent.admin.state.StateStore;
import dev.sluice.agent.config.ConfigLoader;
import dev.sluice.agent.control.ControlPlane;
import dev.sluice.agent.resilience.Ticker;
import dev.sluice.agent.telemetry.HistoryRing;
import dev.sluice.agent.telemetry.TelemetryHub;
import dev.sluice.agent.upstream.UpstreamInstance;
import dev.sluice.agent.upstream.UpstreamService;
import java.time.Clock;
import dev.sluice.agent.config.ConfigResult;
import dev.sluice.agent.config.GatewayConfig;
import dev.sluice.agent.config.ListenerConfig;
import dev.sluice.agent.config.Violation;
import dev.sluice.agent.proxy.ProxyContext;
import dev.sluice.agent.proxy.ProxyInitializer;
import dev.sluice.agent.proxy.ProxyMeters;
import dev.sluice.agent.proxy.UpstreamPool;
import dev.sluice.agent.telemetry.AccessLog;
import dev.sluice.agent.telemetry.GatewayMetrics;
import dev.sluice.agent.telemetry.MetricsServer;
import dev.sluice.agent.tls.ListenerTls;
import dev.sluice.agent.tls.TlsDefaults;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running agent: proxy listeners, the metrics listener, the services' registry watchers and health
 * checkers ({@link ServiceDiscovery}), and the one {@link AtomicReference} to the current {@link
 * GatewaySnapshot}. A reload validates the whole file, builds a new snapshot and swaps
 * it; requests already in flight keep the snapshot they started with. Listener addresses are read at
 * start only (changing them needs a restart).
 */
public final class GatewayRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayRuntime.class);
    /** How long a start waits for Consul's first answers before it opens the listeners anyway. */
    private static final Duration FIRST_REGISTRY_ANSWER = Duration.ofSeconds(3);

    private final Options options;
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final AccessLog accessLog = new AccessLog();
    private final EventLog events = new EventLog();
    private final TelemetryHub telemetry = new TelemetryHub(Clock.systemUTC(), HistoryRing.standard());
    private final SnapshotBuilder snapshots;
    private final ServiceDiscovery discovery;
    private final AtomicReference<GatewaySnapshot> current = new AtomicReference<>();
    private @Nullable ControlPlane control;
    private @Nullable UpstreamPool pool;
    private final ChannelGroup clientConnections = new DefaultChannelGroup("sluice-clients", GlobalEventExecutor.INSTANCE);
    private final List<Channel> listeners = new ArrayList<>();
    private final List<ListenerTls> listenerTls = new ArrayList<>();
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private @Nullable MetricsServer metricsServer;
    private @Nullable ConfigWatcher watcher;
    private volatile boolean stopped;

    /** How to run: the file to reload from (null = no reload), routing, transport and threads. */
    public record Options(
            @Nullable Path configFile,
            RouteResolverFactory routing,
            Transport transport,
            int workerThreads,
            Duration watchInterval) {

        public Options {
            Objects.requireNonNull(routing, "routing");
        }
    }

    private GatewayRuntime(Options options) {
        this.options = options;
        ResilienceRegistry resilience = new ResilienceRegistry(Ticker.system(), events);
        this.discovery = new ServiceDiscovery(metrics.registry(), events, resilience);
        this.snapshots = new SnapshotBuilder(metrics, options.routing(), resilience, telemetry, discovery);
        this.acceptors = options.transport().newGroup("sluice-accept", 1);
        this.workers = options.transport().newGroup("sluice-io", options.workerThreads());
    }

    /** Binds every listener and starts serving {@code config}, which must be valid. */
    public static GatewayRuntime start(GatewayConfig config, Options options) throws InterruptedException {
        GatewayRuntime runtime = new GatewayRuntime(options);
        try {
            runtime.startServing(config);
        } catch (Throwable e) {
            // Netty's bind().sync() rethrows checked exceptions (BindException) undeclared: catch all
            // so no event loop thread outlives a failed start.
            runtime.shutdown(Duration.ZERO);
            throw e;
        }
        return runtime;
    }

    private void startServing(GatewayConfig config) throws InterruptedException {
        UpstreamPool upstreams = new UpstreamPool(options.transport().socketChannel(), metrics);
        pool = upstreams;
        ControlPlane started = ControlPlane.start(config, snapshots, this::swap, stateStore(config), events, Clock.systemUTC());
        control = started;
        discovery.onChange(started::refreshInstances);
        discovery.describeOverallWith(started::overallState);
        discovery.sync(config);
        if (!discovery.awaitFirstLists(FIRST_REGISTRY_ANSWER)) {
            LOG.warn("some Consul registries have not answered within {} ms; their services get no traffic until they do",
                    FIRST_REGISTRY_ANSWER.toMillis());
        }
        started.refreshInstances();
        telemetry.start();
        GatewaySnapshot first = current.get();
        ProxyContext context = new ProxyContext(current::get, upstreams, accessLog, clientConnections,
                new ProxyMeters(metrics.registry()));
        LOG.info("sluice agent '{}' (cluster '{}') starting with config version {}: {} routes, {} services, transport {}",
                config.agent().id(), config.agent().cluster(), first.version(), config.routes().size(),
                config.services().size(), options.transport().name());
        for (ListenerConfig listener : config.listeners()) {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(acceptors, workers)
                    .channel(options.transport().serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ProxyInitializer(context, listener, startTls(listener)));
            ChannelFuture bound = bootstrap.bind(listener.host(), listener.port()).await();
            if (!bound.isSuccess()) {
                throw new IllegalStateException("proxy listener '" + listener.name() + "' cannot listen on "
                        + listener.host() + ":" + listener.port() + ": " + bound.cause().getMessage(), bound.cause());
            }
            Channel channel = bound.channel();
            listeners.add(channel);
            LOG.info("proxy listener '{}' accepting HTTP/1.1 on {}:{} ({})", listener.name(), listener.host(),
                    ((InetSocketAddress) channel.localAddress()).getPort(),
                    listener.tls() == null ? "plaintext, also h2c" : "TLS, also HTTP/2 by ALPN");
        }
        ListenerConfig metricsListener = config.metrics();
        if (metricsListener != null) {
            try {
                metricsServer = MetricsServer.start(new InetSocketAddress(metricsListener.host(), metricsListener.port()), metrics);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bind the metrics listener " + metricsListener.host() + ":" + metricsListener.port(), e);
            }
            LOG.info("metrics listener serving Prometheus text on http://{}/metrics", hostPort(metricsServer.address()));
        }
        Path file = options.configFile();
        if (file != null && !options.watchInterval().isZero()) {
            watcher = new ConfigWatcher(file, options.watchInterval(), this::reloadFromFile);
            LOG.info("watching {} for changes every {} ms (SIGHUP also reloads)", file, options.watchInterval().toMillis());
        }
    }

    /** The listener's TLS with its certificate reload watcher, or null for a plaintext listener. */
    private @Nullable ListenerTls startTls(ListenerConfig listener) {
        if (listener.tls() == null) {
            return null;
        }
        ListenerTls.Result result = ListenerTls.start(listener.tls(), "listeners." + listener.name() + ".tls",
                java.util.Set.copyOf(TlsDefaults.ALPN));
        ListenerTls tls = result.tls();
        if (tls == null) {
            // The loader read these files moments ago: they changed or vanished since.
            throw new IllegalStateException("proxy listener '" + listener.name() + "' cannot start TLS: " + result.violations());
        }
        listenerTls.add(tls);
        return tls;
    }

    public GatewaySnapshot snapshot() {
        return current.get();
    }

    /** Runtime operations (trip, drain, limits, routes) on this gateway; every change goes through it. */
    public ControlPlane control() {
        ControlPlane c = control;
        if (c == null) {
            throw new IllegalStateException("the runtime has not started");
        }
        return c;
    }

    /** Per-route telemetry, recorded on the request path and sampled by its own ticker thread. */
    public TelemetryHub telemetry() {
        return telemetry;
    }

    /** Breaker transitions, drains, config changes and expiries, in order. */
    public EventLog events() {
        return events;
    }

    /**
     * Puts a new snapshot in force. Drain flags follow it at once, and a newly drained instance's idle
     * pooled connections are closed (its in-flight requests finish on theirs).
     */
    private void swap(GatewaySnapshot next) {
        GatewaySnapshot previous = current.getAndSet(next);
        UpstreamPool upstreams = pool;
        if (previous != null && upstreams != null) {
            closeIdleToRemoved(previous, next, upstreams);
        }
        for (UpstreamService service : next.services().values()) {
            for (UpstreamInstance instance : service.instances()) {
                boolean wasDrained = instance.drainedNow().getAndSet(instance.drained());
                if (instance.drained() && !wasDrained && upstreams != null) {
                    upstreams.closeIdle(instance.address());
                }
            }
        }
    }

    /** An instance its registry no longer lists keeps its in-flight requests but loses its idle connections. */
    private static void closeIdleToRemoved(GatewaySnapshot previous, GatewaySnapshot next, UpstreamPool upstreams) {
        java.util.Set<InetSocketAddress> kept = new java.util.HashSet<>();
        for (UpstreamService service : next.services().values()) {
            for (UpstreamInstance instance : service.instances()) {
                kept.add(instance.address());
            }
        }
        for (UpstreamService service : previous.services().values()) {
            for (UpstreamInstance instance : service.instances()) {
                if (!kept.contains(instance.address())) {
                    upstreams.closeIdle(instance.address());
                }
            }
        }
    }

    private @Nullable StateStore stateStore(GatewayConfig config) {
        Path file = options.configFile();
        String configured = config.agent().stateFile();
        if (configured != null) {
            Path path = Path.of(configured);
            if (!path.isAbsolute() && file != null) {
                path = file.toAbsolutePath().resolveSibling(configured);
            }
            return new StateStore(path, Clock.systemUTC());
        }
        return file == null ? null : StateStore.besideConfig(file, Clock.systemUTC());
    }
    public GatewayMetrics metrics() {
        return metrics;
    }

    /** Re-reads the config file; a file with any violation leaves the running config untouched. */
    public ReloadResult reloadFromFile() {
        Path file = options.configFile();
        if (file == null) {
            return new ReloadResult(false, current.get().version(), List.of(new Violation("", "no config file to reload from")));
        }
        ReloadResult result = apply(ConfigLoader.load(file));
        if (result.applied()) {
            LOG.info("config version {} applied from {}", result.version(), file);
        } else {
            LOG.warn("config {} rejected, keeping version {}: {} problem(s)", file, result.version(), result.violations().size());
            for (Violation violation : result.violations()) {
                LOG.warn("  {}", violation);
            }
        }
        return result;
    }

    /** Validates and swaps in a new config; serialized so versions follow the order of swaps. */
    public synchronized ReloadResult apply(ConfigResult loaded) {
        GatewaySnapshot running = current.get();
        if (!loaded.ok()) {
            return new ReloadResult(false, running.version(), loaded.violations());
        }
        GatewayConfig config = loaded.orThrow();
        if (!config.listeners().equals(running.config().listeners())
                || !Objects.equals(config.metrics(), running.config().metrics())) {
            LOG.warn("listener addresses changed in the config; they take effect after a restart");
        }
        // watchers first: a service whose registry changed starts its new watch from the last known list
        discovery.sync(config);
        long version = control().reloadFile(config);
        return new ReloadResult(true, version, List.of());
    }

    /** Where the proxy listeners are bound, in config order. */
    public List<InetSocketAddress> proxyAddresses() {
        List<InetSocketAddress> addresses = new ArrayList<>(listeners.size());
        for (Channel channel : listeners) {
            addresses.add((InetSocketAddress) channel.localAddress());
        }
        return addresses;
    }

    public @Nullable InetSocketAddress metricsAddress() {
        MetricsServer server = metricsServer;
        return server == null ? null : server.address();
    }

    /**
     * Stops accepting, lets in-flight requests finish until {@code deadline}, then closes every
     * connection. Idle keep-alive connections close at once; busy ones after their response.
     *
     * @return whether every in-flight request finished before the deadline
     */
    public synchronized boolean shutdown(Duration deadline) {
        if (stopped) {
            return true;
        }
        stopped = true;
        long until = System.nanoTime() + deadline.toNanos();
        ConfigWatcher w = watcher;
        if (w != null) {
            w.close();
        }
        for (Channel listener : listeners) {
            listener.close().awaitUninterruptibly();
        }
        for (ListenerTls tls : listenerTls) {
            tls.close();
        }
        LOG.info("stopped accepting connections; draining {} in-flight request(s) for up to {} ms",
                metrics.totalInFlight(), deadline.toMillis());
        for (Channel connection : clientConnections) {
            ProxyInitializer.drain(connection);
        }
        boolean drained = true;
        while (!clientConnections.isEmpty() || metrics.totalInFlight() > 0) {
            if (System.nanoTime() >= until) {
                drained = false;
                break;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                drained = false;
                break;
            }
        }
        if (!drained) {
            LOG.warn("drain deadline reached with {} request(s) in flight; closing their connections", metrics.totalInFlight());
        }
        clientConnections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        MetricsServer server = metricsServer;
        if (server != null) {
            server.close();
        }
        discovery.close();
        ControlPlane c = control;
        if (c != null) {
            c.close();
        }
        telemetry.close();
        accessLog.close();
        metrics.close();
        LOG.info("agent stopped{}", drained ? "" : " (some requests were cut off)");
        return drained;
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(10));
    }

    private static String hostPort(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
