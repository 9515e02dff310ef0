package dev.sluice.console.events;

import dev.sluice.admin.v1.Event;
import dev.sluice.admin.v1.EventKind;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The live event list, newest first and bounded, so a long incident does not grow it without end.
 * UI thread only.
 */
public final class EventsViewModel {
  static final int CAPACITY = 1_000;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

  /** One event as the list shows it; {@code styleClass} says what kind it is. */
  public record EventRow(long sequence, String time, String kind, String summary, String styleClass) {}

  private final ObservableList<EventRow> rows = FXCollections.observableArrayList();
  private long lastSequence;

  public ObservableList<EventRow> rows() {
    return rows;
  }

  /** Adds events in arrival order; a sequence seen before (a replay after reconnect) is skipped. */
  public void apply(List<Event> events) {
    for (Event e : events) {
      if (e.getKind() != EventKind.EVENT_KIND_GAP && e.getSequence() <= lastSequence) {
        continue;
      }
      lastSequence = Math.max(lastSequence, e.getSequence());
      Instant at = Instant.ofEpochSecond(e.getTime().getSeconds(), e.getTime().getNanos());
      rows.add(0, new EventRow(e.getSequence(), TIME.format(at), kind(e.getKind()), e.getSummary(),
          styleClass(e)));
    }
    if (rows.size() > CAPACITY) {
      rows.remove(CAPACITY, rows.size());
    }
  }

  static String kind(EventKind kind) {
    return switch (kind) {
      case EVENT_KIND_CONFIG_CHANGED -> "config";
      case EVENT_KIND_BREAKER_TRANSITION -> "breaker";
      case EVENT_KIND_HEALTH_CHANGED -> "health";
      case EVENT_KIND_DRAIN_CHANGED -> "drain";
      case EVENT_KIND_AUDIT -> "audit";
      case EVENT_KIND_OVERRIDE_EXPIRED -> "expired";
      case EVENT_KIND_REGISTRY_STALE -> "registry";
      case EVENT_KIND_GAP -> "gap";
      default -> "other";
    };
  }

  private static String styleClass(Event e) {
    return switch (e.getKind()) {
      case EVENT_KIND_BREAKER_TRANSITION -> e.getBreakerTransition().getOverride()
          == dev.sluice.admin.v1.BreakerOverride.BREAKER_OVERRIDE_FORCED_OPEN ? "event-bad"
          : switch (e.getBreakerTransition().getTo()) {
        case BREAKER_STATE_OPEN -> "event-bad";
        case BREAKER_STATE_HALF_OPEN -> "event-warn";
        default -> "event-ok";
      };
      case EVENT_KIND_HEALTH_CHANGED -> e.getHealthChanged().getServing() ? "event-ok" : "event-bad";
      case EVENT_KIND_GAP, EVENT_KIND_REGISTRY_STALE, EVENT_KIND_DRAIN_CHANGED -> "event-warn";
      default -> "event-info";
    };
  }
}
