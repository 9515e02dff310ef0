package dev.sluice.agent.admin.state;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Every change made at runtime through the admin API, as persisted beside the config file and laid
 * over it on start. A plain, immutable record tree: the control plane decides what goes in (routes
 * and limits as JSON documents of its own shape), this package only keeps it safe on disk. Each
 * change carries the {@link OverrideInfo} that says who made it, why, and when it ends.
 *
 * @param formatVersion layout version of the file ({@value #FORMAT_VERSION} today)
 * @param configVersion the config version the state was written at
 * @param routeUpserts routes created or replaced at runtime, by route id
 * @param routeDeletes routes of the file deleted at runtime, by route id
 * @param limitOverrides runtime rate-limit overrides, by route id
 * @param breakerOverrides trips and force-closes, by service name
 * @param drains drained instances, by "service/instance" key (see {@link Drain#key})
 */
public record RuntimeState(
    int formatVersion,
    long configVersion,
    Map<String, RouteUpsert> routeUpserts,
    Map<String, RouteDelete> routeDeletes,
    Map<String, LimitOverride> limitOverrides,
    Map<String, BreakerOverride> breakerOverrides,
    Map<String, Drain> drains) {

  public static final int FORMAT_VERSION = 1;

  /** No runtime changes. */
  public static final RuntimeState EMPTY =
      new RuntimeState(FORMAT_VERSION, 0, Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

  public RuntimeState {
    routeUpserts = sorted(routeUpserts);
    routeDeletes = sorted(routeDeletes);
    limitOverrides = sorted(limitOverrides);
    breakerOverrides = sorted(breakerOverrides);
    drains = sorted(drains);
  }

  /** True when nothing was changed at runtime. */
  @JsonIgnore
  public boolean isEmpty() {
    return routeUpserts.isEmpty() && routeDeletes.isEmpty() && limitOverrides.isEmpty()
        && breakerOverrides.isEmpty() && drains.isEmpty();
  }

  private static <V> Map<String, V> sorted(@Nullable Map<String, V> map) {
    // Sorted so that the file is stable (diffable) from one write to the next.
    return map == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(map));
  }

  /** A route as the control plane stores it, created or replaced at runtime. */
  public record RouteUpsert(JsonNode route, OverrideInfo change) {
    public RouteUpsert {
      route = Objects.requireNonNull(route, "missing route").deepCopy();
      Objects.requireNonNull(change, "missing change");
    }

    @Override
    public JsonNode route() {
      return route.deepCopy();
    }
  }

  /** A file route removed at runtime. */
  public record RouteDelete(OverrideInfo change) {
    public RouteDelete {
      Objects.requireNonNull(change, "missing change");
    }
  }

  /**
   * A route's limit set at runtime; {@code limit} null means "unlimited". The previous limit comes
   * back when {@code change.expiresAt} passes.
   */
  public record LimitOverride(@Nullable JsonNode limit, OverrideInfo change) {
    public LimitOverride {
      limit = limit == null ? null : limit.deepCopy();
      Objects.requireNonNull(change, "missing change");
    }

    @Override
    public @Nullable JsonNode limit() {
      return limit == null ? null : limit.deepCopy();
    }
  }

  /** How an operator overrides a breaker. */
  public enum BreakerMode { FORCED_OPEN, FORCED_CLOSED }

  /** A breaker's trip or force-close. */
  public record BreakerOverride(BreakerMode mode, OverrideInfo change) {
    public BreakerOverride {
      Objects.requireNonNull(mode, "missing mode");
      Objects.requireNonNull(change, "missing change");
    }
  }

  /**
   * A drained instance; {@code belowFloor} when it was drained below the floor on purpose;
   * {@code consulMaintenance} when the drain put the instance in Consul maintenance mode, kept here
   * so that the undrain (or the drain's expiry) clears it again after a restart, whatever the
   * service's own setting. Absent in older files, where it reads as false.
   */
  public record Drain(String service, String instanceId, boolean belowFloor, OverrideInfo change,
      @JsonSetter(nulls = Nulls.AS_EMPTY) boolean consulMaintenance) {
    public Drain {
      Objects.requireNonNull(service, "missing service");
      Objects.requireNonNull(instanceId, "missing instanceId");
      Objects.requireNonNull(change, "missing change");
    }

    public Drain(String service, String instanceId, boolean belowFloor, OverrideInfo change) {
      this(service, instanceId, belowFloor, change, false);
    }

    /** The key drains are stored under: "service/instance". */
    public static String key(String service, String instanceId) {
      return service + "/" + instanceId;
    }
  }
}
