package dev.sluice.console.history;

import java.time.Instant;
import java.util.Set;

/**
 * Something that happened on the agent, drawn as a marker on the history charts: a breaker
 * transition, a drain, an override ending, a config change. The marker shows {@code symbol} and
 * {@code label} (never colour alone); {@code detail} is its tooltip. Empty {@code services} and
 * {@code routes} mean it concerns every route.
 */
public record Annotation(
    long sequence,
    Instant time,
    Kind kind,
    String symbol,
    String label,
    String detail,
    Set<String> services,
    Set<String> routes) {

  /** What the marker stands for; each has its own style class and symbol. */
  public enum Kind {
    BREAKER_OPEN("annotation-breaker-open"),
    BREAKER_HALF_OPEN("annotation-breaker-half-open"),
    BREAKER_CLOSED("annotation-breaker-closed"),
    DRAIN("annotation-drain"),
    OVERRIDE_EXPIRED("annotation-override"),
    CONFIG("annotation-config");

    private final String styleClass;

    Kind(String styleClass) {
      this.styleClass = styleClass;
    }

    public String styleClass() {
      return styleClass;
    }
  }

  /** Whether the marker belongs on the chart of {@code routeId}, whose traffic goes to {@code service}. */
  public boolean concerns(String routeId, String service) {
    if (services.isEmpty() && routes.isEmpty()) {
      return true;
    }
    return routes.contains(routeId) || services.contains(service);
  }
}
