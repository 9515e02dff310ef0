package dev.sluice.console.safety;

import dev.sluice.admin.v1.AuditEntry;
import dev.sluice.admin.v1.AuditOutcome;
import dev.sluice.admin.v1.ChangeContext;
import dev.sluice.admin.v1.RevertPlan;
import dev.sluice.console.confirm.PendingChange;
import dev.sluice.console.editors.ChangeDiff;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The audit log of one gateway, newest first, and Revert as a {@link PendingChange} that says what
 * the revert restores and, when later changes to the same target would be undone too, lists them
 * so the operator decides knowingly. Answers are handled on the executor given (the FX thread).
 */
public final class AuditViewModel {
  /** Entries shown; older ones stay in the agent's log (and {@code ctl audit}). */
  static final int PAGE = 500;

  private final AuditGateway gateway;
  private final Executor ui;
  private final LongSupplier configVersion;
  private final ObservableList<AuditEntry> entries = FXCollections.observableArrayList();
  private final StringProperty message = new SimpleStringProperty(this, "message", "");

  public AuditViewModel(AuditGateway gateway, Executor ui, LongSupplier configVersion) {
    this.gateway = gateway;
    this.ui = ui;
    this.configVersion = configVersion;
  }

  public ObservableList<AuditEntry> entries() {
    return entries;
  }

  /** What the last load or revert plan said, in words. */
  public StringProperty messageProperty() {
    return message;
  }

  /** Reads the newest entries in the background. */
  public void load() {
    gateway.newest(PAGE).whenCompleteAsync((list, failure) -> {
      if (failure != null) {
        message.set("Could not read the audit log: " + rootMessage(failure));
      } else {
        entries.setAll(list);
        message.set(list.size() + " newest entries");
      }
    }, ui);
  }

  /** Only entries that changed something can be reverted. */
  public static boolean revertible(AuditEntry e) {
    return e.getOutcome() == AuditOutcome.AUDIT_OUTCOME_APPLIED
        || e.getOutcome() == AuditOutcome.AUDIT_OUTCOME_EXPIRED;
  }

  /** The entry's change field by field (before → after). */
  public static List<ChangeDiff.Line> diff(AuditEntry e) {
    return ChangeDiff.of(e.getBeforeJson(), e.getAfterJson());
  }

  /**
   * Asks the gateway what reverting {@code entry} would do and turns the plan into a change to
   * confirm; completes (on the UI executor) with nothing when the entry cannot be reverted, after
   * saying why in {@link #messageProperty()}.
   */
  public CompletableFuture<java.util.Optional<PendingChange>> revert(AuditEntry entry) {
    long basedOn = configVersion.getAsLong();
    return gateway.planRevert(entry.getId()).handleAsync((plan, failure) -> {
      if (failure != null) {
        message.set("Could not plan the revert of " + entry.getId() + ": " + rootMessage(failure));
        return java.util.Optional.<PendingChange>empty();
      }
      if (!plan.getRevertible()) {
        message.set(entry.getId() + " cannot be reverted: " + plan.getNotRevertibleReason());
        return java.util.Optional.<PendingChange>empty();
      }
      return java.util.Optional.of(change(plan, basedOn));
    }, ui);
  }

  PendingChange change(RevertPlan plan, long basedOn) {
    AuditEntry e = plan.getEntry();
    boolean later = plan.getLaterChangesCount() > 0;
    StringBuilder radius = new StringBuilder("Revert " + e.getId() + " (" + e.getRpc() + " by "
        + e.getPrincipal() + ": " + e.getReason() + "): " + e.getTarget()
        + " goes back to its state before it");
    List<ChangeDiff.Line> lines = ChangeDiff.of(plan.getCurrentJson(), plan.getRestoresJson());
    radius.append(lines.isEmpty() ? " (which is how it is now)." : ": " + String.join("; ",
        lines.stream().map(ChangeDiff.Line::toString).toList()) + ".");
    if (later) {
      radius.append(" This also undoes ").append(plan.getLaterChangesCount())
          .append(plan.getLaterChangesCount() == 1 ? " later change: " : " later changes: ")
          .append(String.join(", ", plan.getLaterChangesList().stream()
              .map(l -> l.getId() + " (" + l.getRpc() + " by " + l.getPrincipal() + ": "
                  + l.getReason() + ")").toList()))
          .append('.');
    }
    return new PendingChange(
        "Revert " + e.getId(),
        radius.toString(),
        later ? "Revert, undoing later changes too" : "Revert",
        true,
        reason -> gateway.revert(e.getId(), later, ChangeContext.newBuilder()
            .setExpectedVersion(basedOn).setReason(reason).build()));
  }

  private static String rootMessage(Throwable t) {
    Throwable cause = t.getCause() != null ? t.getCause() : t;
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
