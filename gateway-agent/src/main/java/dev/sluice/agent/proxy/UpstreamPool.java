package dev.sluice.agent.proxy;

import dev.sluice.agent.telemetry.GatewayMetrics;
import dev.sluice.agent.tls.UpstreamTls;
import dev.sluice.agent.upstream.UpstreamInstance;
import dev.sluice.agent.upstream.UpstreamService;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Keep-alive connections to upstream instances, pooled per event loop so a client connection and
 * its upstream connection always share one thread. Every method must be called on the event loop
 * it concerns; the pool state of a loop is touched by that loop only, so it needs no lock. Pooled
 * connections survive config reloads (they are keyed by instance address, not by snapshot) and are
 * closed with their event loop group at shutdown. A TLS service's connections are handed out only
 * after their handshake, and only to requests for a service with the same TLS context.
 */
public final class UpstreamPool {

    /** The TLS context a connection was made with (absent for plaintext). */
    private static final AttributeKey<UpstreamTls> TLS = AttributeKey.valueOf(UpstreamPool.class, "tls");

    private final Class<? extends SocketChannel> channelClass;
    private final GatewayMetrics metrics;
    private final ConcurrentMap<EventExecutor, Map<InetSocketAddress, InstancePool>> loops = new ConcurrentHashMap<>();
    /** The calling event loop's entry of {@link #loops}, found without a map lookup per request. */
    private final FastThreadLocal<LoopPools> thisLoop = new FastThreadLocal<>();

    public UpstreamPool(Class<? extends SocketChannel> channelClass, GatewayMetrics metrics) {
        this.channelClass = channelClass;
        this.metrics = metrics;
    }

    /** An open idle connection to the instance made for the service's TLS, most recently used first, or null. */
    @Nullable Channel pollIdle(EventLoop loop, UpstreamInstance instance, UpstreamService service) {
        InstancePool pool = pool(loop, instance);
        Channel channel;
        while ((channel = pool.idle.pollLast()) != null) {
            pool.idleChanged();
            if (channel.attr(TLS).get() != service.tls()) {
                // Made for another service at the same address, or before the service's TLS changed.
                channel.close();
            } else if (channel.isActive()) {
                return channel;
            }
        }
        return null;
    }

    /** Whether a new connection would exceed the service's per-instance limit on this loop. */
    boolean atCapacity(EventLoop loop, UpstreamInstance instance, UpstreamService service) {
        return pool(loop, instance).open >= service.maxConnectionsPerInstance();
    }

    /**
     * Starts a new connection on {@code loop}; it counts against the limit from now until it closes.
     * The future completes when the connection can carry a request: for a TLS service, after the handshake.
     */
    ChannelFuture connect(EventLoop loop, UpstreamInstance instance, UpstreamService service) {
        InstancePool pool = pool(loop, instance);
        pool.open++;
        pool.gauges.open().incrementAndGet();
        ChannelFuture connected = new Bootstrap()
                .group(loop)
                .channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, service.connectTimeoutMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new UpstreamChannelInitializer(service.idleTimeoutMillis(), service.tls(), instance))
                .connect(instance.address());
        connected.channel().closeFuture().addListener(pool.onClose);
        ChannelFuture ready = service.tls() == null ? connected : afterHandshake(connected);
        ready.addListener(done -> {
            if (!done.isSuccess()) {
                metrics.connectErrors(service.name()).increment();
            }
        });
        return ready;
    }

    private static ChannelFuture afterHandshake(ChannelFuture connected) {
        Channel channel = connected.channel();
        ChannelPromise ready = channel.newPromise();
        connected.addListener(tcp -> {
            if (!tcp.isSuccess()) {
                ready.tryFailure(tcp.cause());
                return;
            }
            SslHandler tls = channel.pipeline().get(SslHandler.class);
            if (tls == null) {
                // Closed (and its pipeline emptied) between connecting and this listener running.
                ready.tryFailure(new ClosedChannelException());
                return;
            }
            tls.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    ready.trySuccess();
                } else {
                    ready.tryFailure(handshake.cause());
                }
            });
        });
        return ready;
    }

    /**
     * Closes the idle connections to an instance on every event loop (it was drained); busy ones
     * finish their exchange and are closed instead of pooled.
     */
    public void closeIdle(InetSocketAddress address) {
        for (Map.Entry<EventExecutor, Map<InetSocketAddress, InstancePool>> loop : loops.entrySet()) {
            loop.getKey().execute(() -> {
                InstancePool pool = loop.getValue().get(address);
                if (pool == null) {
                    return;
                }
                Channel channel;
                while ((channel = pool.idle.pollFirst()) != null) {
                    pool.idleChanged();
                    channel.close();
                }
            });
        }
    }

    /** Returns a connection whose exchange ended cleanly; a closed one is just forgotten. */
    void release(Channel channel, UpstreamInstance instance) {
        if (!channel.isActive()) {
            return;
        }
        if (instance.drainedNow().get()) {
            channel.close();
            return;
        }
        // A connection in the pool must notice the peer closing it, so it reads again.
        channel.config().setAutoRead(true);
        InstancePool pool = pool(channel.eventLoop(), instance);
        pool.idle.addLast(channel);
        pool.idleChanged();
    }

    private InstancePool pool(EventLoop loop, UpstreamInstance instance) {
        LoopPools cached = thisLoop.getIfExists();
        if (cached == null || cached.loop() != loop) {
            // An event loop runs on one thread for its whole life, so this is found once per loop.
            cached = new LoopPools(loop, loops.computeIfAbsent(loop, l -> new HashMap<>()));
            thisLoop.set(cached);
        }
        Map<InetSocketAddress, InstancePool> pools = cached.pools();
        InstancePool pool = pools.get(instance.address());
        if (pool == null) {
            pool = new InstancePool(metrics.pool(instance.label()));
            pools.put(instance.address(), pool);
        }
        return pool;
    }

    /** One event loop's pools, by instance address. */
    private record LoopPools(EventExecutor loop, Map<InetSocketAddress, InstancePool> pools) {}

    /** One instance's connections on one event loop. */
    private static final class InstancePool {
        final ArrayDeque<Channel> idle = new ArrayDeque<>();
        final GatewayMetrics.PoolGauges gauges;
        /** This loop's share of the instance's idle gauge, written by this loop only. */
        final AtomicLong idleCount;
        final ChannelFutureListener onClose;
        int open;

        InstancePool(GatewayMetrics.PoolGauges gauges) {
            this.gauges = gauges;
            this.idleCount = gauges.newIdleCount();
            this.onClose = future -> {
                open--;
                gauges.open().decrementAndGet();
                if (idle.remove(future.channel())) {
                    idleChanged();
                }
            };
        }

        /** Publishes the idle count; a release store, since no other thread writes it. */
        void idleChanged() {
            idleCount.setRelease(idle.size());
        }
    }

    /** The upstream pipeline: TLS (for a TLS service), HTTP client codec, idle detection, then the backend handler. */
    private static final class UpstreamChannelInitializer extends ChannelInitializer<Channel> {
        private final long idleTimeoutMillis;
        private final @Nullable UpstreamTls tls;
        private final UpstreamInstance instance;

        UpstreamChannelInitializer(long idleTimeoutMillis, @Nullable UpstreamTls tls, UpstreamInstance instance) {
            this.idleTimeoutMillis = idleTimeoutMillis;
            this.tls = tls;
            this.instance = instance;
        }

        @Override
        protected void initChannel(Channel ch) {
            UpstreamTls upstreamTls = tls;
            if (upstreamTls != null) {
                ch.attr(TLS).set(upstreamTls);
                InetSocketAddress address = instance.address();
                ch.pipeline().addLast("tls", upstreamTls.newHandler(ch.alloc(), address.getHostString(), address.getPort()));
            }
            ch.pipeline()
                    .addLast("http", new UpstreamHttpCodec(new HttpDecoderConfig()
                            .setMaxInitialLineLength(4096)
                            .setMaxHeaderSize(16 * 1024)
                            .setMaxChunkSize(64 * 1024)
                            .setHeadersFactory(KnownHeaderNames.HEADERS)))
                    .addLast("idle", new ConnectionIdleHandler(idleTimeoutMillis, TimeUnit.MILLISECONDS))
                    .addLast("backend", new ProxyBackendHandler());
        }
    }
}
