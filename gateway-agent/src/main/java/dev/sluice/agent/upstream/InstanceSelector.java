package dev.sluice.agent.upstream;

import org.jspecify.annotations.Nullable;

/**
 * Chooses the instance for one request. Called on event loops concurrently, so implementations are
 * lock-free; null means no instance can take the request (the client gets a 503).
 */
public interface InstanceSelector {

    @Nullable UpstreamInstance select();
}
