package dev.sluice.agent.discovery;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One instance of a service as a registry lists it. {@code id} is stable for the instance's life and
 * unique within its service: {@code host:port} for static instances, Consul's service ID for Consul
 * ones. Immutable; lists of these are sorted by id.
 *
 * @param weight relative share of traffic, 1–10,000
 * @param zone the instance's zone or null when the registry does not say
 * @param health what the registry says about it
 * @param tags registry tags, in registry order
 * @param meta registry metadata (Consul service meta)
 */
public record ServiceInstance(
    String id,
    String host,
    int port,
    int weight,
    @Nullable String zone,
    RegistryHealth health,
    List<String> tags,
    Map<String, String> meta) {

  /** Largest weight, the same as the balancers accept. */
  public static final int MAX_WEIGHT = 10_000;

  public ServiceInstance {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(health, "health");
    if (weight < 1 || weight > MAX_WEIGHT) {
      throw new IllegalArgumentException("weight must be between 1 and " + MAX_WEIGHT + ", was " + weight);
    }
    tags = List.copyOf(tags);
    meta = Map.copyOf(meta);
  }

  /** A config-file instance: id {@code host:port}, always passing, no tags. */
  public static ServiceInstance ofStatic(String host, int port, int weight, @Nullable String zone) {
    return new ServiceInstance(host + ":" + port, host, port, weight, zone, RegistryHealth.PASSING, List.of(), Map.of());
  }

  /** {@code host:port}, the address as operators read it. */
  public String address() {
    return host + ":" + port;
  }
}
