package dev.sluice.console.confirm;

import dev.sluice.admin.v1.ChangeResult;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A change an operator asked for but has not confirmed: what it is, what it will do to traffic
 * (the blast radius, in one sentence), and how to apply it once a reason is given. It is based on
 * the config version shown when it was asked for, so a change made meanwhile by someone else is
 * refused as a conflict instead of being overridden blindly.
 */
public record PendingChange(
    String title,
    String blastRadius,
    String actionLabel,
    boolean destructive,
    Function<String, CompletableFuture<ChangeResult>> apply,
    @Nullable Escape escape) {

  /**
   * What the operator may do when a safety rule refuses the change (a drain below the floor):
   * repeat it on purpose after typing {@code typedConfirmation}; {@code apply} gets the reason.
   */
  public record Escape(String offer, String typedConfirmation,
      Function<String, CompletableFuture<ChangeResult>> apply) {}

  public PendingChange(String title, String blastRadius, String actionLabel, boolean destructive,
      Function<String, CompletableFuture<ChangeResult>> apply) {
    this(title, blastRadius, actionLabel, destructive, apply, null);
  }

  /** Applies the change with the operator's reason; a blank reason is refused without a call. */
  public CompletableFuture<ChangeResult> confirm(String reason) {
    if (reason.isBlank()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("a reason is required"));
    }
    return apply.apply(reason.trim());
  }
}
