package dev.sluice.agent.discovery;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How current a registry's instance list is: {@link Freshness#LOADING} until the first answer, {@link
 * Freshness#FRESH} while the registry answers, {@link Freshness#STALE} since the first failed refresh
 * (the last known instances are kept and still used).
 *
 * @param freshness the state
 * @param since when this state began (for STALE: the first failure in a row)
 * @param lastError the latest failure, one line, never containing a token; null when FRESH
 * @param consecutiveErrors failed refreshes in a row; 0 when FRESH
 */
public record RegistryStatus(Freshness freshness, Instant since, @Nullable String lastError, int consecutiveErrors) {

  /** The three states of a registry's instance list. */
  public enum Freshness {
    LOADING,
    FRESH,
    STALE
  }

  public RegistryStatus {
    Objects.requireNonNull(freshness, "freshness");
    Objects.requireNonNull(since, "since");
  }

  public static RegistryStatus loading(Instant since) {
    return new RegistryStatus(Freshness.LOADING, since, null, 0);
  }

  public static RegistryStatus fresh(Instant since) {
    return new RegistryStatus(Freshness.FRESH, since, null, 0);
  }

  public boolean isStale() {
    return freshness == Freshness.STALE;
  }

  /** One line for operators: {@code "fresh"}, {@code "loading"} or {@code "stale since … (3 errors): …"}. */
  public String describe() {
    return switch (freshness) {
      case FRESH -> "fresh";
      case LOADING -> lastError == null ? "loading" : "loading, failing since " + since + ": " + lastError;
      case STALE -> "stale since " + since + " (" + consecutiveErrors + " failed refreshes): " + lastError;
    };
  }
}
