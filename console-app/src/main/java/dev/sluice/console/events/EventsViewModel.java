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

  /** Events older than this when they arrive are history (a replay on attach), not news. */
  static final java.time.Duration NEWS = java.time.Duration.ofSeconds(10);

  private final ObservableList<EventRow> rows = FXCollections.observableArrayList();
  private final java.time.Clock clock;
  private java.util.function.Consumer<EventRow> onAlert = row -> { };
  private long lastSequence;
  /** Each service's last known override, so only a new trip raises an alert. */
  private final java.util.Map<String, dev.sluice.admin.v1.BreakerOverride> overrides =
      new java.util.HashMap<>();

  public EventsViewModel() {
    this(java.time.Clock.systemUTC());
  }

  public EventsViewModel(java.time.Clock clock) {
    this.clock = clock;
  }

  /** Called for each fresh event an operator should notice at once (a breaker opening). */
  public void setOnAlert(java.util.function.Consumer<EventRow> onAlert) {
    this.onAlert = onAlert;
  }

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
      EventRow row = new EventRow(e.getSequence(), TIME.format(at), kind(e.getKind()),
          e.getSummary(), styleClass(e));
      rows.add(0, row);
      if (opensTraffic(e) && at.isAfter(clock.instant().minus(NEWS))) {
        onAlert.accept(row);
      }
    }
    if (rows.size() > CAPACITY) {
      rows.remove(CAPACITY, rows.size());
    }
  }

  /**
   * A breaker that starts refusing traffic: tripped by an operator, or opened from closed. A failed
   * probe (half-open back to open) is not news again.
   */
  private boolean opensTraffic(Event e) {
    if (e.getKind() != EventKind.EVENT_KIND_BREAKER_TRANSITION) {
      return false;
    }
    var t = e.getBreakerTransition();
    var forcedOpen = dev.sluice.admin.v1.BreakerOverride.BREAKER_OVERRIDE_FORCED_OPEN;
    var before = overrides.put(t.getService(), t.getOverride());
    boolean tripped = t.getOverride() == forcedOpen && before != forcedOpen;
    boolean opened = t.getTo() == dev.sluice.admin.v1.BreakerState.BREAKER_STATE_OPEN
        && t.getFrom() == dev.sluice.admin.v1.BreakerState.BREAKER_STATE_CLOSED
        && t.getOverride() != forcedOpen;
    return tripped || opened;
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
