package dev.sluice.agent.upstream;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Hands out a service's instances in turn, shared across event loops through one atomic counter. */
public final class RoundRobinSelector implements InstanceSelector {

    private final List<UpstreamInstance> instances;
    private final AtomicInteger next = new AtomicInteger();

    public RoundRobinSelector(List<UpstreamInstance> instances) {
        this.instances = List.copyOf(instances);
    }

    @Override
    public @Nullable UpstreamInstance select() {
        int size = instances.size();
        if (size == 0) {
            return null;
        }
        return instances.get(Math.floorMod(next.getAndIncrement(), size));
    }
}
