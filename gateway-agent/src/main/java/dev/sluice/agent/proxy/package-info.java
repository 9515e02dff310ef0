/**
 * The HTTP/1.1 reverse proxy, shaped like Netty's {@code example/proxy}: {@link
 * dev.sluice.agent.proxy.ProxyInitializer} wires the client pipeline, {@code ProxyFrontendHandler}
 * carries a request from routing to the upstream and back, and upstream connections come from a
 * per-event-loop {@link dev.sluice.agent.proxy.UpstreamPool}.
 */
@NullMarked
package dev.sluice.agent.proxy;

import org.jspecify.annotations.NullMarked;
