package dev.sluice.console.breakers;

import dev.sluice.admin.v1.BreakerOverride;
import dev.sluice.admin.v1.BreakerState;

/**
 * How a breaker's effect on traffic is shown in a cell: a word with a shape glyph and a style class,
 * so state never depends on colour alone. An override decides the effect, so it decides the badge.
 */
public record BreakerBadge(BreakerState computed, BreakerOverride override, String countdown) {
  public static final BreakerBadge NONE =
      new BreakerBadge(BreakerState.BREAKER_STATE_UNSPECIFIED, BreakerOverride.BREAKER_OVERRIDE_NONE);

  /** A badge without a countdown (no override, or one that holds until undone). */
  public BreakerBadge(BreakerState computed, BreakerOverride override) {
    this(computed, override, "");
  }

  /** E.g. "✕ OPEN (forced)", with "⏱ 4 min 10 s left" when the override ends by itself. */
  public String text() {
    String text = switch (override) {
      case BREAKER_OVERRIDE_FORCED_OPEN -> "✕ OPEN (forced)";
      case BREAKER_OVERRIDE_FORCED_CLOSED -> "✓ CLOSED (forced)";
      default -> stateText(computed);
    };
    return countdown.isEmpty() ? text : text + " " + countdown;
  }

  /** One of breaker-closed, breaker-open, breaker-half-open, breaker-forced-closed, breaker-none. */
  public String styleClass() {
    return switch (override) {
      case BREAKER_OVERRIDE_FORCED_OPEN -> "breaker-open";
      case BREAKER_OVERRIDE_FORCED_CLOSED -> "breaker-forced-closed";
      default -> stateStyleClass(computed);
    };
  }

  /** The computed state alone, shown beside an override so it stays visible. */
  public static String stateText(BreakerState state) {
    return switch (state) {
      case BREAKER_STATE_CLOSED -> "✓ CLOSED";
      case BREAKER_STATE_OPEN -> "✕ OPEN";
      case BREAKER_STATE_HALF_OPEN -> "◐ HALF-OPEN";
      default -> "";
    };
  }

  public static String stateStyleClass(BreakerState state) {
    return switch (state) {
      case BREAKER_STATE_CLOSED -> "breaker-closed";
      case BREAKER_STATE_OPEN -> "breaker-open";
      case BREAKER_STATE_HALF_OPEN -> "breaker-half-open";
      default -> "breaker-none";
    };
  }

  public static String overrideText(BreakerOverride override) {
    return switch (override) {
      case BREAKER_OVERRIDE_FORCED_OPEN -> "✕ tripped";
      case BREAKER_OVERRIDE_FORCED_CLOSED -> "✓ forced closed";
      default -> "none";
    };
  }

  /** Every style class a badge can carry, to remove before adding the current one. */
  public static final java.util.List<String> STYLE_CLASSES =
      java.util.List.of(
          "breaker-closed", "breaker-open", "breaker-half-open", "breaker-forced-closed",
          "breaker-none");
}
