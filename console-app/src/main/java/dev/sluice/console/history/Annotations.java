package dev.sluice.console.history;

import dev.sluice.admin.v1.BreakerOverride;
import dev.sluice.admin.v1.BreakerTransition;
import dev.sluice.admin.v1.Event;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Turns agent events into chart {@link Annotation}s; events that are not marked give none. */
public final class Annotations {
  private Annotations() {}

  public static Optional<Annotation> of(Event event) {
    Instant time = Instant.ofEpochSecond(event.getTime().getSeconds(), event.getTime().getNanos());
    long seq = event.getSequence();
    return switch (event.getKind()) {
      case EVENT_KIND_BREAKER_TRANSITION -> Optional.of(breaker(seq, time, event));
      case EVENT_KIND_DRAIN_CHANGED -> {
        var d = event.getDrainChanged();
        String word = d.getDrained() ? "drain" : "undrain";
        yield Optional.of(new Annotation(seq, time, Annotation.Kind.DRAIN, d.getDrained() ? "◌" : "●",
            word + " " + d.getInstanceId(), detail(event, word + " " + d.getService() + "/"
                + d.getInstanceId()), Set.of(d.getService()), Set.of()));
      }
      case EVENT_KIND_OVERRIDE_EXPIRED -> {
        var o = event.getOverrideExpired();
        String target = o.getTarget();
        String service = target.contains("/") ? target.substring(0, target.indexOf('/')) : target;
        yield Optional.of(new Annotation(seq, time, Annotation.Kind.OVERRIDE_EXPIRED, "⏱",
            o.getOverrideKind() + " ended", detail(event, o.getOverrideKind() + " of " + target
                + " expired"), Set.of(service), Set.of(target)));
      }
      case EVENT_KIND_CONFIG_CHANGED -> {
        var c = event.getConfigChanged();
        yield Optional.of(new Annotation(seq, time, Annotation.Kind.CONFIG, "✎",
            "config v" + c.getVersion(), detail(event, "config v" + c.getPreviousVersion() + " → v"
                + c.getVersion()), Set.copyOf(c.getServicesList()), Set.copyOf(c.getRoutesList())));
      }
      default -> Optional.empty();
    };
  }

  private static Annotation breaker(long seq, Instant time, Event event) {
    BreakerTransition t = event.getBreakerTransition();
    String state = switch (t.getTo()) {
      case BREAKER_STATE_OPEN -> "OPEN";
      case BREAKER_STATE_HALF_OPEN -> "HALF-OPEN";
      case BREAKER_STATE_CLOSED -> "CLOSED";
      default -> "?";
    };
    Annotation.Kind kind = switch (t.getTo()) {
      case BREAKER_STATE_OPEN -> Annotation.Kind.BREAKER_OPEN;
      case BREAKER_STATE_HALF_OPEN -> Annotation.Kind.BREAKER_HALF_OPEN;
      default -> Annotation.Kind.BREAKER_CLOSED;
    };
    String symbol = switch (kind) {
      case BREAKER_OPEN -> "✕";
      case BREAKER_HALF_OPEN -> "◐";
      default -> "✓";
    };
    String forced = t.getOverride() == BreakerOverride.BREAKER_OVERRIDE_FORCED_OPEN ? " (tripped)"
        : t.getOverride() == BreakerOverride.BREAKER_OVERRIDE_FORCED_CLOSED ? " (forced closed)" : "";
    String label = "breaker " + t.getService() + " " + state + forced;
    String cause = t.getCause().isEmpty() ? event.getSummary() : t.getCause();
    return new Annotation(seq, time, kind, symbol, label,
        cause.isEmpty() ? label : label + " — " + percentSpaced(cause), Set.of(t.getService()),
        Set.of());
  }

  /** "failure rate 62.0%" reads "failure rate 62.0 %" as the console writes percentages. */
  private static String percentSpaced(String text) {
    return text.replaceAll("(\\d)%", "$1 %");
  }

  private static String detail(Event event, String fallback) {
    String summary = event.getSummary().isEmpty() ? fallback : event.getSummary();
    return summary.toLowerCase(Locale.ROOT).equals(fallback.toLowerCase(Locale.ROOT)) ? fallback
        : fallback + " — " + summary;
  }
}
